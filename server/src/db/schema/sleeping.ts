import { sql } from 'drizzle-orm';
import { boolean, check, date, integer, jsonb, pgTable, primaryKey, text, uuid } from 'drizzle-orm/pg-core';
import { instant, updatedAt } from './columns.ts';
import { organisations } from './organisations.ts';
import { users } from './users.ts';

/** A sleeping account: no login for this many months unless the organisation chose otherwise. */
export const DEFAULT_SLEEPING_MONTHS = 12;

/**
 * Slapende accounts deactiveren, per organisation (admins): whether the daily job deactivates
 * accounts without a login for `months` months. No row: off, 12 months.
 */
export const sleepingSettings = pgTable(
  'sleeping_account_settings',
  {
    organisationId: uuid('organisation_id').primaryKey().references(() => organisations.id, { onDelete: 'cascade' }),
    enabled: boolean('enabled').notNull().default(false),
    months: integer('months').notNull().default(DEFAULT_SLEEPING_MONTHS),
    updatedAt: updatedAt(),
  },
  (t) => [check('sleeping_account_settings_months_check', sql`${t.months} between 1 and 120`)],
);

/**
 * The warning mail the daily job sent an account, about one stretch of sleep: `lastActivityAt`
 * is the last login (or the creation) the warning was about, so a login since makes the row
 * stale and a later stretch gets a warning of its own. The job deactivates at `deactivateAt`
 * (never sooner than a week after the warning) only while the row is current.
 */
export const sleepingWarnings = pgTable('sleeping_account_warnings', {
  userId: uuid('user_id').primaryKey().references(() => users.id, { onDelete: 'cascade' }),
  lastActivityAt: instant('last_activity_at').notNull(),
  warnedAt: instant('warned_at').notNull(),
  deactivateAt: instant('deactivate_at').notNull(),
});

/**
 * One row per daily job, organisation and day: the process that inserts it (in the
 * transaction that does the work) is the one that runs that day; the others find it and skip.
 */
export const jobRuns = pgTable(
  'job_runs',
  {
    job: text('job').notNull(),
    organisationId: uuid('organisation_id').notNull().references(() => organisations.id, { onDelete: 'cascade' }),
    runDate: date('run_date', { mode: 'string' }).notNull(),
    ranAt: instant('ran_at').notNull(),
    detail: jsonb('detail').$type<Record<string, unknown>>(),
  },
  (t) => [primaryKey({ name: 'job_runs_pkey', columns: [t.job, t.organisationId, t.runDate] })],
);
