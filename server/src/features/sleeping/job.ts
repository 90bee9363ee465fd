import { and, asc, count, eq, notInArray, sql } from 'drizzle-orm';
import type { Db, DbOrTx } from '../../db/client.ts';
import { jobRuns, organisations, sleepingSettings, sleepingWarnings, users } from '../../db/schema/index.ts';
import type { Clock } from '../../lib/clock.ts';
import type { Logger } from '../../lib/logger.ts';
import { enqueueMail } from '../../mail/outbox.ts';
import type { Mailer } from '../../mail/types.ts';
import { recordAudit } from '../audit/service.ts';
import { deactivateAccount } from '../users/service.ts';
import { awake, inactiveSince, sleepingAt } from './service.ts';

const SLEEPING_JOB = 'sleeping-accounts';
/** The warning goes out at least this long before the deactivation. */
const WARNING_MS = 7 * 86_400_000;
const DAY_MS = 86_400_000;

/** The day of `at` (UTC): one run per organisation per day. */
const dayOf = (at: Date) => at.toISOString().slice(0, 10);
/** The next midnight (UTC) after `at`: deactivation happens on a whole day, the day the mail names. */
const nextMidnight = (at: Date) => new Date(Math.floor(at.getTime() / DAY_MS) * DAY_MS + DAY_MS);
const formatDate = (at: Date, locale: string) => new Intl.DateTimeFormat(locale, { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' }).format(at);

export interface SleepingRun { organisationId: string; ran: boolean; warned: number; deactivated: number }

/**
 * The daily job: for each organisation that turned it on, once per day, in one transaction per
 * organisation — mails every account that will have slept `months` months a week from now its
 * warning (once per stretch of sleep, through the outbox), and deactivates the warned accounts
 * whose day has come. Safe with several server processes: the organisation's settings row is
 * locked (SKIP LOCKED: a second process skips it) and the day's `job_runs` row marks it done, in
 * the same transaction, so a run that fails or is cut off by a restart is retried on the next tick.
 * Call `mailer.kick()` afterwards.
 */
export async function runSleepingJob(db: Db, options: { now: Date; appSecret: string }): Promise<SleepingRun[]> {
  const enabled = await db.select({ organisationId: sleepingSettings.organisationId }).from(sleepingSettings).where(eq(sleepingSettings.enabled, true));
  const runs: SleepingRun[] = [];
  for (const { organisationId } of enabled) runs.push(await runForOrganisation(db, organisationId, options));
  return runs;
}

async function runForOrganisation(db: Db, organisationId: string, { now, appSecret }: { now: Date; appSecret: string }): Promise<SleepingRun> {
  return db.transaction(async (tx) => {
    const skipped = { organisationId, ran: false, warned: 0, deactivated: 0 };
    const [settings] = await tx
      .select({ enabled: sleepingSettings.enabled, months: sleepingSettings.months, code: organisations.code, name: organisations.name })
      .from(sleepingSettings)
      .innerJoin(organisations, eq(organisations.id, sleepingSettings.organisationId))
      .where(eq(sleepingSettings.organisationId, organisationId))
      .for('update', { of: sleepingSettings, skipLocked: true });
    if (!settings?.enabled) return skipped; // another process has it now, or it was just turned off
    const [claimed] = await tx.insert(jobRuns).values({ job: SLEEPING_JOB, organisationId, runDate: dayOf(now), ranAt: now }).onConflictDoNothing().returning();
    if (!claimed) return skipped; // done today already
    const { months } = settings;
    const organisation = `${settings.code} ${settings.name}`;

    const warned = await warnSoonSleeping(tx, organisationId, months, organisation, now, appSecret);
    const deactivated = await deactivateWarned(tx, organisationId, months, now);
    await tx.update(jobRuns).set({ detail: { months, warned, deactivated } })
      .where(and(eq(jobRuns.job, SLEEPING_JOB), eq(jobRuns.organisationId, organisationId), eq(jobRuns.runDate, claimed.runDate)));
    return { organisationId, ran: true, warned, deactivated };
  });
}

/** Accounts asleep a week from now without a warning about this stretch: the warning, once. */
async function warnSoonSleeping(tx: DbOrTx, organisationId: string, months: number, organisation: string, now: Date, appSecret: string): Promise<number> {
  const soon = await tx
    .select({
      id: users.id, email: users.email, displayName: users.displayName, username: users.username, status: users.status,
      since: sql<string>`${inactiveSince}`,
      due: sql<string>`${inactiveSince} + make_interval(months => ${months}::int)`,
    })
    .from(users)
    .where(and(
      eq(users.organisationId, organisationId), awake(), sleepingAt(months, new Date(now.getTime() + WARNING_MS)),
      sql`not exists (select 1 from sleeping_account_warnings w where w.user_id = "users"."id" and w.last_activity_at = ${inactiveSince})`,
    ))
    .orderBy(asc(users.id))
    .for('update', { of: users });
  for (const u of soon) {
    // At least a week's notice, also for an account that slept long before the job was turned on.
    const deactivateAt = nextMidnight(new Date(Math.max(new Date(u.due).getTime(), now.getTime() + WARNING_MS)));
    const lastActivityAt = new Date(u.since);
    await tx.insert(sleepingWarnings).values({ userId: u.id, lastActivityAt, warnedAt: now, deactivateAt })
      .onConflictDoUpdate({ target: sleepingWarnings.userId, set: { lastActivityAt, warnedAt: now, deactivateAt } });
    await enqueueMail(tx, appSecret, {
      to: u.email, organisationId, now,
      mail: { template: 'sleeping_warning', displayName: u.displayName, organisation, username: u.username, dateNl: formatDate(deactivateAt, 'nl-NL'), dateEn: formatDate(deactivateAt, 'en-GB'), activated: u.status === 'active' },
    });
    await recordAudit(tx, { organisationId, actor: null, action: 'user.sleeping_warning', outcome: 'success', subjectType: 'user', subjectId: u.id, subjectLabel: u.username, detail: { months, inactiveSince: lastActivityAt.toISOString(), deactivateAt: deactivateAt.toISOString() }, at: now });
  }
  return soon.length;
}

/** Warned accounts, still asleep, whose day has come: deactivated — never the organisation's last active admin. */
async function deactivateWarned(tx: DbOrTx, organisationId: string, months: number, now: Date): Promise<number> {
  let due = await tx
    .select({ id: users.id, username: users.username, role: users.role, since: sql<string>`${inactiveSince}` })
    .from(users)
    .innerJoin(sleepingWarnings, and(eq(sleepingWarnings.userId, users.id), sql`${sleepingWarnings.lastActivityAt} = ${inactiveSince}`))
    .where(and(eq(users.organisationId, organisationId), awake(), sleepingAt(months, now), sql`${sleepingWarnings.deactivateAt} <= ${now.toISOString()}::timestamptz`))
    .orderBy(asc(inactiveSince), asc(users.id))
    .for('update', { of: users });
  const admins = due.filter((u) => u.role === 'admin');
  if (admins.length) {
    const [others] = await tx.select({ n: count() }).from(users)
      .where(and(eq(users.organisationId, organisationId), eq(users.role, 'admin'), eq(users.status, 'active'), notInArray(users.id, admins.map((a) => a.id))));
    // Nobody would be left to manage the organisation: the admin who logged in last stays.
    if ((others?.n ?? 0) === 0) due = due.filter((u) => u.id !== admins[admins.length - 1]!.id);
  }
  for (const u of due) {
    await deactivateAccount(tx, u.id, now);
    await recordAudit(tx, { organisationId, actor: null, action: 'user.deactivate', outcome: 'success', subjectType: 'user', subjectId: u.id, subjectLabel: u.username, detail: { reason: 'sleeping', job: SLEEPING_JOB, months, inactiveSince: new Date(u.since).toISOString() }, at: now });
  }
  return due.length;
}

/**
 * The in-process scheduler, like the outbox dispatcher's timer: every `everyMs` (and shortly
 * after start) it runs the day's job where it has not run yet, then kicks the mailer.
 */
export function startSleepingJobTimer(options: { db: Db; appSecret: string; clock: Clock; mailer: Mailer; logger: Logger; everyMs?: number; firstAfterMs?: number }): () => void {
  const { db, appSecret, clock, mailer, logger } = options;
  let running = false;
  const tick = () => {
    if (running) return;
    running = true;
    runSleepingJob(db, { now: clock.now(), appSecret })
      .then((runs) => {
        const done = runs.filter((r) => r.ran);
        if (done.some((r) => r.warned || r.deactivated)) mailer.kick();
        for (const r of done) logger.info('sleeping accounts: daily run', { organisationId: r.organisationId, warned: r.warned, deactivated: r.deactivated });
      })
      .catch((err) => logger.warn('sleeping accounts job failed; next tick retries', { err }))
      .finally(() => { running = false; });
  };
  const first = setTimeout(tick, options.firstAfterMs ?? 60_000);
  const timer = setInterval(tick, options.everyMs ?? 15 * 60_000);
  first.unref();
  timer.unref();
  return () => { clearTimeout(first); clearInterval(timer); };
}
