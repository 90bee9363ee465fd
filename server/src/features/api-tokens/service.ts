import { and, count, desc, eq, isNull } from 'drizzle-orm';
import type { Db, DbOrTx } from '../../db/client.ts';
import { apiTokens, organisations, users } from '../../db/schema/index.ts';
import type { Scope, TokenPrincipal } from '../../authz/principal.ts';
import { generateApiToken, hashToken } from '../../lib/crypto.ts';
import { AppError } from '../../lib/errors.ts';
import { isUuid, type Page, type PageQuery } from '../../lib/openapi.ts';
import { recordAudit, type AuditEntry } from '../audit/service.ts';
import type { ApiTokenCreate, ApiTokenItem } from './schemas.ts';

/** The service account's username: not a name `generateUsername` can make, and never able to log in. */
export const SERVICE_USERNAME = '~api';
/** Last use is written at most this often per token (and when the address changes). */
const TOUCH_EVERY_MS = 15_000;

/**
 * The organisation's service account (role `service`, no password, no authenticator), made at
 * its first token. Concurrent first tokens meet at the (organisation, username) unique key.
 */
export async function ensureServiceAccount(db: DbOrTx, organisationId: string, now: Date): Promise<string> {
  await db
    .insert(users)
    .values({ organisationId, username: SERVICE_USERNAME, email: 'api@invalid', displayName: 'API-koppeling', role: 'service', status: 'active', createdAt: now, updatedAt: now })
    .onConflictDoNothing();
  const [row] = await db.select({ id: users.id }).from(users).where(and(eq(users.organisationId, organisationId), eq(users.username, SERVICE_USERNAME), eq(users.role, 'service'))).limit(1);
  if (!row) throw new Error('the service account could not be made (a person holds its username)');
  return row.id;
}

/**
 * Makes a token: `kk_` + 256 random bits, only the SHA-256 stored. The token is in the answer
 * and nowhere else. One transaction with its audit entry.
 */
export async function createApiToken(
  db: Db,
  organisationId: string,
  input: ApiTokenCreate,
  ctx: { now: Date; createdBy: { id: string | null; displayName: string }; audit: Omit<AuditEntry, 'action' | 'outcome'> },
) {
  const token = generateApiToken();
  const expiresAt = new Date(ctx.now.getTime() + input.expiresInDays * 86_400_000);
  const row = await db.transaction(async (tx) => {
    const serviceUserId = await ensureServiceAccount(tx, organisationId, ctx.now);
    const [created] = await tx
      .insert(apiTokens)
      .values({ organisationId, serviceUserId, name: input.name, scopes: input.scopes, tokenHash: hashToken(token), createdAt: ctx.now, createdById: ctx.createdBy.id, createdByName: ctx.createdBy.displayName, expiresAt })
      .returning();
    await recordAudit(tx, { ...ctx.audit, organisationId, action: 'token.create', outcome: 'success', subjectType: 'api_token', subjectId: created!.id, subjectLabel: input.name, detail: { scopes: input.scopes, expiresAt: expiresAt.toISOString() } });
    return created!;
  });
  return { id: row.id, name: row.name, scopes: row.scopes as Scope[], expiresAt: row.expiresAt.toISOString(), token };
}

export async function listApiTokens(db: DbOrTx, organisationId: string, page: PageQuery): Promise<Page<ApiTokenItem>> {
  const where = eq(apiTokens.organisationId, organisationId);
  const [rows, [total]] = await Promise.all([
    db.select().from(apiTokens).where(where).orderBy(desc(apiTokens.createdAt), desc(apiTokens.id)).limit(page.pageSize).offset((page.page - 1) * page.pageSize),
    db.select({ n: count() }).from(apiTokens).where(where),
  ]);
  const items = rows.map((r) => ({
    id: r.id,
    name: r.name,
    scopes: r.scopes as Scope[],
    createdAt: r.createdAt.toISOString(),
    expiresAt: r.expiresAt.toISOString(),
    lastUsedAt: r.lastUsedAt?.toISOString() ?? null,
    lastUsedFrom: r.lastUsedFrom,
    createdBy: { displayName: r.createdByName },
    revokedAt: r.revokedAt?.toISOString() ?? null,
  }));
  return { items, page: page.page, pageSize: page.pageSize, total: total?.n ?? 0 };
}

/** Revokes a token of the organisation: dead from this moment. Unknown (or another organisation's) is 404. */
export async function revokeApiToken(db: Db, organisationId: string, id: string, ctx: { now: Date; audit: Omit<AuditEntry, 'action' | 'outcome'> }): Promise<void> {
  if (!isUuid(id)) throw new AppError('not_found', 'No API token with this id.');
  await db.transaction(async (tx) => {
    const [row] = await tx.select().from(apiTokens).where(and(eq(apiTokens.id, id), eq(apiTokens.organisationId, organisationId))).limit(1).for('update');
    if (!row) throw new AppError('not_found', 'No API token with this id.');
    if (!row.revokedAt) await tx.update(apiTokens).set({ revokedAt: ctx.now }).where(and(eq(apiTokens.id, id), isNull(apiTokens.revokedAt)));
    await recordAudit(tx, { ...ctx.audit, organisationId, action: 'token.revoke', outcome: 'success', subjectType: 'api_token', subjectId: id, subjectLabel: row.name });
  });
}

export interface FoundApiToken {
  principal: TokenPrincipal;
  lastUsedAt: Date | null;
  lastUsedFrom: string | null;
}

/**
 * The principal behind a `kk_` token, or null when unknown, revoked, expired, or its service
 * account is not active. One indexed lookup by hash; nothing written.
 */
export async function findApiToken(db: DbOrTx, token: string, now: Date): Promise<FoundApiToken | null> {
  const [row] = await db
    .select({
      id: apiTokens.id, name: apiTokens.name, scopes: apiTokens.scopes, expiresAt: apiTokens.expiresAt, revokedAt: apiTokens.revokedAt,
      lastUsedAt: apiTokens.lastUsedAt, lastUsedFrom: apiTokens.lastUsedFrom,
      user: { id: users.id, username: users.username, displayName: users.displayName, email: users.email, role: users.role, status: users.status, organisationId: users.organisationId },
      organisation: { code: organisations.code, name: organisations.name },
    })
    .from(apiTokens)
    .innerJoin(users, eq(users.id, apiTokens.serviceUserId))
    .innerJoin(organisations, eq(organisations.id, apiTokens.organisationId))
    .where(eq(apiTokens.tokenHash, hashToken(token)))
    .limit(1);
  if (!row || row.revokedAt || now >= row.expiresAt || row.user.status !== 'active' || row.user.role !== 'service') return null;
  const { status: _status, ...user } = row.user;
  return {
    principal: {
      kind: 'token',
      user: { ...user, role: 'service', organisation: row.organisation },
      organisationId: user.organisationId,
      role: 'service',
      scopes: row.scopes as Scope[],
      token: { id: row.id, name: row.name },
    },
    lastUsedAt: row.lastUsedAt,
    lastUsedFrom: row.lastUsedFrom,
  };
}

/** Notes the last use (time and address) at most every 15 s per token, or when the address changes. */
export async function touchApiToken(db: DbOrTx, found: FoundApiToken, now: Date, address: string): Promise<void> {
  const fresh = found.lastUsedAt && now.getTime() - found.lastUsedAt.getTime() < TOUCH_EVERY_MS && found.lastUsedFrom === address;
  if (fresh) return;
  await db.update(apiTokens).set({ lastUsedAt: now, lastUsedFrom: address.slice(0, 100) }).where(eq(apiTokens.id, found.principal.token.id));
}
