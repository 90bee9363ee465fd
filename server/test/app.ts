import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp } from '../src/app.ts';
import type { Database } from '../src/db/client.ts';
import { parseEnv, type Env } from '../src/env.ts';
import { createTestClock } from './clock.ts';
import { createBackgroundWork, type BackgroundWork } from '../src/lib/background.ts';
import { createLogger, silentLogger, type Logger } from '../src/lib/logger.ts';
import { createLogMailer } from './mailer.ts';
import type { Mailer } from '../src/mail/types.ts';
import { createTestDatabase } from './db.ts';
import { checkConformance } from './openapi-conformance.ts';

export const TEST_EXTENSION_ORIGIN = 'chrome-extension://cobgfedbohaccaonegfgdhhokclkacio';

/** The environment tests run with (override any variable). */
export function testEnv(overrides: Record<string, string> = {}): Env {
  return parseEnv({
    NODE_ENV: 'test',
    APP_SECRET: 'test-secret-test-secret-test-secret-0123456789',
    DATA_DIR: mkdtempSync(join(tmpdir(), 'kindkans-test-')),
    PUBLIC_URL: 'http://kindkans.test',
    EXTENSION_ORIGINS: TEST_EXTENSION_ORIGIN,
    LOG_LEVEL: process.env.TEST_LOG ? 'debug' : 'silent',
    ...overrides,
  });
}

export interface TestContext {
  app: ReturnType<typeof createApp>;
  database: Database;
  db: Database['db'];
  env: Env;
  clock: ReturnType<typeof createTestClock>;
  mailer: Mailer;
  /** The app's work after its answers (await `background.settle()` before looking at its effects). */
  background: BackgroundWork;
  logger: Logger;
  close(): Promise<void>;
}

/** The real app on a clean database of its own, with a clock the test moves. */
export async function createTestApp(options: { env?: Record<string, string>; mailer?: Mailer; database?: Database } = {}): Promise<TestContext> {
  const database = options.database ?? (await createTestDatabase());
  const env = testEnv(options.env);
  const clock = createTestClock();
  const logger = process.env.TEST_LOG ? createLogger('debug') : silentLogger;
  const mailer = options.mailer ?? createLogMailer(logger);
  const background = createBackgroundWork();
  // Every answer is checked against /openapi.json (server/test/openapi-conformance.ts).
  const app = checkConformance(createApp({ db: database.db, database, env, mailer, clock, logger, background }));
  return { app, database, db: database.db, env, clock, mailer, logger, background, close: () => database.close() };
}

/** JSON request helper for `app.request()`. */
export function jsonRequest(method: string, body?: unknown, headers: Record<string, string> = {}): RequestInit {
  return {
    method,
    headers: { 'content-type': 'application/json', ...headers },
    ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
  };
}

export const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

/** Request options with `token` as the bearer, over `init` (its other headers kept). By role: `createWorld(…).as(who)`. */
export const withBearer = (token: string, init: RequestInit = {}): RequestInit => ({
  ...init,
  headers: { ...Object.fromEntries(new Headers(init.headers)), ...bearer(token) },
});
