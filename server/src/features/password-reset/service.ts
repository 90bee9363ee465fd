import { and, count, eq, gt, isNull } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { oneTimeTokens, organisations, users } from '../../db/schema/index.ts';
import { AppError } from '../../lib/errors.ts';
import { hashPassword, passwordProblem } from '../../lib/password.ts';
import { verifyTotp } from '../../lib/totp.ts';
import { enqueueMail } from '../../mail/outbox.ts';
import { recordAudit, type AuditEntry } from '../audit/service.ts';
import { totpBox } from '../activation/service.ts';
import { createOneTimeToken, findLiveToken, linkFor } from '../activation/tokens.ts';
import { invalidateUserSessions } from '../auth/session.ts';
import { CLEARED, recordWrongCode } from '../auth/lockout.ts';
import type { PasswordResetInfo, PasswordResetRequest } from './schemas.ts';

/** Reset mails per account per hour; more requests are answered the same (202) and send nothing. */
const RESET_MAILS_PER_HOUR = 3;

/**
 * Sends a reset link when an active account with a password and authenticator matches, at most
 * 3 per account per hour. Earlier links stay valid (until their hour ends or one link is used).
 * The caller answers 202 before this runs, so timing tells nothing. Returns whether a mail was queued.
 */
export async function requestPasswordReset(
  db: Db,
  ctx: { appSecret: string; publicUrl: string; now: Date; audit: Omit<AuditEntry, 'action' | 'outcome'> },
  input: PasswordResetRequest,
): Promise<boolean> {
  if (`${input.organisation}${input.username}`.includes('\u0000')) return false;
  return db.transaction(async (tx) => {
    const [row] = await tx
      .select({ user: users, organisation: organisations })
      .from(users)
      .innerJoin(organisations, eq(organisations.id, users.organisationId))
      .where(and(eq(organisations.code, input.organisation.trim().toUpperCase()), eq(users.username, input.username.trim().toLowerCase())))
      .limit(1);
    const eligible = row && row.user.status === 'active' && row.user.passwordHash && row.user.totpSecretEnc;
    if (eligible) await tx.select({ id: users.id }).from(users).where(eq(users.id, row.user.id)).for('update'); // one request at a time per account
    const recent = eligible
      ? (await tx.select({ n: count() }).from(oneTimeTokens).where(and(eq(oneTimeTokens.userId, row.user.id), eq(oneTimeTokens.purpose, 'password_reset'), gt(oneTimeTokens.createdAt, new Date(ctx.now.getTime() - 3_600_000)))))[0]!.n
      : 0;
    const ok = eligible && recent < RESET_MAILS_PER_HOUR;
    await recordAudit(tx, {
      ...ctx.audit,
      organisationId: row?.organisation.id ?? null,
      action: 'account.password_reset_request',
      outcome: ok ? 'success' : 'failure',
      subjectType: 'user',
      subjectId: row?.user.id,
      subjectLabel: input.username.slice(0, 64),
      detail: ok ? undefined : { reason: eligible ? 'mail_limit' : row ? `account_${row.user.status}` : 'unknown_account' },
    });
    if (!ok) return false;
    const token = await createOneTimeToken(tx, row.user.id, 'password_reset', ctx.now, { keepLive: true });
    await enqueueMail(tx, ctx.appSecret, {
      to: row.user.email,
      organisationId: row.organisation.id,
      now: ctx.now,
      mail: { template: 'password_reset', displayName: row.user.displayName, organisation: `${row.organisation.code} ${row.organisation.name}`, username: row.user.username, link: linkFor(ctx.publicUrl, 'password_reset', token) },
    });
    return true;
  });
}

/** The API's answer, and the person's name for the page. */
export async function getPasswordReset(db: Db, token: string, now: Date): Promise<PasswordResetInfo & { displayName: string }> {
  const row = await findLiveToken(db, token, ['password_reset'], now);
  return { username: row.user.username, displayName: row.user.displayName, organisation: { code: row.organisation.code, name: row.organisation.name } };
}

/**
 * Sets a new password with a current TOTP code (checked against the last accepted step under the
 * row lock, like a login). Every session of the user ends, every other reset link of the user dies,
 * and every lock is lifted. A wrong code counts like one at login (lockout.ts); during a 15-minute
 * lock the form refuses without counting (429). A blocked account (3 locks) is unblocked here.
 */
export async function completePasswordReset(
  db: Db,
  appSecret: string,
  token: string,
  input: { password: string; code: string },
  now: Date,
  audit: Omit<AuditEntry, 'action' | 'outcome'>,
): Promise<void> {
  const peek = await findLiveToken(db, token, ['password_reset'], now);
  const problem = passwordProblem(input.password, peek.user.username);
  if (problem) throw new AppError('weak_password', problem);
  const newHash = await hashPassword(input.password);
  const failure = await db.transaction(async (tx): Promise<'wrong_code' | { lockedUntil: Date } | null> => {
    const { user, token: row, organisation } = await findLiveToken(tx, token, ['password_reset'], now, true);
    const entry = { ...audit, organisationId: user.organisationId, subjectType: 'user', subjectId: user.id, subjectLabel: user.username };
    if (user.lockedUntil && user.lockedUntil > now) {
      await recordAudit(tx, { ...entry, action: 'account.password_reset', outcome: 'failure', detail: { reason: 'locked' } });
      return { lockedUntil: user.lockedUntil };
    }
    const step = user.totpSecretEnc ? await verifyTotp(totpBox(appSecret).decrypt(user.totpSecretEnc), input.code, now, user.totpLastStep) : null;
    if (step === null) {
      const counted = await recordWrongCode(tx, user, now, { appSecret, organisation: `${organisation.code} ${organisation.name}` });
      await recordAudit(tx, { ...entry, action: 'account.password_reset', outcome: 'failure', detail: { reason: 'wrong_code', ...(counted !== 'counted' ? { locked: true } : {}) } });
      return 'wrong_code';
    }
    await tx.update(users).set({ passwordHash: newHash, passwordChangedAt: now, totpLastStep: step, ...CLEARED, updatedAt: now }).where(eq(users.id, user.id));
    await tx.update(oneTimeTokens).set({ usedAt: now }).where(eq(oneTimeTokens.id, row.id));
    await tx.update(oneTimeTokens).set({ usedAt: now }).where(and(eq(oneTimeTokens.userId, user.id), eq(oneTimeTokens.purpose, 'password_reset'), isNull(oneTimeTokens.usedAt)));
    await invalidateUserSessions(tx, user.id);
    await recordAudit(tx, { ...entry, actor: { id: user.id, role: user.role, displayName: user.displayName }, action: 'account.password_reset', outcome: 'success', detail: user.blockedAt || (user.lockedUntil && user.lockedUntil > now) ? { unlocked: true } : undefined });
    return null;
  });
  if (failure === 'wrong_code') throw new AppError('invalid_code', 'De code klopt niet. / The code is not correct.');
  if (failure) {
    const seconds = Math.max(1, Math.ceil((failure.lockedUntil.getTime() - now.getTime()) / 1000));
    throw new AppError('too_many_attempts', `Te veel verkeerde codes: probeer het over ${Math.ceil(seconds / 60)} minuten opnieuw. / Too many wrong codes: try again in ${Math.ceil(seconds / 60)} minutes.`, { retryAfter: seconds }, { 'Retry-After': String(seconds) });
  }
}
