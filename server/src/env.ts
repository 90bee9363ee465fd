import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { z } from 'zod';
import { defaultExtensionOrigins, FIREFOX_EXTENSIONS } from './lib/extension-id.ts';

const MANIFEST = new URL('../../manifest.json', import.meta.url);

const origin = z
  .string()
  .trim()
  .refine(
    (o) => o === FIREFOX_EXTENSIONS || /^(chrome-extension|moz-extension|https?):\/\/[^/\s*]+$/.test(o),
    `expected an origin like chrome-extension://<id>, or ${FIREFOX_EXTENSIONS} for every Firefox install (no other wildcard)`,
  );

/** The only reader of process.env: every variable validated, with the defaults of API.md. */
const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default('0.0.0.0'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must start with postgres:// or postgresql://')
    .optional(),
  DATA_DIR: z.string().min(1).default('./data'),
  PUBLIC_URL: z.url({ protocol: /^https?$/ }).default('http://localhost:3000').transform((u) => u.replace(/\/+$/, '')),
  SMTP_URL: z
    .string()
    .regex(/^smtps?:\/\/[^\s]+$/, 'must look like smtp://user:pass@host:port')
    .optional(),
  MAIL_FROM: z.string().min(3).default('Kindkans <noreply@localhost>'),
  APP_SECRET: z.string().min(32, 'must be at least 32 characters (e.g. `openssl rand -hex 32`)').optional(),
  SESSION_IDLE_MINUTES: z.coerce.number().positive().max(24 * 60).default(15),
  SESSION_MAX_HOURS: z.coerce.number().positive().max(24 * 30).default(8),
  EXTENSION_ORIGINS: z
    .string()
    .optional()
    .transform((s) => (s ? s.split(',').map((o) => o.trim()).filter(Boolean) : undefined))
    .pipe(z.array(origin).optional()),
  API_TOKEN_RATE_PER_MINUTE: z.coerce.number().int().min(1).max(1_000_000).default(600),
  UPLOAD_MAX_MB: z.coerce.number().positive().max(1024).default(25),
  TRUST_PROXY: z
    .enum(['true', 'false', '1', '0'])
    .default('false')
    .transform((v) => v === 'true' || v === '1'),
  LOGIN_FAILURES_PER_ADDRESS: z.coerce.number().int().min(1).max(1_000_000).default(100),
  LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error', 'silent']).default('info'),
  // Slow and idle clients, overload and shutdown (README "Operations").
  HEADERS_TIMEOUT_MS: z.coerce.number().int().min(1000).max(600_000).default(10_000),
  REQUEST_TIMEOUT_MS: z.coerce.number().int().min(1000).max(3_600_000).default(120_000),
  KEEP_ALIVE_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(5_000),
  MAX_CONCURRENT_REQUESTS: z.coerce.number().int().min(1).max(100_000).default(64),
  QUEUE_TIMEOUT_MS: z.coerce.number().int().min(0).max(60_000).default(2_000),
  SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().min(0).max(600_000).default(20_000),
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(1000).default(10),
  SPOOL_DIR: z.string().min(1).optional(),
  // The per-process disk cache of attachment bytes (encrypted, in SPOOL_DIR); 0 turns it off.
  ATTACHMENT_CACHE_MB: z.coerce.number().min(0).max(1_000_000).default(256),
});

export type Env = Omit<z.infer<typeof envSchema>, 'APP_SECRET' | 'EXTENSION_ORIGINS'> & {
  APP_SECRET: string;
  EXTENSION_ORIGINS: string[];
};

export class EnvError extends Error {
  override name = 'EnvError';
}

/** Parses the environment; a bad value throws one clear message naming each variable. */
export function parseEnv(source: Record<string, string | undefined> = process.env): Env {
  const cleaned = Object.fromEntries(Object.entries(source).filter(([, v]) => v !== undefined && v !== ''));
  const result = envSchema.safeParse(cleaned);
  if (!result.success) {
    const lines = result.error.issues.map((i) => `  ${i.path.join('.') || '(env)'}: ${i.message}`);
    throw new EnvError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const env = result.data;
  let secret = env.APP_SECRET;
  if (!secret) {
    if (env.NODE_ENV === 'production') {
      throw new EnvError('Invalid configuration:\n  APP_SECRET: required when NODE_ENV=production (at least 32 characters, e.g. `openssl rand -hex 32`)');
    }
    secret = loadOrCreateDevSecret(env.DATA_DIR);
  }
  return {
    ...env,
    APP_SECRET: secret,
    EXTENSION_ORIGINS: env.EXTENSION_ORIGINS ?? defaultExtensionOrigins(MANIFEST),
  };
}

/** Development only: a random secret kept in DATA_DIR so that encrypted data survives restarts. */
function loadOrCreateDevSecret(dataDir: string): string {
  const file = join(resolve(dataDir), 'app-secret');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  mkdirSync(resolve(dataDir), { recursive: true });
  const secret = randomBytes(32).toString('hex');
  try {
    writeFileSync(file, `${secret}\n`, { mode: 0o600, flag: 'wx' });
    return secret;
  } catch (err) {
    // Another process (the CLI, a second server) created it first: use theirs.
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return readFileSync(file, 'utf8').trim();
    throw err;
  }
}
