import { and, asc, count, eq, ilike, inArray, ne, or, sql, type SQL } from 'drizzle-orm';
import { visibleUsers, type Principal } from '../../authz/index.ts';
import type { Db, DbOrTx } from '../../db/client.ts';
import { DEFAULT_SLEEPING_MONTHS, sleepingSettings, sleepingWarnings, users, type Role } from '../../db/schema/index.ts';
import { AppError } from '../../lib/errors.ts';
import { recordAudit, type AuditEntry } from '../audit/service.ts';
import { atSchool, deactivateAccount, escapeLike } from '../users/service.ts';
import type { DeactivateSleeping, SleepingAccount, SleepingPage, SleepingQuery, SleepingSettings } from './schemas.ts';

/**
 * Where an account's sleep is counted from: its last login, or — never logged in — its
 * invitation (creation). Written table-qualified: drizzle leaves columns bare in single-table selects.
 */
export const inactiveSince = sql`coalesce("users"."last_login_at", "users"."created_at")`;

/** Asleep at `at`: no login for `months` calendar months (month arithmetic by PostgreSQL). */
export const sleepingAt = (months: number, at: Date): SQL => sql`${inactiveSince} + make_interval(months => ${months}::int) <= ${at.toISOString()}::timestamptz`;

/** Accounts that can sleep: people (never the service account) that are not deactivated yet. */
export const awake = (): SQL => and(sql`"users"."role" <> 'service'`, inArray(users.status, ['active', 'invited']))!;

/** The warning row about the current stretch of sleep (a login since makes an older one stale). */
const currentWarning = and(eq(sleepingWarnings.userId, users.id), sql`${sleepingWarnings.lastActivityAt} = ${inactiveSince}`);

export async function getSleepingSettings(db: DbOrTx, organisationId: string): Promise<SleepingSettings> {
  const [row] = await db.select().from(sleepingSettings).where(eq(sleepingSettings.organisationId, organisationId)).limit(1);
  return { enabled: row?.enabled ?? false, months: row?.months ?? DEFAULT_SLEEPING_MONTHS };
}

export async function setSleepingSettings(tx: DbOrTx, organisationId: string, input: SleepingSettings, now: Date): Promise<SleepingSettings> {
  await tx
    .insert(sleepingSettings)
    .values({ organisationId, enabled: input.enabled, months: input.months, updatedAt: now })
    .onConflictDoUpdate({ target: sleepingSettings.organisationId, set: { enabled: input.enabled, months: input.months, updatedAt: now } });
  return { enabled: input.enabled, months: input.months };
}

/**
 * The sleeping accounts `actor` may see (the accounts screen's visibility: admins every person,
 * school staff the parents of their schools), longest asleep first.
 */
export async function listSleeping(db: Db, actor: Principal, query: SleepingQuery, now: Date): Promise<SleepingPage> {
  const { months } = await getSleepingSettings(db, actor.organisationId);
  const q = query.q?.trim();
  const where = and(
    await visibleUsers(db, actor),
    awake(),
    sleepingAt(months, now),
    query.role ? eq(users.role, query.role) : undefined,
    query.school?.trim() ? atSchool(actor.organisationId, query.school) : undefined,
    q ? or(ilike(users.username, `%${escapeLike(q)}%`), ilike(users.displayName, `%${escapeLike(q)}%`), ilike(users.email, `%${escapeLike(q)}%`)) : undefined,
  );
  const [rows, [total]] = await Promise.all([
    db
      .select({ user: users, warnedAt: sleepingWarnings.warnedAt, deactivateAt: sleepingWarnings.deactivateAt })
      .from(users)
      .leftJoin(sleepingWarnings, currentWarning)
      .where(where)
      .orderBy(asc(inactiveSince), asc(users.id))
      .limit(query.pageSize)
      .offset((query.page - 1) * query.pageSize),
    db.select({ n: count() }).from(users).where(where),
  ]);
  return { items: rows.map(toItem), page: query.page, pageSize: query.pageSize, total: total?.n ?? 0, months, asOf: now.toISOString() };
}

function toItem(r: { user: typeof users.$inferSelect; warnedAt: Date | null; deactivateAt: Date | null }): SleepingAccount {
  const u = r.user;
  return {
    id: u.id, username: u.username, displayName: u.displayName, email: u.email, role: u.role as Role, status: u.status,
    lastLoginAt: u.lastLoginAt?.toISOString() ?? null,
    createdAt: u.createdAt.toISOString(),
    inactiveSince: (u.lastLoginAt ?? u.createdAt).toISOString(),
    warnedAt: r.warnedAt?.toISOString() ?? null,
    deactivateAt: r.deactivateAt?.toISOString() ?? null,
  };
}

/**
 * Deactivates sleeping accounts in one transaction: the listed ids (each must be visible to
 * `actor`, else 404 and nothing changes) or every sleeping account `actor` may manage. An
 * account that is no longer sleeping (it logged in meanwhile), already deactivated, or the
 * actor's own is skipped. Each one goes the way of a single deactivation (sessions end, links
 * die) and gets its own audit entry.
 */
export async function deactivateSleeping(db: Db, actor: Principal, input: DeactivateSleeping, ctx: { now: Date; audit: Omit<AuditEntry, 'action' | 'outcome'> }) {
  const ids = input.ids ? [...new Set(input.ids.map((id) => id.toLowerCase()))] : null;
  return db.transaction(async (tx) => {
    const { months } = await getSleepingSettings(tx, actor.organisationId);
    const scope = await visibleUsers(tx, actor);
    if (ids) {
      const [visible] = await tx.select({ n: count() }).from(users).where(and(scope, inArray(users.id, ids)));
      if ((visible?.n ?? 0) !== ids.length) throw new AppError('not_found', 'ids: one or more accounts do not exist or are not yours to manage.');
    }
    const due = await tx
      .select({ id: users.id, username: users.username, lastLoginAt: users.lastLoginAt, createdAt: users.createdAt })
      .from(users)
      .where(and(scope, awake(), sleepingAt(months, ctx.now), ne(users.id, actor.user.id), ids ? inArray(users.id, ids) : undefined))
      .orderBy(asc(users.id))
      .for('update');
    for (const u of due) {
      await deactivateAccount(tx, u.id, ctx.now);
      await recordAudit(tx, {
        ...ctx.audit, action: 'user.deactivate', outcome: 'success', subjectType: 'user', subjectId: u.id, subjectLabel: u.username,
        detail: { reason: 'sleeping', months, inactiveSince: (u.lastLoginAt ?? u.createdAt).toISOString(), bulk: ids ? 'ids' : 'all' },
      });
    }
    return { deactivated: due.length, skipped: ids ? ids.length - due.length : 0 };
  });
}
