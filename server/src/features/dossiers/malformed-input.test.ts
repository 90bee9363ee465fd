import { count, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createTestApp, jsonRequest, type TestContext } from '../../../test/app.ts';
import { attachments, dossiers, hulpvragen } from '../../db/schema/index.ts';
import { createWorld, type World } from '../../authz/test-world.ts';

let t: TestContext;
let w: World;

describe('malformed input: a clear 400 problem, never a 500, nothing changed', () => {
  beforeAll(async () => {
    t = await createTestApp();
    w = await createWorld(t.db, t.env, t.clock.now());
  });
  afterAll(() => t.close());

  it('rejects NUL and control characters, impossible dates and wrong shapes', async () => {
    const h = bearer(w.tokens.admin);
    const json = (method: string, body: unknown): RequestInit => ({ ...jsonRequest(method, body), headers: { 'content-type': 'application/json', ...h } });
    const d = `/api/v1/dossiers/${w.dossiers.own.id}`;
    const hv = `/api/v1/hulpvragen/${w.hulpvraag.own}`;
    const valid = { firstName: 'A', lastName: 'B', birthDate: '2014-01-01', schoolBrin: w.brin.own };
    const cases: [string, RequestInit][] = [
      ['/api/v1/dossiers?q=%00', { headers: h }],
      ['/api/v1/schools?q=a%00b', { headers: h }],
      ['/api/v1/dossiers?page=abc', { headers: h }],
      ['/api/v1/dossiers', json('POST', { ...valid, firstName: 'a\u0000b' })],
      ['/api/v1/dossiers', json('POST', { ...valid, birthDate: '0000-01-01' })],
      ['/api/v1/dossiers', json('POST', { ...valid, birthDate: '2014-02-30' })],
      ['/api/v1/dossiers', json('POST', { ...valid, schoolBrin: 'a\u0000' })],
      ['/api/v1/dossiers', json('POST', { ...valid, lastName: 'x'.repeat(101) })],
      [`${d}/hulpvragen`, json('POST', { title: 'ok', labels: ['\u0000'] })],
      [`${d}/hulpvragen`, json('POST', { title: 'ok', date: '99999-01-01' })],
      [`${d}/hulpvragen`, json('POST', { title: 'line\nbreak' })],
      [hv, json('PATCH', { status: 'x', statusNote: 'nul\u0000' })],
      [hv, json('PATCH', { description: 'ok\u0000' })],
      [hv, json('PATCH', { labels: 'niet-een-lijst' })],
      [`${d}/guardians`, json('POST', [])],
      [d, json('PATCH', null)],
      [d, { method: 'PATCH', headers: { 'content-type': 'application/json', ...h }, body: '{"firstName": ' }],
      [`${hv}/attachments`, { method: 'POST', headers: { ...h, 'content-type': 'multipart/form-data; boundary=x' }, body: 'garbage' }],
    ];
    const before = await Promise.all([dossiers, hulpvragen, attachments].map(async (table) => (await t.db.select({ n: count() }).from(table))[0]!.n));
    const [original] = await t.db.select().from(hulpvragen).where(eq(hulpvragen.id, w.hulpvraag.own));
    for (const [url, init] of cases) {
      const res = await t.app.request(url, init);
      const body = await res.json();
      expect([url, init.body, res.status, body.code]).toEqual([url, init.body, 400, expect.stringMatching(/^(validation_failed|invalid_request)$/)]);
    }
    const after = await Promise.all([dossiers, hulpvragen, attachments].map(async (table) => (await t.db.select({ n: count() }).from(table))[0]!.n));
    expect(after).toEqual(before);
    const [unchanged] = await t.db.select().from(hulpvragen).where(eq(hulpvragen.id, w.hulpvraag.own));
    expect(unchanged).toEqual(original);
  });

  it('keeps line breaks in free text', async () => {
    const res = await t.app.request(`/api/v1/hulpvragen/${w.hulpvraag.own}`, { ...jsonRequest('PATCH', { description: 'regel 1\r\n\tregel 2' }), headers: { 'content-type': 'application/json', ...bearer(w.tokens.admin) } });
    expect(res.status).toBe(200);
    expect((await res.json()).description).toBe('regel 1\r\n\tregel 2');
  });
});
