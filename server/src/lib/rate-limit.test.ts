import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../test/db.ts';
import type { Database } from '../db/client.ts';
import { rateLimits } from '../db/schema/index.ts';
import { hitRateLimit } from './rate-limit.ts';

/** The fixed window in `rate_limits` that the login-failure and reset throttles count in. */
const rule = { max: 3, windowSeconds: 600 };
let database: Database;
const row = async (key: string) => (await database.db.select().from(rateLimits).where(eq(rateLimits.key, key)))[0];

describe('hitRateLimit', () => {
  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(async () => {
    await database.close();
  });

  it('allows max hits in a window, then says how long to wait; a new window starts again', async () => {
    const now = new Date('2026-11-29T10:01:00Z');
    for (let i = 0; i < 3; i++) expect(await hitRateLimit(database.db, 'k:a', rule, now)).toBeNull();
    expect(await hitRateLimit(database.db, 'k:a', rule, now)).toEqual({ retryAfterSeconds: 540 });
    expect(await hitRateLimit(database.db, 'k:a', rule, new Date('2026-11-29T10:10:00Z'))).toBeNull();
    expect(await row('k:a')).toMatchObject({ count: 1, windowStart: new Date('2026-11-29T10:10:00Z') });
  });

  it('counts a late hit for a window another process has left in the newer window, never resetting it', async () => {
    const newer = new Date('2026-11-29T11:00:05Z');
    for (let i = 0; i < 3; i++) await hitRateLimit(database.db, 'k:late', rule, newer);
    // A process whose request was stamped in the previous window writes after them:
    expect(await hitRateLimit(database.db, 'k:late', rule, new Date('2026-11-29T10:59:59Z'))).not.toBeNull();
    expect(await row('k:late')).toMatchObject({ count: 4, windowStart: new Date('2026-11-29T11:00:00Z') });
    expect(await hitRateLimit(database.db, 'k:late', rule, newer)).not.toBeNull();
  });
});
