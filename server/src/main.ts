import { serve } from '@hono/node-server';
import { resolve } from 'node:path';
import { createApp } from './app.ts';
import { DataDirLockedError, openDatabase } from './db/client.ts';
import { migrateDatabase } from './db/migrate.ts';
import { seedDemo } from './demo.ts';
import { EnvError, parseEnv } from './env.ts';
import { createBackgroundWork } from './lib/background.ts';
import { systemClock } from './lib/clock.ts';
import { createLogger } from './lib/logger.ts';
import { createMailer } from './mail/mailer.ts';
import { describeDemoLogins, ensureDemoAccounts } from './demo-accounts.ts';
import { deleteOldRateLimits } from './lib/rate-limit.ts';
import { deleteExpiredSessions, sessionPolicy } from './features/auth/session.ts';

const SHUTDOWN_GRACE_MS = 10_000;

async function main() {
  const env = parseEnv();
  const logger = createLogger(env.LOG_LEVEL);
  const database = await openDatabase(env);
  await migrateDatabase(database);
  const { db } = database;

  const wantDemo = process.argv.includes('--demo') || (database.kind === 'pglite' && !process.argv.includes('--no-demo'));
  const demo = wantDemo ? await seedDemo(db, systemClock.now()) : null;

  const demoLogins = wantDemo ? await ensureDemoAccounts(db, env.APP_SECRET, systemClock.now(), database.kind === 'pglite' ? env.DATA_DIR : undefined) : null;

  const mailer = createMailer({ db, env, logger, clock: systemClock });
  const background = createBackgroundWork();
  const app = createApp({ db, database, env, mailer, clock: systemClock, logger, background });

  const server = serve({ fetch: app.fetch, port: env.PORT, hostname: env.HOST }, (info) => {
    const where = database.kind === 'pglite' ? `embedded PGlite in ${resolve(env.DATA_DIR)}` : 'PostgreSQL (DATABASE_URL)';
    console.log(`Kindkans listens on http://localhost:${info.port}  (database: ${where})`);
    if (demo) {
      console.log(`Demo organisation ${demo.organisation.code} ${demo.organisation.name} created: school ${demo.school.brin} ${demo.school.name}, dossier of ${demo.dossier.firstName} ${demo.dossier.lastName}, hulpvraag "${demo.hulpvraag.title}" with ${demo.attachment.filename}.`);
    }
    if (demoLogins) for (const line of describeDemoLogins(demoLogins)) console.log(line);
    console.log(`API reference: http://localhost:${info.port}/docs`);
    mailer.kick();
  });

  // The outbox dispatcher: kicked after each commit that writes mail, and on this timer for retries.
  const mailTimer = setInterval(() => mailer.kick(), 30_000);
  mailTimer.unref();

  const housekeeping = setInterval(() => {
    deleteExpiredSessions(db, systemClock.now(), sessionPolicy(env)).catch((err) => logger.warn('housekeeping failed', { err }));
    deleteOldRateLimits(db, new Date(systemClock.now().getTime() - 3_600_000)).catch((err) => logger.warn('housekeeping failed', { err }));
  }, 10 * 60_000);
  housekeeping.unref();

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`${signal}: finishing requests in flight, then stopping.`);
    clearInterval(housekeeping);
    clearInterval(mailTimer);
    const force = setTimeout(() => {
      console.error('Shutdown took too long; exiting.');
      process.exit(1);
    }, SHUTDOWN_GRACE_MS);
    force.unref();
    server.close(async () => {
      await background.settle();
      await mailer.close().catch(() => {});
      await database.close().catch((err) => logger.error('closing the database failed', { err }));
      process.exit(0);
    });
    if ('closeIdleConnections' in server) (server as { closeIdleConnections(): void }).closeIdleConnections();
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

main().catch((err) => {
  if (err instanceof EnvError || err instanceof DataDirLockedError) {
    console.error(err.message);
  } else {
    console.error('Kindkans could not start:', err);
  }
  process.exit(1);
});
