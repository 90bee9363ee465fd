import { and, count, desc, eq, isNull } from 'drizzle-orm';
import type { AppDeps } from '../../app-env.ts';
import type { Db, DbOrTx } from '../../db/client.ts';
import { preparedStatement } from '../../db/prepared.ts';
import { apiTokens, users } from '../../db/schema/index.ts';
import type { Scope, TokenPrincipal } from '../../authz/principal.ts';
import { generateApiToken, hashToken } from '../../lib/crypto.ts';
import { AppError } from '../../lib/errors.ts';
import { RateLimitBlocks, rateLimitHitSql, reserveHits } from '../../lib/rate-limit.ts';
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
async function ensureServiceAccount(db: DbOrTx, organisationId: string, now: Date): Promise<string> {
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

/**
 * Checking a `kk_` token, as SQL for one prepared statement (one round trip): `checkApiToken` for
 * every token request (authz/authenticate.ts), and the hot list (features/hulpvragen/hot-list.ts)
 * with its page in the same statement.
 * - `api_token`: the token and its service account when it is live (known, not revoked, not
 *   expired, the account an active service account);
 * - `token_hit`: the per-token rate limit (key `api-token:<id>`), taken in blocks
 *   (`RateLimitBlocks` in lib/rate-limit.ts): when this process needs hits for the token it
 *   reserves `$6` of them here (`rateLimitHitSql`), else (`$6` = 0) nothing is written or locked.
 *   The statement selects the window's count as `hits` in its **last** column, so that a
 *   reservation locks the counter's row only at the end of the statement;
 * - `token_used`: the last use (time and address) noted at most every 15 s per token, or when the
 *   address changes, and only for a request within the limit (`$8`, or with a reservation: the
 *   reservation holds at least one hit under `$7`);
 * - `no_flush`: these writes are committed without waiting for the WAL flush
 *   (`synchronous_commit` off for this statement's transaction only): a crash may lose the last
 *   moment's reservations and notes, nothing else — the audit row of the request is written
 *   apart, durably, before the answer.
 * Placeholders `$1`–`$8`: `LiveTokenParams`.
 */
export const liveTokenSql = `
  api_token as (
    select t.id, t.name, t.scopes, u.id as "userId", u.username, u.display_name as "displayName", u.email,
      u.organisation_id as "organisationId", o.code as "organisationCode", o.name as "organisationName"
    from api_tokens t join users u on u.id = t.service_user_id join organisations o on o.id = t.organisation_id
    where t.token_hash = $1 and t.revoked_at is null and t.expires_at > $2::timestamptz and u.status = 'active' and u.role = 'service'
  ),
  no_flush as (select set_config('synchronous_commit', 'off', true)),
  ${rateLimitHitSql('token_hit', `'api-token:' || id`, 'api_token, no_flush', '$3', '$6')},
  token_used as (
    update api_tokens set last_used_at = $2::timestamptz, last_used_from = $4
    where id = (select id from api_token)
      and case when $6::int > 0 then (select count from token_hit) - $6::int < $7::int else $8::boolean end
      and (last_used_at is null or last_used_at <= $5::timestamptz or last_used_from is distinct from $4)
  )`;

/** `liveTokenSql`'s last column: the window's count with this statement's reservation (null: none made). */
export const tokenHitsColumn = '(select count from token_hit) as hits';

/** A row of `api_token` with `hits` (`tokenHitsColumn`). */
export type LiveTokenRow = {
  id: string; name: string; scopes: string[]; hits: number | null;
  userId: string; username: string; displayName: string; email: string; organisationId: string; organisationCode: string; organisationName: string;
};

/**
 * The placeholders of `liveTokenSql`: `$1` the token's hash, `$2` now, `$3` the rate-limit window's
 * start, `$4` the client's address, `$5` now − 15 s, `$6` hits to reserve (0: none), `$7` the limit
 * per window, `$8` whether a request without a reservation is within the limit (its use is noted).
 */
export type LiveTokenParams = [string, string, string, string, string, number, number, boolean];

const check = preparedStatement<LiveTokenRow>(`with ${liveTokenSql} select api_token.*, ${tokenHitsColumn} from api_token`);

/** Each app's share of the per-token limits (one per process in production; tests run several apps). */
const limits = new WeakMap<AppDeps, RateLimitBlocks>();

function tokenLimits(deps: AppDeps): RateLimitBlocks {
  let blocks = limits.get(deps);
  if (blocks?.rule.max !== deps.env.API_TOKEN_RATE_PER_MINUTE) {
    blocks = RateLimitBlocks.for({ max: deps.env.API_TOKEN_RATE_PER_MINUTE, windowSeconds: 60 });
    limits.set(deps, blocks);
  }
  return blocks;
}

/**
 * Checks a token and counts the request against its limit (`liveTokenSql`). `read`, when given,
 * runs a statement that includes the check (the hot list) and gives its row, or null when it
 * does not apply — then the check runs alone. The token's row and the 429's wait (null: within
 * the limit), or undefined when the token is unknown, revoked, expired, or its service account
 * is not active.
 */
export async function checkApiToken(
  deps: AppDeps,
  token: string,
  address: string,
  read?: (params: LiveTokenParams) => Promise<{ row: LiveTokenRow | undefined } | null>,
): Promise<{ row: LiveTokenRow; over: { retryAfterSeconds: number } | null } | undefined> {
  const now = deps.clock.now();
  const blocks = tokenLimits(deps);
  const hash = hashToken(token);
  const ticket = blocks.plan(hash, now);
  const params: LiveTokenParams = [
    hash, now.toISOString(), ticket.windowStart.toISOString(), address.slice(0, 100), new Date(now.getTime() - TOUCH_EVERY_MS).toISOString(),
    ticket.reserve, blocks.rule.max, !ticket.over,
  ];
  let row: LiveTokenRow | undefined;
  try {
    row = ((await read?.(params)) ?? { row: (await check(deps.db, params))[0] }).row;
  } catch (err) {
    blocks.release(ticket);
    throw err;
  }
  if (!row) {
    blocks.release(ticket);
    return undefined;
  }
  const id = row.id;
  const over = await blocks.settle(ticket, row.hits, now, (n, windowStart) => reserveHits(deps.db, `api-token:${id}`, n, windowStart));
  return { row, over };
}

/** The principal of a token's row: the organisation's service account with the token's scopes. */
export function tokenPrincipalOf(row: LiveTokenRow): TokenPrincipal {
  return {
    kind: 'token',
    user: {
      id: row.userId, username: row.username, displayName: row.displayName, email: row.email, role: 'service',
      organisationId: row.organisationId, organisation: { code: row.organisationCode, name: row.organisationName },
    },
    organisationId: row.organisationId,
    role: 'service',
    scopes: row.scopes as Scope[],
    token: { id: row.id, name: row.name },
  };
}
