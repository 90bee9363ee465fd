import { join, resolve } from 'node:path';
import { createApp } from './app.ts';
import { cleanSpoolRoot } from './features/attachments/spool-root.ts';
import { setSpoolRoot } from './features/attachments/spool.ts';
import { startHttpServer } from './http-server.ts';
import { startProcessStats } from './lib/process-stats.ts';
import { DataDirLockedError, openDatabase } from './db/client.ts';
import { migrateDatabase } from './db/migrate.ts';
import { demoPlan, seedDemo } from './demo.ts';
import { EnvError, parseEnv } from './env.ts';
import { createBackgroundWork } from './lib/background.ts';
import { systemClock } from './lib/clock.ts';
import { createLogger } from './lib/logger.ts';
import { createMailer } from './mail/mailer.ts';
import { describeDemoLogins, ensureDemoAccounts } from './demo-accounts.ts';
import { deleteOldRateLimits } from './lib/rate-limit.ts';
import { deleteExpiredSessions, sessionPolicy } from './features/auth/session.ts';
import { startSleepingJobTimer } from './features/sleeping/job.ts';

async function main() {
  const env = parseEnv();
  const logger = createLogger(env.LOG_LEVEL);
  const database = await openDatabase(env);
  await migrateDatabase(database);
  const { db } = database;

  const plan = demoPlan({ nodeEnv: env.NODE_ENV, databaseKind: database.kind, argv: process.argv.slice(2) });
  if (plan.warning) console.warn(plan.warning);
  const wantDemo = plan.seed;
  const demo = wantDemo ? await seedDemo(db, systemClock.now()) : null;

  const demoLogins = wantDemo ? await ensureDemoAccounts(db, env.APP_SECRET, systemClock.now(), database.kind === 'pglite' ? env.DATA_DIR : undefined) : null;

  const mailer = createMailer({ db, env, logger, clock: systemClock });
  const background = createBackgroundWork();
  const app = createApp({ db, database, env, mailer, clock: systemClock, logger, background });

  const spoolRoot = resolve(env.SPOOL_DIR ?? join(env.DATA_DIR, 'spool'));
  const leftovers = cleanSpoolRoot(spoolRoot);
  if (leftovers) logger.warn('removed upload spool files left by a stopped process', { count: leftovers, dir: spoolRoot });
  setSpoolRoot(spoolRoot);
  startProcessStats();

  const http = await startHttpServer(app.fetch, env, (port) => {
    const where = database.kind === 'pglite' ? `embedded PGlite in ${resolve(env.DATA_DIR)}` : 'PostgreSQL (DATABASE_URL)';
    console.log(`Kindkans listens on http://localhost:${port}  (database: ${where})`);
    if (demo) {
      console.log(`Demo organisation ${demo.organisation.code} ${demo.organisation.name} created: school ${demo.school.brin} ${demo.school.name}, dossier of ${demo.dossier.firstName} ${demo.dossier.lastName}, hulpvraag "${demo.hulpvraag.title}" with ${demo.attachment.filename}.`);
    }
    if (demoLogins) for (const line of describeDemoLogins(demoLogins)) console.log(line);
    console.log(`API reference: http://localhost:${port}/docs`);
    mailer.kick();
  });

  // The outbox dispatcher: kicked after each commit that writes mail, and on this timer for retries.
  const mailTimer = setInterval(() => mailer.kick(), 30_000);
  mailTimer.unref();

  // Slapende accounts: the daily run of each organisation that turned it on (one process per day, see job.ts).
  const stopSleepingJob = startSleepingJobTimer({ db, appSecret: env.APP_SECRET, clock: systemClock, mailer, logger });

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
    stopSleepingJob();
    // Last resort if even the database does not close.
    const force = setTimeout(() => {
      console.error('Shutdown took too long; exiting.');
      process.exit(1);
    }, env.SHUTDOWN_TIMEOUT_MS + 15_000);
    force.unref();
    void (async () => {
      // Uploads and downloads in flight finish up to the deadline; every handler (also one whose
      // client left) has returned before the pool closes, so no audit row is lost.
      const clean = await http.shutdown(env.SHUTDOWN_TIMEOUT_MS);
      if (!clean) console.error(`Requests still running after ${env.SHUTDOWN_TIMEOUT_MS} ms were cut off.`);
      // Work a handler left running after its answer (e.g. a password-reset mail) finishes too.
      await background.settle();
      await mailer.close().catch(() => {});
      await database.close().catch((err) => logger.error('closing the database failed', { err }));
      process.exit(0);
    })();
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
