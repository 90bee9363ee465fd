import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createTestApp, jsonRequest, type TestContext } from '../../../test/app.ts';
import { TEST_PASSWORD } from '../../../test/accounts.ts';
import { signIn } from '../../../test/fixtures.ts';
import { apiTokens, auditLog, users } from '../../db/schema/index.ts';
import { createWorld, type World } from '../../authz/test-world.ts';
import { runCli } from '../../cli.ts';
import { hashToken } from '../../lib/crypto.ts';
import { SERVICE_USERNAME } from './service.ts';

describe('API tokens', () => {
  let t: TestContext;
  let w: World;
  const admin = () => bearer(w.tokens.admin);
  /** After the clock jumps, the people sign in again (their sessions idle out; tokens do not). */
  const signInAgain = async () => {
    for (const who of ['admin', 'parent'] as const) w.tokens[who] = await signIn(t.db, w.users[who].id, t.clock.now(), t.env);
  };
  const create = (body: unknown, headers = admin()) => t.app.request('/api/v1/api-tokens', jsonRequest('POST', body, headers));

  beforeAll(async () => {
    t = await createTestApp({ env: { API_TOKEN_RATE_PER_MINUTE: '20' } });
    w = await createWorld(t.db, t.env, t.clock.now());
  });
  afterAll(() => t.close());

  it('lives: created (shown once, kk_ + 256 bits), used, listed with its last use, revoked → 401 at once', async () => {
    const res = await create({ name: 'Leerlingadministratie', scopes: ['dossiers:read'] });
    expect(res.status).toBe(201);
    const made = await res.json();
    expect(made).toEqual({ id: expect.any(String), name: 'Leerlingadministratie', scopes: ['dossiers:read'], expiresAt: new Date(t.clock.now().getTime() + 90 * 86_400_000).toISOString(), token: expect.stringMatching(/^kk_[A-Za-z0-9_-]{43}$/) });

    const dossiers = await t.app.request('/api/v1/dossiers', { headers: { ...bearer(made.token), 'x-forwarded-for': '203.0.113.9' } });
    expect(dossiers.status).toBe(200);

    const list = await (await t.app.request('/api/v1/api-tokens', { headers: admin() })).json();
    const item = list.items.find((i: { id: string }) => i.id === made.id);
    expect(item).toEqual({
      id: made.id, name: 'Leerlingadministratie', scopes: ['dossiers:read'], createdAt: t.clock.now().toISOString(), expiresAt: made.expiresAt,
      lastUsedAt: t.clock.now().toISOString(), lastUsedFrom: expect.any(String), createdBy: { displayName: w.users.admin.displayName }, revokedAt: null,
    });
    expect(JSON.stringify(list)).not.toContain(made.token);

    expect((await t.app.request(`/api/v1/api-tokens/${made.id}`, { method: 'DELETE', headers: admin() })).status).toBe(204);
    const after = await t.app.request('/api/v1/dossiers', { headers: bearer(made.token) });
    expect(after.status).toBe(401);
    expect(after.headers.get('www-authenticate')).toContain('Bearer');
    const revoked = (await (await t.app.request('/api/v1/api-tokens', { headers: admin() })).json()).items.find((i: { id: string }) => i.id === made.id);
    expect(revoked.revokedAt).toBe(t.clock.now().toISOString());
  });

  it('expires: works until expiresAt, answers 401 from then on', async () => {
    const made = await (await create({ name: 'Kortlevend', scopes: ['dossiers:read'], expiresInDays: 1 })).json();
    t.clock.advance(86_400_000 - 1000);
    expect((await t.app.request('/api/v1/news', { headers: bearer(made.token) })).status).toBe(200);
    t.clock.advance(1000);
    expect((await t.app.request('/api/v1/news', { headers: bearer(made.token) })).status).toBe(401);
    await signInAgain();
  });

  it('validates the body: a name, known scopes each once, 1–365 days', async () => {
    for (const body of [{ name: '', scopes: ['dossiers:read'] }, { name: 'x', scopes: [] }, { name: 'x', scopes: ['admin'] }, { name: 'x', scopes: ['users:read', 'users:read'] }, { name: 'x', scopes: ['users:read'], expiresInDays: 0 }, { name: 'x', scopes: ['users:read'], expiresInDays: 366 }]) {
      const res = await create(body);
      expect([body, res.status, (await res.json()).code]).toEqual([body, 400, 'validation_failed']);
    }
  });

  it('stores only the SHA-256 of the token, never the token itself', async () => {
    const made = await (await create({ name: 'Geheim', scopes: ['users:read'] })).json();
    const [row] = await t.db.select().from(apiTokens).where(eq(apiTokens.id, made.id));
    expect(row!.tokenHash).toBe(hashToken(made.token));
    const dump = await t.db.execute(sql`select row_to_json(t)::text as j from api_tokens t`);
    const text = JSON.stringify(dump);
    expect(text).not.toContain(made.token);
    expect(text).not.toContain(made.token.slice(3));
  });

  it('a token cannot make, list or revoke tokens, nor reach /auth/* or /me, whatever its scopes', async () => {
    const all = await (await create({ name: 'Alles', scopes: ['dossiers:read', 'dossiers:write', 'users:read', 'users:write', 'audit:read'] })).json();
    const tok = bearer(all.token);
    const tries: [string, RequestInit][] = [
      ['/api/v1/api-tokens', jsonRequest('POST', { name: 'Nog een', scopes: ['users:write'] }, tok)],
      ['/api/v1/api-tokens', { headers: tok }],
      [`/api/v1/api-tokens/${all.id}`, { method: 'DELETE', headers: tok }],
      ['/api/v1/auth/session', { headers: tok }],
      ['/api/v1/auth/sessions', { headers: tok }],
      ['/api/v1/auth/logout', { method: 'POST', headers: tok }],
      ['/api/v1/me', { headers: tok }],
    ];
    for (const [url, init] of tries) {
      const res = await t.app.request(url, init);
      expect([url, init.method ?? 'GET', res.status, (await res.json()).code]).toEqual([url, init.method ?? 'GET', 403, 'forbidden']);
    }
    const [count] = await t.db.select({ n: sql<number>`count(*)::int` }).from(apiTokens).where(eq(apiTokens.name, 'Nog een'));
    expect(count!.n).toBe(0);
    // The service account it acts as can never log in.
    const login = await t.app.request('/api/v1/auth/login', jsonRequest('POST', { organisation: 'T', username: SERVICE_USERNAME, password: TEST_PASSWORD, code: '123456' }));
    expect(login.status).toBe(401);
  });

  it('a missing scope is 403 insufficient_scope, naming the scope', async () => {
    const reader = await (await create({ name: 'Lezer', scopes: ['dossiers:read'] })).json();
    const res = await t.app.request('/api/v1/users', { headers: bearer(reader.token) });
    expect(res.status).toBe(403);
    expect(await res.json()).toMatchObject({ code: 'insufficient_scope', scope: 'users:read' });
  });

  it('sees only its own organisation', async () => {
    const reader = await (await create({ name: 'Organisatie A', scopes: ['dossiers:read', 'users:read'] })).json();
    const dossiers = await (await t.app.request('/api/v1/dossiers?pageSize=100', { headers: bearer(reader.token) })).json();
    const ids = dossiers.items.map((d: { id: string }) => d.id);
    expect(ids).toEqual(expect.arrayContaining([w.dossiers.own.id, w.dossiers.otherSchool.id, w.dossiers.otherChild.id]));
    expect(ids).not.toContain(w.dossiers.otherOrg.id);
    expect((await t.app.request(`/api/v1/dossiers/${w.dossiers.otherOrg.id}`, { headers: bearer(reader.token) })).status).toBe(404);
    const people = await (await t.app.request('/api/v1/users?pageSize=100', { headers: bearer(reader.token) })).json();
    expect(people.items.map((u: { id: string }) => u.id)).not.toContain(w.users.coordinatorB.id);
    expect(people.items.map((u: { role: string }) => u.role)).not.toContain('admin'); // nor admins, nor itself
    expect(people.items.map((u: { username: string }) => u.username)).not.toContain(SERVICE_USERNAME);
    // Another organisation's admin neither lists nor revokes it.
    const otherAdmin = await t.db.insert(users).values({ organisationId: w.orgB.id, username: 'beheer-b', email: 'b@example.org', displayName: 'Beheer B', role: 'admin', status: 'active' }).returning();
    const otherSession = bearer(await signIn(t.db, otherAdmin[0]!.id, t.clock.now(), t.env));
    expect((await (await t.app.request('/api/v1/api-tokens', { headers: otherSession })).json()).items).toEqual([]);
    expect((await t.app.request(`/api/v1/api-tokens/${reader.id}`, { method: 'DELETE', headers: otherSession })).status).toBe(404);
    expect((await t.app.request('/api/v1/news', { headers: bearer(reader.token) })).status).toBe(200);
  });

  it('names the token (id and name) in the audit entries of what it does, and of what it is refused', async () => {
    const made = await (await create({ name: 'Rapportage', scopes: ['dossiers:read'] })).json();
    expect((await t.app.request(`/api/v1/dossiers/${w.dossiers.own.id}`, { headers: bearer(made.token) })).status).toBe(200);
    expect((await t.app.request(`/api/v1/dossiers/${w.dossiers.own.id}`, jsonRequest('PATCH', { firstName: 'X' }, bearer(made.token)))).status).toBe(403);
    const rows = await t.db.select().from(auditLog).where(eq(auditLog.actorTokenId, made.id)).orderBy(auditLog.id);
    expect(rows.map((r) => [r.action, r.outcome, r.actorTokenName, r.actorRole, r.actorDisplayName])).toEqual([
      ['dossier.read', 'success', 'Rapportage', 'service', 'API-token Rapportage'],
      ['dossier.update', 'denied', 'Rapportage', 'service', 'API-token Rapportage'],
    ]);
    expect(rows[1]!.detail).toEqual({ reason: 'scope' });
    // The parent sees the integration in the access log of the child's dossier.
    const log = await (await t.app.request(`/api/v1/dossiers/${w.dossiers.own.id}/access-log`, { headers: bearer(w.tokens.parent) })).json();
    expect(log.items[0]).toMatchObject({ actor: { displayName: 'API-token Rapportage', role: 'service' }, action: 'dossier.read' });
    const created = await t.db.select().from(auditLog).where(eq(auditLog.subjectId, made.id));
    expect(created.map((r) => [r.action, r.actorUserId])).toEqual([['token.create', w.users.admin.id]]);
  });

  it('limits each token on its own: over API_TOKEN_RATE_PER_MINUTE is 429 rate_limited with Retry-After', async () => {
    t.clock.set(new Date('2030-01-01T10:00:05Z'));
    await signInAgain();
    const one = await (await create({ name: 'Druk', scopes: ['dossiers:read'] })).json();
    const two = await (await create({ name: 'Rustig', scopes: ['dossiers:read'] })).json();
    for (let i = 0; i < 20; i++) expect((await t.app.request('/api/v1/news', { headers: bearer(one.token) })).status).toBe(200);
    const over = await t.app.request('/api/v1/news', { headers: bearer(one.token) });
    expect(over.status).toBe(429);
    expect(over.headers.get('retry-after')).toBe('55');
    expect((await over.json()).code).toBe('rate_limited');
    expect((await t.app.request('/api/v1/news', { headers: bearer(two.token) })).status).toBe(200);
    expect((await t.app.request('/api/v1/news', { headers: bearer(w.tokens.admin) })).status).toBe(200);
    t.clock.advance(55_000);
    expect((await t.app.request('/api/v1/news', { headers: bearer(one.token) })).status).toBe(200);
  });

  it('npm run cli -- token:create prints the token once; it works', async () => {
    t.clock.set(new Date()); // the command line runs on the real clock
    await signInAgain();
    const out: string[] = [];
    const err: string[] = [];
    const [org] = await t.db.select().from(users).where(eq(users.id, w.users.admin.id));
    const { organisations } = await import('../../db/schema/index.ts');
    const [o] = await t.db.select().from(organisations).where(eq(organisations.id, org!.organisationId));
    const code = await runCli(['token:create', '--org', o!.code, '--name', 'Leerlingadministratie', '--scopes', 'dossiers:read,dossiers:write', '--days', '30'], {
      out: (l) => out.push(l), err: (l) => err.push(l), database: t.database,
      envSource: { NODE_ENV: 'test', APP_SECRET: t.env.APP_SECRET, LOG_LEVEL: 'silent', DATA_DIR: t.env.DATA_DIR },
    });
    expect([code, err]).toEqual([0, []]);
    const token = out.at(-1)!;
    expect(token).toMatch(/^kk_[A-Za-z0-9_-]{43}$/);
    expect(out.join('\n')).toContain('dossiers:read, dossiers:write');
    expect((await t.app.request('/api/v1/dossiers', { headers: bearer(token) })).status).toBe(200);
    const listed = (await (await t.app.request('/api/v1/api-tokens?pageSize=100', { headers: admin() })).json()).items.find((i: { name: string; createdBy: { displayName: string } }) => i.name === 'Leerlingadministratie' && i.createdBy.displayName.includes('CLI'));
    expect(listed).toBeTruthy();
    const bad = await runCli(['token:create', '--org', o!.code, '--name', 'X', '--scopes', 'alles'], { out: () => {}, err: (l) => err.push(l), database: t.database, envSource: { NODE_ENV: 'test', APP_SECRET: t.env.APP_SECRET, LOG_LEVEL: 'silent', DATA_DIR: t.env.DATA_DIR } });
    expect(bad).toBe(2);
    expect(err.join('\n')).toContain('--scopes');
  });
});
