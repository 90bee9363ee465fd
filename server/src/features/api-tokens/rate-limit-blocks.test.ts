import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createTestApp, type TestContext } from '../../../test/app.ts';
import { createWorld, type World } from '../../../test/world.ts';
import { apiTokens, rateLimits } from '../../db/schema/index.ts';
import { createApiToken } from './service.ts';

/**
 * The per-token limit taken in blocks (`RateLimitBlocks`, lib/rate-limit.ts): each app instance
 * (a server process) reserves hits in `rate_limits` a block at a time and hands them out from
 * memory. Two instances on one database: together never more than the limit; one may refuse
 * while the other still holds at most `block − 1` unused hits; one instance alone is exact, also
 * with many requests at once.
 */
const LIMIT = 500;
const BLOCK = 10; // RateLimitBlocks.for: 2 % of the limit
let a: TestContext;
let b: TestContext;
let w: World;

const newToken = async (name: string) =>
  (await createApiToken(a.db, w.orgA.id, { name, scopes: ['dossiers:read'], expiresInDays: 30 }, { now: a.clock.now(), createdBy: { id: null, displayName: 'Test' }, audit: {} }));
const hits = async (id: string) => (await a.db.select({ count: rateLimits.count }).from(rateLimits).where(eq(rateLimits.key, `api-token:${id}`)))[0]?.count ?? 0;
const at = (when: string) => {
  for (const t of [a, b]) t.clock.set(new Date(when));
};

describe('the per-token limit in blocks, two app instances on one database', () => {
  beforeAll(async () => {
    // Admission raised: hundreds of requests at once are the point here, not the queue's 503.
    const env = { API_TOKEN_RATE_PER_MINUTE: String(LIMIT), MAX_CONCURRENT_REQUESTS: '1000', QUEUE_TIMEOUT_MS: '60000' };
    a = await createTestApp({ env });
    b = await createTestApp({ database: a.database, env });
    w = await createWorld(a.db, a.env, a.clock.now());
  }, 180_000);
  afterAll(() => a?.close());

  const list = async (t: TestContext, token: string) => t.app.request(`/api/v1/dossiers/${w.dossiers.own.id}/hulpvragen`, { headers: bearer(token) });
  const news = async (t: TestContext, token: string) => t.app.request('/api/v1/news', { headers: bearer(token) });

  it('together never more than the limit; the first refusal leaves at most block − 1 hits unused in the other', async () => {
    at('2030-01-01T10:00:05Z');
    const token = await newToken('Twee processen');
    expect((await list(b, token.token)).status).toBe(200); // b reserves a block and keeps block − 1
    expect(await hits(token.id)).toBe(BLOCK);
    let answered = 1;
    for (;;) {
      const res = await (answered % 2 ? list : news)(a, token.token);
      if (res.status === 429) break;
      expect(res.status).toBe(200);
      answered++;
    }
    expect(answered).toBe(LIMIT - (BLOCK - 1));
    // b still answers with what it holds, then refuses too: LIMIT in all, never more.
    for (let i = 0; i < BLOCK - 1; i++) expect((await news(b, token.token)).status).toBe(200);
    const refused = await list(b, token.token);
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toBe('55');
    expect((await news(a, token.token)).status).toBe(429);
    // The next window: both answer again.
    at('2030-01-01T10:01:00Z');
    expect((await news(a, token.token)).status).toBe(200);
    expect((await list(b, token.token)).status).toBe(200);
    expect(await hits(token.id)).toBe(2 * BLOCK);
  });

  it('one instance, many requests at once: exactly the limit answered, one write per block', async () => {
    at('2030-01-01T11:00:00Z');
    const token = await newToken('Veel tegelijk');
    const first = await Promise.all(Array.from({ length: 120 }, (_, i) => (i % 2 ? list : news)(a, token.token)));
    expect(first.map((r) => r.status)).toEqual(Array(120).fill(200));
    // A request reserves only when the hits this instance has and is reserving are all claimed.
    expect(await hits(token.id)).toBe(120);
    const rest = await Promise.all(Array.from({ length: LIMIT - 120 + 20 }, (_, i) => (i % 2 ? list : news)(a, token.token)));
    const statuses = rest.map((r) => r.status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(LIMIT - 120);
    expect(statuses.filter((s) => s === 429)).toHaveLength(20);
  });

  it('revoked while this instance holds hits: 401 at once', async () => {
    at('2030-01-01T12:00:00Z');
    const token = await newToken('Ingetrokken');
    expect((await news(a, token.token)).status).toBe(200);
    expect(await hits(token.id)).toBe(BLOCK);
    await a.db.update(apiTokens).set({ revokedAt: a.clock.now() }).where(eq(apiTokens.id, token.id));
    expect((await news(a, token.token)).status).toBe(401);
    expect((await list(a, token.token)).status).toBe(401);
  });
});
