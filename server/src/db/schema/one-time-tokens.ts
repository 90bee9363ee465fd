import { index, pgTable, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { createdAt, id, instant } from './columns.ts';
import { users } from './users.ts';

export const tokenPurposes = ['activation', 'password_reset', 'totp_enrolment'] as const;
export type TokenPurpose = (typeof tokenPurposes)[number];

/**
 * Single-use links (activation, password reset, new authenticator). Stored hashed; a pending
 * TOTP secret made at the first visit is bound to the token, sealed like the user's own.
 */
export const oneTimeTokens = pgTable(
  'one_time_tokens',
  {
    id: id(),
    tokenHash: text('token_hash').notNull(),
    userId: uuid('user_id').notNull().references(() => users.id, { onDelete: 'cascade' }),
    purpose: text('purpose', { enum: tokenPurposes }).notNull(),
    pendingTotpSecretEnc: text('pending_totp_secret_enc'),
    expiresAt: instant('expires_at').notNull(),
    usedAt: instant('used_at'),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('one_time_tokens_hash_key').on(t.tokenHash), index('one_time_tokens_user_idx').on(t.userId, t.purpose)],
);
