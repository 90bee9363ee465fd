import { and, eq } from 'drizzle-orm';
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
import { recordLoginFailure } from '../auth/lockout.ts';
import type { PasswordResetInfo, PasswordResetRequest } from './schemas.ts';

/**
 * Sends a reset link when an active account with a password and authenticator matches.
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
    const ok = row && row.user.status === 'active' && row.user.passwordHash && row.user.totpSecretEnc;
    await recordAudit(tx, {
      ...ctx.audit,
      organisationId: row?.organisation.id ?? null,
      action: 'account.password_reset_request',
      outcome: ok ? 'success' : 'failure',
      subjectType: 'user',
      subjectId: row?.user.id,
      subjectLabel: input.username.slice(0, 64),
      detail: ok ? undefined : { reason: row ? `account_${row.user.status}` : 'unknown_account' },
    });
    if (!ok) return false;
    const token = await createOneTimeToken(tx, row.user.id, 'password_reset', ctx.now);
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
 * row lock, like a login). Every session of the user ends. A wrong code counts as a failed login.
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
  const failure = await db.transaction(async (tx) => {
    const { user, token: row, organisation } = await findLiveToken(tx, token, ['password_reset'], now, true);
    const locked = user.lockedUntil && user.lockedUntil > now;
    const step = !locked && user.totpSecretEnc ? await verifyTotp(totpBox(appSecret).decrypt(user.totpSecretEnc), input.code, now, user.totpLastStep) : null;
    const entry = { ...audit, organisationId: user.organisationId, subjectType: 'user', subjectId: user.id, subjectLabel: user.username };
    if (step === null) {
      if (!locked) await recordLoginFailure(tx, user, now, { appSecret, organisation: `${organisation.code} ${organisation.name}` });
      await recordAudit(tx, { ...entry, action: 'account.password_reset', outcome: 'failure', detail: { reason: locked ? 'locked' : 'wrong_code' } });
      return true;
    }
    await tx
      .update(users)
      .set({ passwordHash: newHash, passwordChangedAt: now, totpLastStep: step, failedLogins: 0, lockedUntil: null, updatedAt: now })
      .where(eq(users.id, user.id));
    await tx.update(oneTimeTokens).set({ usedAt: now }).where(eq(oneTimeTokens.id, row.id));
    await invalidateUserSessions(tx, user.id);
    await recordAudit(tx, { ...entry, actor: { id: user.id, role: user.role, displayName: user.displayName }, action: 'account.password_reset', outcome: 'success' });
    return false;
  });
  if (failure) throw new AppError('invalid_code', 'De code klopt niet. / The code is not correct.');
}

