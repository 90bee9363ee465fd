import { index, pgTable, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { createdAt, id, instant } from './columns.ts';
import { organisations } from './organisations.ts';
import { users } from './users.ts';

/**
 * An integration's API token (`kk_…`). Only the SHA-256 of the token is stored; the token itself
 * is shown once. It acts as its organisation's service account (`serviceUserId`, role `service`)
 * with only its `scopes`. Revoked or expired tokens stay listed (with `revokedAt`) but never work.
 * `createdByName` is kept as text: the creator may be an admin (also in `createdById`) or the
 * operator at the command line.
 */
export const apiTokens = pgTable(
  'api_tokens',
  {
    id: id(),
    organisationId: uuid('organisation_id').notNull().references(() => organisations.id, { onDelete: 'cascade' }),
    serviceUserId: uuid('service_user_id').notNull().references(() => users.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    scopes: text('scopes').array().notNull(),
    tokenHash: text('token_hash').notNull(),
    createdAt: createdAt(),
    createdById: uuid('created_by_id').references(() => users.id, { onDelete: 'set null' }),
    createdByName: text('created_by_name').notNull(),
    expiresAt: instant('expires_at').notNull(),
    lastUsedAt: instant('last_used_at'),
    lastUsedFrom: text('last_used_from'),
    revokedAt: instant('revoked_at'),
  },
  (t) => [uniqueIndex('api_tokens_token_hash_key').on(t.tokenHash), index('api_tokens_org_idx').on(t.organisationId, t.createdAt.desc())],
);
