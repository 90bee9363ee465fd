import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp } from '../src/app.ts';
import type { Database } from '../src/db/client.ts';
import { parseEnv, type Env } from '../src/env.ts';
import { createTestClock } from '../src/lib/clock.ts';
import { createLogger, silentLogger, type Logger } from '../src/lib/logger.ts';
import { createLogMailer } from '../src/mail/mailer.ts';
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
  // Every answer is checked against /openapi.json (server/test/openapi-conformance.ts).
  const app = checkConformance(createApp({ db: database.db, database, env, mailer, clock, logger }));
  return { app, database, db: database.db, env, clock, mailer, logger, close: () => database.close() };
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
