import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createTestApp, type TestContext } from '../test/app.ts';
import { createWorld, type World } from '../test/world.ts';
import { signIn } from '../test/fixtures.ts';

/**
 * Robustness from the contract: every operation in /openapi.json is called with hostile input —
 * odd path parameters, bodies of the wrong shape or type, not JSON at all, garbage queries — as
 * an admin and without a token. Whatever the input, the answer is never a 500, always has a
 * status the app means to give, and every error is problem+json.
 */
interface Operation {
  method: string;
  path: string;
}

const pathValues = ['x', '00000000-0000-0000-0000-000000000000', '%00', '..%2F..%2Fetc', 'a'.repeat(300), "1' or '1'='1", '%F0%9F%98%80', '-1'];
const bodies: (string | undefined)[] = [
  undefined,
  '',
  'null',
  '[]',
  '{}',
  '"tekst"',
  '{"a":',
  JSON.stringify({ organisation: 1, username: [], password: {}, code: null, title: 5, firstName: true, birthDate: '2020-02-30', role: 'baas', email: 'x', userId: 'x', status: 7, labels: 'x', dossierIds: [1], date: '99999-01-01' }),
  JSON.stringify({ title: '\u0000', description: 'x'.repeat(100_000), labels: Array.from({ length: 500 }, () => 'x') }),
  JSON.stringify({ password: 'a'.repeat(10_000), code: '1234567', organisation: 'PO2507', username: '\u202e' }),
];
const queries = ['', '?page=0', '?page=-1&pageSize=1000', '?pageSize=abc', '?q=%00', `?q=${'%25'.repeat(200)}`, '?role=baas&status=x', '?page=1e9'];

describe('every route against hostile input', () => {
  let t: TestContext;
  let w: World;
  let operations: Operation[];
  beforeAll(async () => {
    t = await createTestApp({ env: { TRUST_PROXY: 'true' } });
    w = await createWorld(t.db, t.env, t.clock.now());
    const doc = (await (await t.app.request('/openapi.json')).json()) as { paths: Record<string, Record<string, unknown>> };
    operations = Object.entries(doc.paths).flatMap(([path, ops]) => Object.keys(ops).map((method) => ({ method: method.toUpperCase(), path })));
  });
  afterAll(() => t.close());

  it('knows every route of the API', () => {
    expect(operations.length).toBeGreaterThan(30);
  });

  it('never answers 500, and every error is problem+json', async () => {
    const failures: string[] = [];
    const expected = new Set([200, 201, 202, 204, 206, 304, 400, 401, 403, 404, 409, 410, 413, 415, 416, 422, 429]);
    let calls = 0;
    let token = w.tokens.admin;
    for (const op of operations) {
      const variants: { url: string; body?: string; auth: boolean }[] = [];
      for (const value of pathValues) variants.push({ url: op.path.replace(/\{[^}]+\}/g, value), auth: true });
      const samplePath = op.path.replace(/\{[^}]+\}/g, w.dossiers.own.id);
      for (const body of bodies) variants.push({ url: samplePath, body, auth: true });
      for (const q of queries) variants.push({ url: samplePath + q, auth: true });
      variants.push({ url: samplePath, body: '{}', auth: false });
      for (const v of variants) {
        // Each call from its own address, so the per-address throttles stay out of the way.
        const headers: Record<string, string> = { 'x-forwarded-for': `10.9.${calls >> 8}.${calls & 255}`, ...(v.auth ? bearer(token) : {}) };
        if (v.body !== undefined) headers['content-type'] = 'application/json';
        const res = await t.app.request(v.url.startsWith('/') ? v.url : `/${v.url}`, { method: op.method, headers, ...(v.body !== undefined && op.method !== 'GET' ? { body: v.body } : {}) });
        calls++;
        const type = res.headers.get('content-type') ?? '';
        const ok = expected.has(res.status) && (res.status < 400 || type.startsWith('application/problem+json'));
        if (v.auth && res.status === 401 && !op.path.startsWith('/api/v1/auth/login')) failures.push(`${op.method} ${v.url.slice(0, 80)}: 401 with a live session`);
        if (!ok) failures.push(`${op.method} ${v.url.slice(0, 80)} body=${(v.body ?? '-').slice(0, 40)} → ${res.status} ${type}`);
        await res.arrayBuffer();
        if (v.auth && op.path === '/api/v1/auth/logout' && res.status === 204) token = await signIn(t.db, w.users.admin.id, t.clock.now(), t.env);
      }
    }
    expect(failures).toEqual([]);
    expect(calls).toBeGreaterThan(500);
    // The admin's session lived through it all: the calls really reached the handlers.
    expect((await t.app.request('/api/v1/me', { headers: bearer(token) })).status).toBe(200);
  }, 120_000);
});
