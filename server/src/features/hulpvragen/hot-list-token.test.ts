import { and, desc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createTestApp, jsonRequest, type TestContext } from '../../../test/app.ts';
import { createWorld, targets, type World } from '../../../test/world.ts';
import type { Scope, TokenPrincipal } from '../../authz/principal.ts';
import { apiTokens, auditLog, rateLimits, users } from '../../db/schema/index.ts';
import { createApiToken } from '../api-tokens/service.ts';
import { listVisibleHulpvragen } from './service.ts';

/**
 * `GET /dossiers/{id}/hulpvragen` with an API token in one statement (hot-list.ts, the token
 * variant; the token check itself is `liveTokenSql` in api-tokens/service.ts, which every other
 * token request runs alone). Compared with the ordinary path: the same body for every dossier and
 * page, the same audit entry naming the token, 403 without the scope, 429 over the per-token
 * limit (counted together with the token's other requests), 401 at once after revocation and from
 * the expiry on, and the last-use note at most every 15 s.
 */
const LIMIT = 30;
let t: TestContext;
let w: World;

async function newToken(name: string, scopes: Scope[], expiresInDays = 90) {
  const made = await createApiToken(t.db, w.orgA.id, { name, scopes, expiresInDays }, { now: t.clock.now(), createdBy: { id: null, displayName: 'Test' }, audit: {} });
  const [service] = await t.db.select().from(users).where(and(eq(users.organisationId, w.orgA.id), eq(users.role, 'service')));
  const principal: TokenPrincipal = {
    kind: 'token', organisationId: w.orgA.id, role: 'service', scopes, token: { id: made.id, name },
    user: { id: service!.id, username: service!.username, displayName: service!.displayName, email: service!.email, role: 'service', organisationId: w.orgA.id, organisation: { code: '', name: '' } },
  };
  return { ...made, principal };
}

const listPath = (target: keyof World['dossiers'], query = '') => `/api/v1/dossiers/${w.dossiers[target].id}/hulpvragen${query}`;
const as = (token: string, address = '203.0.113.1') => ({ headers: { ...bearer(token), 'x-forwarded-for': address, 'user-agent': 'test-token' } });
const lastUse = async (id: string) => (await t.db.select({ at: apiTokens.lastUsedAt, from: apiTokens.lastUsedFrom }).from(apiTokens).where(eq(apiTokens.id, id)))[0]!;
const hits = async (id: string) => (await t.db.select({ count: rateLimits.count }).from(rateLimits).where(eq(rateLimits.key, `api-token:${id}`)))[0]?.count;

describe('GET /dossiers/{id}/hulpvragen with an API token, in one statement', () => {
  beforeAll(async () => {
    t = await createTestApp({ env: { API_TOKEN_RATE_PER_MINUTE: String(LIMIT), TRUST_PROXY: 'true' } });
    w = await createWorld(t.db, t.env, t.clock.now());
    // A hulpvraag hidden from parents and one shared: a token sees both.
    for (const [title, visibleToParents] of [['Intern overleg', false], ['Gesprek met ouders', true]] as const) {
      await t.app.request(`/api/v1/dossiers/${w.dossiers.own.id}/hulpvragen`, w.as('school', jsonRequest('POST', { title, date: '2024-02-01', visibleToParents })));
    }
  }, 180_000);
  afterAll(() => t?.close());

  it('answers every dossier and page exactly as the ordinary path, and counts each request once', async () => {
    const token = await newToken('Vergelijk', ['dossiers:read']);
    let requests = 0;
    for (const target of targets) {
      for (const query of [{ page: 1, pageSize: 20 }, { page: 1, pageSize: 1 }, { page: 2, pageSize: 1 }, { page: 9, pageSize: 20 }]) {
        const res = await t.app.request(listPath(target, `?page=${query.page}&pageSize=${query.pageSize}`), as(token.token));
        requests++;
        const ordinary = await listVisibleHulpvragen(t.db, token.principal, w.dossiers[target].id, query);
        const label = `${target} ${JSON.stringify(query)}`;
        expect(res.status, label).toBe(ordinary ? 200 : 404);
        if (ordinary) expect(await res.json(), label).toEqual(ordinary.page);
      }
    }
    const own = await (await t.app.request(listPath('own'), as(token.token))).json();
    requests++;
    expect(own.total).toBe(3);
    expect(own.items.map((i: { title: string }) => i.title)).toContain('Intern overleg');
    expect(await hits(token.id)).toBe(requests);
  });

  it('audits each answer with the dossier, naming the token (as the ordinary path does)', async () => {
    const token = await newToken('Rapportage', ['dossiers:read']);
    expect((await t.app.request(listPath('own'), as(token.token))).status).toBe(200);
    const [row] = await t.db.select().from(auditLog).where(eq(auditLog.actorTokenId, token.id)).orderBy(desc(auditLog.id));
    expect(row).toMatchObject({
      action: 'hulpvragen.read', outcome: 'success', subjectType: 'dossier', subjectId: w.dossiers.own.id, dossierId: w.dossiers.own.id, subjectLabel: 'Sam Eigen',
      actorUserId: token.principal.user.id, actorRole: 'service', actorDisplayName: 'API-token Rapportage', actorTokenName: 'Rapportage', userAgent: 'test-token',
    });
    // Another organisation's dossier: the ordinary path's audited 404, also naming the token.
    expect((await t.app.request(listPath('otherOrg'), as(token.token))).status).toBe(404);
    const [denied] = await t.db.select().from(auditLog).where(eq(auditLog.actorTokenId, token.id)).orderBy(desc(auditLog.id));
    expect(denied).toMatchObject({ action: 'hulpvragen.read', outcome: 'denied', actorTokenName: 'Rapportage' });
  });

  it('without dossiers:read: 403 insufficient_scope, audited, nothing read', async () => {
    const token = await newToken('Alleen mensen', ['users:read']);
    const res = await t.app.request(listPath('own'), as(token.token));
    expect(res.status).toBe(403);
    expect(await res.json()).toMatchObject({ code: 'insufficient_scope', scope: 'dossiers:read' });
    const [row] = await t.db.select().from(auditLog).where(eq(auditLog.actorTokenId, token.id)).orderBy(desc(auditLog.id));
    expect(row).toMatchObject({ action: 'dossier.read', outcome: 'denied', actorTokenName: 'Alleen mensen' });
  });

  it('over the limit: 429 rate_limited with Retry-After, the list and other routes counted together; no last-use note then', async () => {
    t.clock.set(new Date('2030-01-01T10:00:05Z'));
    const token = await newToken('Druk', ['dossiers:read']);
    const other = await newToken('Rustig', ['dossiers:read']);
    for (let i = 0; i < LIMIT; i++) {
      const path = i % 2 ? listPath('own') : `/api/v1/hulpvragen/${w.hulpvraag.own}`;
      expect((await t.app.request(path, as(token.token))).status, `request ${i + 1}`).toBe(200);
    }
    t.clock.set(new Date('2030-01-01T10:00:30Z'));
    for (const path of [listPath('own'), `/api/v1/hulpvragen/${w.hulpvraag.own}`]) {
      const over = await t.app.request(path, as(token.token, '203.0.113.99'));
      expect(over.status, path).toBe(429);
      expect(over.headers.get('retry-after')).toBe('30');
      expect((await over.json()).code).toBe('rate_limited');
    }
    expect(await lastUse(token.id)).toEqual({ at: new Date('2030-01-01T10:00:05Z'), from: '203.0.113.1' });
    expect(await hits(token.id)).toBe(LIMIT); // a refusal counts nothing: the window is used up (RateLimitBlocks)
    expect((await t.app.request(listPath('own'), as(other.token))).status).toBe(200);
    t.clock.set(new Date('2030-01-01T10:01:00Z'));
    expect((await t.app.request(listPath('own'), as(token.token))).status).toBe(200);
    expect(await hits(token.id)).toBe(1);
  });

  it('notes the last use at most every 15 s, and when the address changes', async () => {
    const token = await newToken('Notities', ['dossiers:read']);
    const start = t.clock.now();
    for (const [offset, address, path, expected] of [
      [0, '203.0.113.1', listPath('own'), [0, '203.0.113.1']],
      [10_000, '203.0.113.1', listPath('own'), [0, '203.0.113.1']],
      [12_000, '203.0.113.2', `/api/v1/hulpvragen/${w.hulpvraag.own}`, [12_000, '203.0.113.2']],
      [26_999, '203.0.113.2', listPath('own'), [12_000, '203.0.113.2']],
      [27_000, '203.0.113.2', listPath('own'), [27_000, '203.0.113.2']],
    ] as const) {
      t.clock.set(new Date(start.getTime() + offset));
      expect((await t.app.request(path, as(token.token, address))).status).toBe(200);
      expect(await lastUse(token.id), `${offset} ms`).toEqual({ at: new Date(start.getTime() + expected[0]), from: expected[1] });
    }
  });

  it('revoked: 401 at once; expired: 401 from expiresAt on, and nothing counted', async () => {
    const revoked = await newToken('Weg', ['dossiers:read']);
    expect((await t.app.request(listPath('own'), as(revoked.token))).status).toBe(200);
    await t.db.update(apiTokens).set({ revokedAt: t.clock.now() }).where(eq(apiTokens.id, revoked.id));
    for (const path of [listPath('own'), `/api/v1/hulpvragen/${w.hulpvraag.own}`]) {
      const res = await t.app.request(path, as(revoked.token));
      expect(res.status, path).toBe(401);
      expect(res.headers.get('www-authenticate')).toContain('Bearer');
    }
    expect(await hits(revoked.id)).toBe(1);

    const expiring = await newToken('Kort', ['dossiers:read'], 1);
    const start = t.clock.now();
    t.clock.set(new Date(start.getTime() + 86_400_000 - 1));
    expect((await t.app.request(listPath('own'), as(expiring.token))).status).toBe(200);
    t.clock.set(new Date(start.getTime() + 86_400_000));
    expect((await t.app.request(listPath('own'), as(expiring.token))).status).toBe(401);
    expect((await t.app.request(`/api/v1/hulpvragen/${w.hulpvraag.own}`, as(expiring.token))).status).toBe(401);
  });
});
