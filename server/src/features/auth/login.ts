import { eq } from 'drizzle-orm';
import type { AuthSession, AuthUser } from '../../app-env.ts';
import type { Db } from '../../db/client.ts';
import { preparedStatement } from '../../db/prepared.ts';
import { users, isPersonRole } from '../../db/schema/index.ts';
import type { Role } from '../../db/schema/users.ts';
import { verifyDummyPassword, verifyPassword } from '../../lib/password.ts';
import { verifyTotp } from '../../lib/totp.ts';
import { auditRow, recordAudit, type AuditEntry } from '../audit/service.ts';
import { totpBox } from '../activation/service.ts';
import { ORG_CODE } from '../organisations/service.ts';
import { CLEARED_BY_LOGIN, recordWrongCode, recordWrongPassword, lockoutState } from './lockout.ts';
import type { LoginRequest, User } from './schemas.ts';
import { createSession, isoText, newSession, type SessionPolicy } from './session.ts';

export type LoginInput = LoginRequest;

export type LoginResult =
  | { ok: true; token: string; session: AuthSession; user: AuthUser }
  | { ok: false; reason: string; lockedNow: boolean };

interface LoginContext {
  appSecret: string;
  policy: SessionPolicy;
  now: Date;
  audit: Omit<AuditEntry, 'action' | 'outcome'>;
  /**
   * The per-address limit on failed logins (throttle.ts `loginFailureLimit`): its counter is read
   * in the account lookup's statement, and `check` throws to refuse before the password check.
   */
  addressLimit?: { key: string; windowStart: Date; check(failures: number): void };
}

/**
 * Organisation + username (case-insensitive) + password + TOTP code. Every failure looks the same
 * to the caller (the reason goes to the audit log only); unknown accounts cost a dummy argon2
 * verification. The TOTP step is checked and stored under a row lock, so one code logs in once.
 * A wrong password only delays the account's next try; a wrong code after the right password
 * counts towards a lock (lockout.ts). Tries while blocked, locked or delayed count nowhere.
 *
 * Two ways through, with the same outcome (bench/README.md "Login against its goal"):
 * - the usual login (everything right) is ONE statement after the password check (`completeLogin`):
 *   it stores the step, clears the counters, inserts the session and the audit entry, but only
 *   while the account row still is what the checks were made on;
 * - anything else — a failure, or a row that changed meanwhile (a concurrent login with the same
 *   code: its UPDATE waits for the row lock and then finds the step taken) — goes through the
 *   transaction below, which locks the row, decides again and records the failure.
 */
export async function loginUser(db: Db, ctx: LoginContext, input: LoginInput): Promise<LoginResult> {
  const { now } = ctx;
  const code = input.organisation.trim().toUpperCase();
  // PostgreSQL text cannot hold NUL: such a name matches no one (and is not stored in the audit log).
  const username = input.username.includes('\u0000') ? '' : input.username.trim().toLowerCase();
  const candidate = await findCandidate(db, ORG_CODE.test(code) ? code : null, username, ctx.addressLimit);
  const passwordOk = candidate?.passwordHash ? await verifyPassword(candidate.passwordHash, input.password) : await verifyDummyPassword(input.password);
  const base = { ...ctx.audit, action: 'auth.login', subjectType: 'user', subjectLabel: username.slice(0, 64) } as const;
  if (candidate && passwordOk) {
    const done = await fastLogin(db, ctx, candidate, input.code, base);
    if (done) return done;
  }

  return db.transaction(async (tx): Promise<LoginResult> => {
    if (!candidate) {
      await recordAudit(tx, { ...base, outcome: 'failure', detail: { reason: 'unknown_account', organisation: code.slice(0, 12) } });
      return { ok: false, reason: 'unknown_account', lockedNow: false };
    }
    const [user] = await tx.select().from(users).where(eq(users.id, candidate.id)).for('update');
    let step: number | null = null;
    let reason: string | null =
      !user || user.status !== 'active' ? `account_${user?.status ?? 'gone'}`
      : !isPersonRole(user.role) ? 'service_account'
      : !user.passwordHash || !user.totpSecretEnc ? 'no_credentials'
      : lockoutState(user, now)
      ?? (user.passwordHash !== candidate.passwordHash ? 'password_changed' : !passwordOk ? 'wrong_password' : null);
    if (!reason && user) {
      const secret = totpBox(ctx.appSecret).decrypt(user.totpSecretEnc!);
      step = await verifyTotp(secret, input.code, now, user.totpLastStep);
      if (step === null) reason = (await verifyTotp(secret, input.code, now)) === null ? 'wrong_code' : 'replayed_code';
    }
    // The claimed account is the subject; it is the actor only once the login succeeded.
    const entry = { ...base, organisationId: candidate.organisationId, subjectId: candidate.id };
    if (reason || !user || step === null || !isPersonRole(user.role)) {
      let lockedNow = false;
      if (user && reason === 'wrong_password') await recordWrongPassword(tx, user, now);
      if (user && (reason === 'wrong_code' || reason === 'replayed_code')) {
        lockedNow = (await recordWrongCode(tx, user, now, { appSecret: ctx.appSecret, organisation: `${candidate.organisationCode} ${candidate.organisationName}` })) !== 'counted';
      }
      await recordAudit(tx, { ...entry, outcome: 'failure', detail: { reason, ...(lockedNow ? { locked: true } : {}) } });
      return { ok: false, reason: reason ?? 'unknown', lockedNow };
    }
    await tx.update(users).set({ totpLastStep: step, ...CLEARED_BY_LOGIN, lastLoginAt: now }).where(eq(users.id, user.id));
    const { token, session } = await createSession(tx, user.id, now, ctx.policy, { userAgent: ctx.audit.userAgent, ipAddress: ctx.audit.ipAddress });
    await recordAudit(tx, { ...entry, actor: { id: user.id, role: user.role, displayName: user.displayName }, outcome: 'success' });
    return {
      ok: true,
      token,
      session,
      user: { id: user.id, username: user.username, displayName: user.displayName, email: user.email, role: user.role, organisationId: user.organisationId, organisation: { code: candidate.organisationCode, name: candidate.organisationName } },
    };
  });
}

/**
 * The account a login names, with only what login needs (read without a lock), and in the same
 * statement this address's failed logins in the current window (`$3` key, `$4` window start): one
 * round trip before the password check. No organisation code (`$1` null) matches no account, but
 * the address is still read. Timestamps come as ISO text and `totp_last_step` as float8, so that
 * both drivers give the same values.
 */
const lookup = preparedStatement<{ addressFailures: number | null } & LookupColumns>(`
  select l.count as "addressFailures", c.*
  from (select 1) as one
  left join rate_limits l on l.key = $3 and l.window_start = $4::timestamptz
  left join lateral (
    select u.id, u.organisation_id as "organisationId", u.username, u.display_name as "displayName", u.email, u.role, u.status,
      u.password_hash as "passwordHash", u.totp_secret_enc as "totpSecretEnc", u.totp_last_step::float8 as "totpLastStep",
      u.failed_logins as "failedLogins", ${isoText('u.last_failed_login_at')} as "lastFailedLoginAt",
      ${isoText('u.locked_until')} as "lockedUntil", ${isoText('u.blocked_at')} as "blockedAt",
      o.code as "organisationCode", o.name as "organisationName"
    from users u join organisations o on o.id = u.organisation_id
    where o.code = $1 and u.username = $2
    limit 1
  ) as c on true`);

/** A row of `lookup`: the candidate's columns (all null when no account matched), timestamps as text. */
type LookupColumns = { [K in keyof Candidate]: Candidate[K] extends Date | null ? string | null : Candidate[K] };
type Candidate = Pick<
  typeof users.$inferSelect,
  'id' | 'organisationId' | 'username' | 'displayName' | 'email' | 'role' | 'status' | 'passwordHash' | 'totpSecretEnc' | 'totpLastStep' | 'failedLogins' | 'lastFailedLoginAt' | 'lockedUntil' | 'blockedAt'
> & { organisationCode: string; organisationName: string };

/** The named account (or none), after the per-address limit has had its say (it throws to refuse). */
async function findCandidate(db: Db, code: string | null, username: string, limit: LoginContext['addressLimit']): Promise<Candidate | undefined> {
  const [row] = await lookup(db, [code, username, limit?.key ?? null, limit?.windowStart.toISOString() ?? null]);
  limit?.check(row?.addressFailures ?? 0);
  if (!row?.id) return undefined;
  const date = (iso: string | null) => (iso === null ? null : new Date(iso));
  const { addressFailures: _, ...c } = row;
  return { ...c, lastFailedLoginAt: date(c.lastFailedLoginAt), lockedUntil: date(c.lockedUntil), blockedAt: date(c.blockedAt) };
}

/**
 * The success in one statement: the step stored and the counters cleared only while the row is
 * unchanged in everything the checks read (status, role, password hash, secret, step, lock and
 * delay fields, and the name the audit entry gives), then the session and the audit entry. A
 * concurrent UPDATE of the row makes this one wait for its commit and re-check (READ COMMITTED):
 * of 20 logins with one code exactly one finds the step still free. No row → null, and the
 * caller decides under the lock instead.
 */
const completeLogin = preparedStatement<{ id: string; username: string; displayName: string; email: string; role: Role; organisationId: string }>(`
  with u as (
    update users set totp_last_step = $2, failed_logins = 0, last_failed_login_at = null, failed_codes = 0, last_login_at = $3::timestamptz
    where id = $1::uuid and status = 'active' and role = $10 and role <> 'service' and display_name = $9
      and password_hash = $4 and totp_secret_enc = $5 and (totp_last_step is null or totp_last_step < $2)
      and blocked_at is null and locked_until is not distinct from $6::timestamptz
      and failed_logins = $7::int and last_failed_login_at is not distinct from $8::timestamptz
    returning id, username, display_name, email, role, organisation_id
  ),
  s as (
    insert into sessions (id, token_hash, user_id, created_at, last_seen_at, expires_at, user_agent, ip_address)
    select $11::uuid, $12::text, u.id, $3::timestamptz, $3::timestamptz, $13::timestamptz, $14::text, $15::text from u
  ),
  a as (
    insert into audit_log (at, organisation_id, actor_user_id, actor_role, actor_display_name, action, subject_type, subject_id, subject_label, ip_address, user_agent, outcome)
    select $16::timestamptz, $17::uuid, u.id, $10::text, $18::text, $19::text, $20::text, $21::text, $22::text, $23::text, $24::text, 'success' from u
  )
  select id, username, display_name as "displayName", email, role, organisation_id as "organisationId" from u`);

async function fastLogin(db: Db, ctx: LoginContext, c: Candidate, code: string, base: Omit<AuditEntry, 'outcome'>): Promise<LoginResult | null> {
  const { now } = ctx;
  if (c.status !== 'active' || !isPersonRole(c.role) || !c.passwordHash || !c.totpSecretEnc || lockoutState(c, now)) return null;
  const step = await verifyTotp(totpBox(ctx.appSecret).decrypt(c.totpSecretEnc), code, now, c.totpLastStep);
  if (step === null) return null;
  const { token, row: s, session } = newSession(c.id, now, ctx.policy, { userAgent: ctx.audit.userAgent, ipAddress: ctx.audit.ipAddress });
  const a = auditRow({ ...base, organisationId: c.organisationId, subjectId: c.id, actor: { id: c.id, role: c.role, displayName: c.displayName }, outcome: 'success' });
  const iso = (d: Date | null | undefined) => d?.toISOString() ?? null;
  const [user] = await completeLogin(db, [
    c.id, step, now.toISOString(), c.passwordHash, c.totpSecretEnc, iso(c.lockedUntil), c.failedLogins, iso(c.lastFailedLoginAt), c.displayName, c.role,
    s.id, s.tokenHash, s.expiresAt.toISOString(), s.userAgent, s.ipAddress,
    iso(a.at), a.organisationId, a.actorDisplayName, a.action, a.subjectType, a.subjectId, a.subjectLabel, a.ipAddress, a.userAgent,
  ]);
  if (!user) return null;
  return { ok: true, token, session, user: { ...user, organisation: { code: c.organisationCode, name: c.organisationName } } };
}

/** The API's `user` object (without internal fields). */
export const publicUser = (u: AuthUser): User => ({ id: u.id, username: u.username, displayName: u.displayName, email: u.email, role: u.role, organisation: u.organisation });
