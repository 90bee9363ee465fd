import { and, eq, lt, ne, or } from 'drizzle-orm';
import type { AuthSession, AuthUser } from '../../app-env.ts';
import type { DbOrTx } from '../../db/client.ts';
import { isPersonRole, organisations, sessions, users } from '../../db/schema/index.ts';
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
  const token = generateSessionToken();
  const expiresAt = new Date(now.getTime() + policy.maxHours * 3_600_000);
  const [row] = await db
    .insert(sessions)
    .values({ tokenHash: hashToken(token), userId, createdAt: now, lastSeenAt: now, expiresAt, userAgent: meta.userAgent ?? null, ipAddress: meta.ipAddress ?? null })
    .returning();
  return { token, session: toAuthSession(row!, policy) };
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
  const [row] = await db
    .select({ session: sessions, user: users, organisation: organisations })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .innerJoin(organisations, eq(organisations.id, users.organisationId))
    .where(eq(sessions.tokenHash, hashToken(token)))
    .limit(1);
  if (!row) return null;
  const idleExpiresAt = new Date(row.session.lastSeenAt.getTime() + policy.idleMinutes * 60_000);
  if (now >= row.session.expiresAt || now >= idleExpiresAt || row.user.status !== 'active' || !isPersonRole(row.user.role)) {
    await db.delete(sessions).where(eq(sessions.id, row.session.id));
    return null;
  }
  let session = row.session;
  if (now.getTime() - session.lastSeenAt.getTime() > TOUCH_EVERY_MS) {
    // Conditional, so that of many concurrent requests of one session only the first writes.
    const stale = new Date(now.getTime() - TOUCH_EVERY_MS);
    await db.update(sessions).set({ lastSeenAt: now }).where(and(eq(sessions.id, session.id), lt(sessions.lastSeenAt, stale)));
    session = { ...session, lastSeenAt: now };
  }
  return {
    user: {
      id: row.user.id,
      username: row.user.username,
      displayName: row.user.displayName,
      email: row.user.email,
      role: row.user.role,
      organisationId: row.user.organisationId,
      organisation: { code: row.organisation.code, name: row.organisation.name },
    },
    session: toAuthSession(session, policy),
  };
}

export function toAuthSession(row: typeof sessions.$inferSelect, policy: SessionPolicy): AuthSession {
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
