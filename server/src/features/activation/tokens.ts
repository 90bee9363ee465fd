import { and, eq, isNull } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.ts';
import { oneTimeTokens, organisations, users, type TokenPurpose } from '../../db/schema/index.ts';
import { AppError } from '../../lib/errors.ts';
import { generateToken, hashToken } from '../../lib/crypto.ts';

const TOKEN_LIFETIME_MS: Record<TokenPurpose, number> = {
  activation: 72 * 3_600_000,
  totp_enrolment: 72 * 3_600_000,
  password_reset: 3_600_000,
};

/** A new single-use link token (only its hash is stored); older unused ones of the same purpose die. */
export async function createOneTimeToken(db: DbOrTx, userId: string, purpose: TokenPurpose, now: Date): Promise<string> {
  await db.delete(oneTimeTokens).where(and(eq(oneTimeTokens.userId, userId), eq(oneTimeTokens.purpose, purpose), isNull(oneTimeTokens.usedAt)));
  const token = generateToken(32);
  await db.insert(oneTimeTokens).values({ tokenHash: hashToken(token), userId, purpose, expiresAt: new Date(now.getTime() + TOKEN_LIFETIME_MS[purpose]), createdAt: now });
  return token;
}

const TOKEN_SHAPE = /^[A-Za-z0-9_-]{20,128}$/;

/**
 * The live token row with its user and organisation, locked for update when `lock` (inside a
 * transaction). Unknown → 404 not_found; used, expired or of a deactivated user → 410 token_expired.
 */
export async function findLiveToken(db: DbOrTx, token: string, purposes: TokenPurpose[], now: Date, lock = false) {
  if (!TOKEN_SHAPE.test(token)) throw new AppError('not_found', 'This link is not known.');
  const query = db
    .select({ token: oneTimeTokens, user: users, organisation: organisations })
    .from(oneTimeTokens)
    .innerJoin(users, eq(users.id, oneTimeTokens.userId))
    .innerJoin(organisations, eq(organisations.id, users.organisationId))
    .where(eq(oneTimeTokens.tokenHash, hashToken(token)))
    .limit(1);
  const [row] = lock ? await query.for('update', { of: [oneTimeTokens, users] }) : await query;
  if (!row || !purposes.includes(row.token.purpose)) throw new AppError('not_found', 'This link is not known.');
  if (row.token.usedAt || now >= row.token.expiresAt || row.user.status === 'deactivated') {
    throw new AppError('token_expired', 'This link has expired or was already used. Ask for a new one.');
  }
  return row;
}

export const linkFor = (publicUrl: string, purpose: TokenPurpose, token: string) =>
  `${publicUrl}/${purpose === 'password_reset' ? 'reset' : 'activate'}/${token}`;
