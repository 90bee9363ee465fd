import { and, eq } from 'drizzle-orm';
import type { AuthSession, AuthUser } from '../../app-env.ts';
import type { Db } from '../../db/client.ts';
import { organisations, users, isPersonRole } from '../../db/schema/index.ts';
import { verifyDummyPassword, verifyPassword } from '../../lib/password.ts';
import { verifyTotp } from '../../lib/totp.ts';
import { recordAudit, type AuditEntry } from '../audit/service.ts';
import { totpBox } from '../activation/service.ts';
import { ORG_CODE } from '../organisations/service.ts';
import { recordLoginFailure, throttleState } from './lockout.ts';
import type { LoginRequest, User } from './schemas.ts';
import { createSession, type SessionPolicy } from './session.ts';

export type LoginInput = LoginRequest;

export type LoginResult =
  | { ok: true; token: string; session: AuthSession; user: AuthUser }
  | { ok: false; reason: string; lockedNow: boolean };

/** Failures that count towards the per-account delay and lock. */
const COUNTED = new Set(['wrong_password', 'wrong_code', 'replayed_code']);

/**
 * Organisation + username (case-insensitive) + password + TOTP code. Every failure looks the same
 * to the caller (the reason goes to the audit log only); unknown accounts cost a dummy argon2
 * verification. The TOTP step is checked and stored under a row lock, so one code logs in once.
 */
export async function loginUser(
  db: Db,
  ctx: { appSecret: string; policy: SessionPolicy; now: Date; audit: Omit<AuditEntry, 'action' | 'outcome'> },
  input: LoginInput,
): Promise<LoginResult> {
  const { now } = ctx;
  const code = input.organisation.trim().toUpperCase();
  // PostgreSQL text cannot hold NUL: such a name matches no one (and is not stored in the audit log).
  const username = input.username.includes('\u0000') ? '' : input.username.trim().toLowerCase();
  const [candidate] = ORG_CODE.test(code)
    ? await db
        .select({ user: users, organisation: organisations })
        .from(users)
        .innerJoin(organisations, eq(organisations.id, users.organisationId))
        .where(and(eq(organisations.code, code), eq(users.username, username)))
        .limit(1)
    : [];
  const known = candidate?.user.passwordHash;
  const passwordOk = known ? await verifyPassword(known, input.password) : await verifyDummyPassword(input.password);

  const result = await db.transaction(async (tx): Promise<LoginResult> => {
    const base = { ...ctx.audit, action: 'auth.login', subjectType: 'user', subjectLabel: username.slice(0, 64) } as const;
    if (!candidate) {
      await recordAudit(tx, { ...base, outcome: 'failure', detail: { reason: 'unknown_account', organisation: code.slice(0, 12) } });
      return { ok: false, reason: 'unknown_account', lockedNow: false };
    }
    const [user] = await tx.select().from(users).where(eq(users.id, candidate.user.id)).for('update');
    const org = candidate.organisation;
    let step: number | null = null;
    let reason: string | null =
      !user || user.status !== 'active' ? `account_${user?.status ?? 'gone'}`
      : !isPersonRole(user.role) ? 'service_account'
      : !user.passwordHash || !user.totpSecretEnc ? 'no_credentials'
      : throttleState(user, now)
      ?? (user.passwordHash !== candidate.user.passwordHash ? 'password_changed' : !passwordOk ? 'wrong_password' : null);
    if (!reason && user) {
      const secret = totpBox(ctx.appSecret).decrypt(user.totpSecretEnc!);
      step = await verifyTotp(secret, input.code, now, user.totpLastStep);
      if (step === null) reason = (await verifyTotp(secret, input.code, now)) === null ? 'wrong_code' : 'replayed_code';
    }
    // The claimed account is the subject; it is the actor only once the login succeeded.
    const entry = { ...base, organisationId: org.id, subjectId: candidate.user.id };
    if (reason || !user || step === null || !isPersonRole(user.role)) {
      const lockedNow = user && reason && COUNTED.has(reason) ? await recordLoginFailure(tx, user, now, { appSecret: ctx.appSecret, organisation: `${org.code} ${org.name}` }) : false;
      await recordAudit(tx, { ...entry, outcome: 'failure', detail: { reason, ...(lockedNow ? { locked: true } : {}) } });
      return { ok: false, reason: reason ?? 'unknown', lockedNow };
    }
    await tx.update(users).set({ totpLastStep: step, failedLogins: 0, lockedUntil: null, lastFailedLoginAt: null, lastLoginAt: now }).where(eq(users.id, user.id));
    const { token, session } = await createSession(tx, user.id, now, ctx.policy, { userAgent: ctx.audit.userAgent, ipAddress: ctx.audit.ipAddress });
    await recordAudit(tx, { ...entry, actor: { id: user.id, role: user.role, displayName: user.displayName }, outcome: 'success' });
    return {
      ok: true,
      token,
      session,
      user: { id: user.id, username: user.username, displayName: user.displayName, email: user.email, role: user.role, organisationId: user.organisationId, organisation: { code: org.code, name: org.name } },
    };
  });
  return result;
}

/** The API's `user` object (without internal fields). */
export const publicUser = (u: AuthUser): User => ({ id: u.id, username: u.username, displayName: u.displayName, email: u.email, role: u.role, organisation: u.organisation });
