import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createTestApp, type TestContext } from '../../test/app.ts';
import { linkGuardian, makeDossier, makeOrganisation, makeSchool, makeUser, signIn } from '../../test/fixtures.ts';

// Backpressure: with the gate at 2 requests and a 30 ms wait, a burst of 60 gets quick 503s
// with Retry-After for the overflow instead of a growing queue; every other answer is right.
describe('admission gate (backpressure)', () => {
  let t: TestContext;
  let token: string;
  beforeAll(async () => {
    t = await createTestApp({ env: { MAX_CONCURRENT_REQUESTS: '2', QUEUE_TIMEOUT_MS: '30' } });
    const org = await makeOrganisation(t.db);
    const school = await makeSchool(t.db, org.id);
    const parent = await makeUser(t.db, org.id, 'parent');
    const dossier = await makeDossier(t.db, org.id, school.id);
    await linkGuardian(t.db, dossier.id, parent.id);
    token = await signIn(t.db, parent.id, t.clock.now(), t.env);
  });
  afterAll(() => t.close());

  it('refuses the overflow with 503 service_unavailable + Retry-After, answers the rest, and frees its slots', async () => {
    const started = performance.now();
    const answers = await Promise.all(Array.from({ length: 60 }, async () => t.app.request('/api/v1/dossiers', { headers: bearer(token) })));
    const statuses = answers.map((r) => r.status);
    expect(statuses.filter((s) => s !== 200 && s !== 503)).toEqual([]);
    const refused = answers.filter((r) => r.status === 503);
    expect(refused.length).toBeGreaterThan(0);
    expect(refused.length).toBeLessThan(60);
    for (const r of refused) {
      expect(r.headers.get('retry-after')).toMatch(/^\d+$/);
      expect(r.headers.get('content-type')).toBe('application/problem+json');
      expect(await r.json()).toMatchObject({ status: 503, code: 'service_unavailable' });
    }
    for (const r of answers.filter((a) => a.status === 200)) expect((await r.json()).total).toBe(1);
    expect(performance.now() - started).toBeLessThan(20_000);
    // Afterwards nothing is held: one request at a time all pass, and /health never waits.
    for (let i = 0; i < 5; i++) expect((await t.app.request('/api/v1/dossiers', { headers: bearer(token) })).status).toBe(200);
    expect((await t.app.request('/health')).status).toBe(200);
  });
});
