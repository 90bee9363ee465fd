import { bigint, check, index, integer, pgTable, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { sql } from 'drizzle-orm';
import { createdAt, updatedAt, id, instant } from './columns.ts';
import { organisations } from './organisations.ts';

/** The roles of people (API.md). */
export const roles = ['parent', 'school', 'coordinator', 'admin'] as const;
export type Role = (typeof roles)[number];
/**
 * Every account's role: a person's, or `service` for the one service account per organisation
 * that API tokens act as. A service account has no password and no authenticator: it can never log in.
 */
export const accountRoles = [...roles, 'service'] as const;
export type AccountRole = (typeof accountRoles)[number];
export const isPersonRole = (role: AccountRole): role is Role => role !== 'service';
export const userStatuses = ['invited', 'active', 'deactivated'] as const;
export type UserStatus = (typeof userStatuses)[number];

/**
 * An account. Usernames are stored lower case and unique per organisation.
 * Secrets: `passwordHash` is argon2id; `totpSecretEnc` is AES-256-GCM sealed with a key from
 * APP_SECRET; `totpLastStep` is the last accepted RFC 6238 time step (replay guard).
 */
export const users = pgTable(
  'users',
  {
    id: id(),
    organisationId: uuid('organisation_id').notNull().references(() => organisations.id, { onDelete: 'cascade' }),
    username: text('username').notNull(),
    email: text('email').notNull(),
    displayName: text('display_name').notNull(),
    role: text('role', { enum: accountRoles }).notNull(),
    status: text('status', { enum: userStatuses }).notNull().default('invited'),
    passwordHash: text('password_hash'),
    totpSecretEnc: text('totp_secret_enc'),
    totpLastStep: bigint('totp_last_step', { mode: 'number' }),
    failedLogins: integer('failed_logins').notNull().default(0),
    lastFailedLoginAt: instant('last_failed_login_at'),
    lockedUntil: instant('locked_until'),
    lastLoginAt: instant('last_login_at'),
    passwordChangedAt: instant('password_changed_at'),
    deactivatedAt: instant('deactivated_at'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex('users_org_username_key').on(t.organisationId, t.username),
    index('users_org_role_idx').on(t.organisationId, t.role),
    index('users_org_email_idx').on(t.organisationId, sql`lower(${t.email})`),
    check('users_role_check', sql`${t.role} in ('parent', 'school', 'coordinator', 'admin', 'service')`),
    check('users_status_check', sql`${t.status} in ('invited', 'active', 'deactivated')`),
  ],
);
