import { and, eq, ne } from 'drizzle-orm';
import QRCode from 'qrcode';
import type { Db } from '../../db/client.ts';
import { oneTimeTokens, users } from '../../db/schema/index.ts';
import { createSecretBox } from '../../lib/crypto.ts';
import { AppError } from '../../lib/errors.ts';
import { hashPassword, passwordProblem, verifyPassword } from '../../lib/password.ts';
import { groupSecret, newTotpSecret, totpUri, verifyTotp } from '../../lib/totp.ts';
import { recordAudit, type AuditEntry } from '../audit/service.ts';
import { recordLoginFailure, throttleState } from '../auth/lockout.ts';
import { invalidateUserSessions } from '../auth/session.ts';
import type { Activation } from './schemas.ts';
import { findLiveToken } from './tokens.ts';

export const totpBox = (appSecret: string) => createSecretBox(appSecret, 'totp');

/** Links handled here: the first activation, and setting up a new authenticator after a 2FA reset. */
const PURPOSES = ['activation', 'totp_enrolment'] as const;

/** The API's activation, and what the page needs besides: the link's purpose and the person's name. */
export type ActivationInfo = Activation & { purpose: (typeof PURPOSES)[number]; displayName: string };

/**
 * What the activation page shows. The TOTP secret is made at the first visit and bound to the
 * token (sealed); later visits show the same one. It becomes the user's only with a correct code.
 */
export async function getActivation(db: Db, appSecret: string, token: string, now: Date): Promise<ActivationInfo> {
  const box = totpBox(appSecret);
  const { row, secret } = await db.transaction(async (tx) => {
    const row = await findLiveToken(tx, token, [...PURPOSES], now, true);
    if (row.token.pendingTotpSecretEnc) return { row, secret: box.decrypt(row.token.pendingTotpSecretEnc) };
    const secret = newTotpSecret();
    await tx.update(oneTimeTokens).set({ pendingTotpSecretEnc: box.encrypt(secret) }).where(eq(oneTimeTokens.id, row.token.id));
    return { row, secret };
  });
  const otpauthUri = totpUri(row.user.username, secret);
  return {
    purpose: row.token.purpose as ActivationInfo['purpose'],
    username: row.user.username,
    displayName: row.user.displayName,
    organisation: { code: row.organisation.code, name: row.organisation.name },
    totp: { secret, secretGrouped: groupSecret(secret), otpauthUri, qrSvg: await QRCode.toString(otpauthUri, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 }) },
  };
}

/**
 * Completes an activation (new password) or a 2FA re-enrolment (the current password): a
 * correct code for the pending secret makes it the user's. Wrong input leaves the link usable.
 */
export async function completeActivation(
  db: Db,
  appSecret: string,
  token: string,
  input: { password: string; code: string },
  now: Date,
  audit: Omit<AuditEntry, 'action' | 'outcome'>,
): Promise<{ userId: string }> {
  const peek = await findLiveToken(db, token, [...PURPOSES], now);
  const enrolment = peek.token.purpose === 'totp_enrolment';
  let newHash: string | null = null;
  if (enrolment) {
    // The current password, checked like a login: a wrong one counts towards the account's delay and lock.
    const ok = !throttleState(peek.user, now) && peek.user.passwordHash ? await verifyPassword(peek.user.passwordHash, input.password) : false;
    if (!ok) {
      await db.transaction(async (tx) => {
        const row = await findLiveToken(tx, token, [...PURPOSES], now, true);
        if (!throttleState(row.user, now)) await recordLoginFailure(tx, row.user, now, { appSecret, organisation: `${row.organisation.code} ${row.organisation.name}` });
        await recordAudit(tx, { ...audit, organisationId: row.user.organisationId, action: 'account.totp_enrol', outcome: 'failure', subjectType: 'user', subjectId: row.user.id, subjectLabel: row.user.username, detail: { reason: 'wrong_password' } });
      });
      throw new AppError('invalid_credentials', 'Het wachtwoord klopt niet, of er is te vaak een verkeerd wachtwoord gebruikt. Probeer het later opnieuw. / The password is not correct.');
    }
  } else {
    const problem = passwordProblem(input.password, peek.user.username);
    if (problem) throw new AppError('weak_password', problem);
  }
  if (!peek.token.pendingTotpSecretEnc) throw new AppError('invalid_code', 'Open the activation page first to get the key for your authenticator app.');
  const step = await verifyTotp(totpBox(appSecret).decrypt(peek.token.pendingTotpSecretEnc), input.code, now);
  if (step === null) throw new AppError('invalid_code', 'De code klopt niet. Controleer de tijd op uw telefoon en probeer de volgende code. / The code is not correct.');
  if (!enrolment) newHash = await hashPassword(input.password);

  return db.transaction(async (tx) => {
    const row = await findLiveToken(tx, token, [...PURPOSES], now, true);
    if (row.token.pendingTotpSecretEnc !== peek.token.pendingTotpSecretEnc) throw new AppError('invalid_code', 'The key changed; open the page again.');
    await tx
      .update(users)
      .set({
        ...(newHash ? { passwordHash: newHash, passwordChangedAt: now } : {}),
        totpSecretEnc: row.token.pendingTotpSecretEnc,
        totpLastStep: step,
        status: 'active',
        failedLogins: 0,
        lockedUntil: null,
        updatedAt: now,
      })
      .where(eq(users.id, row.user.id));
    await tx.update(oneTimeTokens).set({ usedAt: now, pendingTotpSecretEnc: null }).where(eq(oneTimeTokens.id, row.token.id));
    await tx.delete(oneTimeTokens).where(and(eq(oneTimeTokens.userId, row.user.id), eq(oneTimeTokens.purpose, row.token.purpose), ne(oneTimeTokens.id, row.token.id)));
    if (enrolment) await invalidateUserSessions(tx, row.user.id);
    await recordAudit(tx, {
      ...audit,
      organisationId: row.user.organisationId,
      actor: { id: row.user.id, role: row.user.role, displayName: row.user.displayName },
      action: enrolment ? 'account.totp_enrol' : 'account.activate',
      outcome: 'success',
      subjectType: 'user',
      subjectId: row.user.id,
      subjectLabel: row.user.username,
    });
    return { userId: row.user.id };
  });
}
