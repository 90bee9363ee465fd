import { randomUUID } from 'node:crypto';
import { and, eq, lt, ne, or, sql } from 'drizzle-orm';
import { PgTransaction } from 'drizzle-orm/pg-core';
import type { AuthSession, AuthUser } from '../../app-env.ts';
import type { Db, DbOrTx } from '../../db/client.ts';
import { preparedStatement } from '../../db/prepared.ts';
import { isPersonRole, organisations, sessions, users } from '../../db/schema/index.ts';
import type { Role } from '../../db/schema/users.ts';
import { generateSessionToken, hashToken } from '../../lib/crypto.ts';

export interface SessionPolicy {
  idleMinutes: number;
  maxHours: number;
}

/** Activity is written at most this often, so a burst of requests costs one UPDATE. */
const TOUCH_EVERY_MS = 15_000;

/** A new session: 256-bit random token for the client, only its SHA-256 in the database. */
export async function createSession(
  db: DbOrTx,
  userId: string,
  now: Date,
  policy: SessionPolicy,
  meta: { userAgent?: string; ipAddress?: string } = {},
) {
  const { token, row, session } = newSession(userId, now, policy, meta);
  await db.insert(sessions).values(row);
  return { token, session };
}

/**
 * A new session before it is written: the token for the client and the row to insert (its id
 * made here, so that a statement that inserts it need not return it — login's fast path).
 */
export function newSession(userId: string, now: Date, policy: SessionPolicy, meta: { userAgent?: string; ipAddress?: string } = {}) {
  const token = generateSessionToken();
  const row = {
    id: randomUUID(),
    tokenHash: hashToken(token),
    userId,
    createdAt: now,
    lastSeenAt: now,
    expiresAt: new Date(now.getTime() + policy.maxHours * 3_600_000),
    userAgent: meta.userAgent ?? null,
    ipAddress: meta.ipAddress ?? null,
  } satisfies typeof sessions.$inferInsert;
  return { token, row, session: toAuthSession(row, policy) };
}

/**
 * The user and session behind a bearer token, or null when unknown, expired (idle or absolute)
 * or the account is no longer active. Expired sessions are deleted on sight; activity is recorded.
 */
export async function validateSessionToken(
  db: DbOrTx,
  token: string,
  now: Date,
  policy: SessionPolicy,
): Promise<{ user: AuthUser; session: AuthSession } | null> {
  if (token.length < 20 || token.length > 128) return null;
  const [row] = await sessionLookup(db).execute({ tokenHash: hashToken(token) });
  if (!row) return null;
  const idleExpiresAt = new Date(row.lastSeenAt.getTime() + policy.idleMinutes * 60_000);
  if (now >= row.expiresAt || now >= idleExpiresAt || row.status !== 'active' || !isPersonRole(row.role)) {
    await db.delete(sessions).where(eq(sessions.id, row.id));
    return null;
  }
  let lastSeenAt = row.lastSeenAt;
  if (now.getTime() - lastSeenAt.getTime() > TOUCH_EVERY_MS) {
    // Conditional, so that of many concurrent requests of one session only the first writes.
    const stale = new Date(now.getTime() - TOUCH_EVERY_MS);
    await db.update(sessions).set({ lastSeenAt: now }).where(and(eq(sessions.id, row.id), lt(sessions.lastSeenAt, stale)));
    lastSeenAt = now;
  }
  return toUserAndSession(row, lastSeenAt, policy);
}

type LookupRow = Awaited<ReturnType<SessionLookup['execute']>>[number];

function toUserAndSession(row: LookupRow, lastSeenAt: Date, policy: SessionPolicy): { user: AuthUser; session: AuthSession } {
  return {
    user: {
      id: row.userId,
      username: row.username,
      displayName: row.displayName,
      email: row.email,
      role: row.role as Role, // a person: both callers have checked it (isPersonRole, or `u.role <> 'service'` in SQL)
      organisationId: row.organisationId,
      organisation: { code: row.organisationCode, name: row.organisationName },
    },
    session: toAuthSession({ id: row.id, createdAt: row.createdAt, lastSeenAt, expiresAt: row.expiresAt }, policy),
  };
}

/**
 * The same check as `validateSessionToken`, as SQL for a hot read that answers in one statement
 * (features/hulpvragen/hot-list.ts): CTE `live` is the session and its user when the session is
 * live (not expired, idle or of an inactive account or a service account), CTE `touched` records
 * the activity at most every 15 s. Placeholders: `$1` token hash, `$2` now, `$3` now − idle time,
 * `$4` now − 15 s (all timestamptz). A token that finds no row goes the ordinary way
 * (`validateSessionToken`), which deletes an expired session and answers 401.
 */
/** A timestamptz column as ISO text in UTC, milliseconds (what `Date#toISOString` gives; null stays null). */
export const isoText = (column: string) => `to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
export const liveSessionSql = `
  live as (
    select s.id, ${isoText('s.created_at')} as "createdAt", ${isoText('s.last_seen_at')} as "lastSeenAt", ${isoText('s.expires_at')} as "expiresAt",
      u.id as "userId", u.username, u.display_name as "displayName", u.email, u.role, u.organisation_id as "organisationId",
      u.status, o.code as "organisationCode", o.name as "organisationName"
    from sessions s join users u on u.id = s.user_id join organisations o on o.id = u.organisation_id
    where s.token_hash = $1 and s.expires_at > $2::timestamptz and s.last_seen_at > $3::timestamptz
      and u.status = 'active' and u.role <> 'service'
  ),
  touched as (
    update sessions set last_seen_at = $2::timestamptz
    where id = (select id from live) and last_seen_at < $4::timestamptz
  )`;

/** The parameters `$1`–`$4` of `liveSessionSql`. */
export function liveSessionParams(token: string, now: Date, policy: SessionPolicy): [string, string, string, string] {
  return [hashToken(token), now.toISOString(), new Date(now.getTime() - policy.idleMinutes * 60_000).toISOString(), new Date(now.getTime() - TOUCH_EVERY_MS).toISOString()];
}

/** A row of `live`: timestamps as ISO text (the drivers behind drizzle give timestamps as text in their own formats). */
export type LiveSessionRow = Omit<LookupRow, 'createdAt' | 'lastSeenAt' | 'expiresAt'> & { createdAt: string; lastSeenAt: string; expiresAt: string };

/** The user and session from a `live` row, with the activity `touched` recorded (as `validateSessionToken`). */
export function liveSession(live: LiveSessionRow, now: Date, policy: SessionPolicy): { user: AuthUser; session: AuthSession } {
  const row = { ...live, createdAt: new Date(live.createdAt), lastSeenAt: new Date(live.lastSeenAt), expiresAt: new Date(live.expiresAt) };
  return toUserAndSession(row, now.getTime() - row.lastSeenAt.getTime() > TOUCH_EVERY_MS ? now : row.lastSeenAt, policy);
}

const liveSessionStatement = preparedStatement<LiveSessionRow>(`with ${liveSessionSql} select * from live`);

/**
 * The session check of an authenticated request (authz/authenticate.ts): a live session is found
 * and its activity recorded by ONE prepared statement (`liveSessionSql`, as the hot list does
 * inside its own; on PGlite, which plans drizzle's queries on every call, this is also the one
 * plan kept); a token that finds no live row goes the ordinary way (`validateSessionToken`), which
 * deletes an expired session and answers null.
 */
export async function checkSessionToken(db: Db, token: string, now: Date, policy: SessionPolicy): Promise<{ user: AuthUser; session: AuthSession } | null> {
  const [live] = await liveSessionStatement(db, liveSessionParams(token, now, policy));
  return live ? liveSession(live, now, policy) : validateSessionToken(db, token, now, policy);
}

/**
 * The session lookup of every authenticated request: only what a request needs — never the
 * password hash or the TOTP secret, which only login and the password routes read.
 */
export function sessionLookupQuery(db: DbOrTx) {
  return db
    .select({
      id: sessions.id, createdAt: sessions.createdAt, lastSeenAt: sessions.lastSeenAt, expiresAt: sessions.expiresAt,
      userId: users.id, username: users.username, displayName: users.displayName, email: users.email, role: users.role,
      organisationId: users.organisationId, status: users.status, organisationCode: organisations.code, organisationName: organisations.name,
    })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .innerJoin(organisations, eq(organisations.id, users.organisationId))
    .where(eq(sessions.tokenHash, sql.placeholder('tokenHash')))
    .limit(1);
}

type SessionLookup = ReturnType<ReturnType<typeof sessionLookupQuery>['prepare']>;
const preparedLookups = new WeakMap<object, SessionLookup>();

/**
 * The lookup built once per database and prepared (PostgreSQL parses and plans it once per
 * connection; drizzle builds its SQL once); inside a transaction it is built for that transaction.
 */
function sessionLookup(db: DbOrTx): SessionLookup {
  if (db instanceof PgTransaction) return sessionLookupQuery(db).prepare('session_lookup');
  let prepared = preparedLookups.get(db);
  if (!prepared) {
    prepared = sessionLookupQuery(db).prepare('session_lookup');
    preparedLookups.set(db, prepared);
  }
  return prepared;
}

function toAuthSession(row: Pick<typeof sessions.$inferSelect, 'id' | 'createdAt' | 'lastSeenAt' | 'expiresAt'>, policy: SessionPolicy): AuthSession {
  const idle = new Date(row.lastSeenAt.getTime() + policy.idleMinutes * 60_000);
  return {
    id: row.id,
    createdAt: row.createdAt,
    lastSeenAt: row.lastSeenAt,
    expiresAt: row.expiresAt,
    idleExpiresAt: idle < row.expiresAt ? idle : row.expiresAt,
  };
}

export async function invalidateSession(db: DbOrTx, sessionId: string): Promise<void> {
  await db.delete(sessions).where(eq(sessions.id, sessionId));
}

/** Ends every session of a user (password or 2FA change, deactivation), optionally but one. */
export async function invalidateUserSessions(db: DbOrTx, userId: string, exceptSessionId?: string): Promise<void> {
  await db
    .delete(sessions)
    .where(exceptSessionId ? and(eq(sessions.userId, userId), ne(sessions.id, exceptSessionId)) : eq(sessions.userId, userId));
}

/** Housekeeping: removes sessions that can no longer be used. */
export async function deleteExpiredSessions(db: DbOrTx, now: Date, policy: SessionPolicy): Promise<void> {
  const idleCutoff = new Date(now.getTime() - policy.idleMinutes * 60_000);
  await db.delete(sessions).where(or(lt(sessions.expiresAt, now), lt(sessions.lastSeenAt, idleCutoff)));
}

export const sessionPolicy = (env: { SESSION_IDLE_MINUTES: number; SESSION_MAX_HOURS: number }): SessionPolicy => ({
  idleMinutes: env.SESSION_IDLE_MINUTES,
  maxHours: env.SESSION_MAX_HOURS,
});
