import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../db/client.ts';
import { sessions } from '../../db/schema/index.ts';
import { hashToken } from '../../lib/crypto.ts';
import { createTestDatabase } from '../../../test/db.ts';
import { makeOrganisation, makeUser } from '../../../test/fixtures.ts';
import { createSession, invalidateUserSessions, validateSessionToken } from './session.ts';

const policy = { idleMinutes: 15, maxHours: 8 };
const minutes = (n: number) => n * 60_000;

describe('sessions', () => {
  let database: Database;
  let userId: string;
  const t0 = new Date('2026-03-02T08:00:00Z');
  const at = (ms: number) => new Date(t0.getTime() + ms);
  beforeAll(async () => {
    database = await createTestDatabase();
    const org = await makeOrganisation(database.db);
    userId = (await makeUser(database.db, org.id, 'parent')).id;
  });
  afterAll(() => database.close());

  it('stores only the SHA-256 of a 256-bit token', async () => {
    const { token } = await createSession(database.db, userId, t0, policy);
    expect(Buffer.from(token, 'base64url')).toHaveLength(32);
    const rows = await database.db.select().from(sessions).where(eq(sessions.userId, userId));
    expect(rows.map((r) => r.tokenHash)).toContain(hashToken(token));
    expect(JSON.stringify(rows)).not.toContain(token);
  });

  it('activity moves the idle timeout; 15 idle minutes end the session', async () => {
    const { token } = await createSession(database.db, userId, t0, policy);
    expect(await validateSessionToken(database.db, token, at(minutes(10)), policy)).not.toBeNull();
    const later = await validateSessionToken(database.db, token, at(minutes(24)), policy); // 14 min after the last activity
    expect(later?.session.idleExpiresAt).toEqual(at(minutes(39)));
    expect(await validateSessionToken(database.db, token, at(minutes(39) + 1000), policy)).toBeNull();
    // …and is gone from the database, not just refused.
    expect(await database.db.select().from(sessions).where(eq(sessions.tokenHash, hashToken(token)))).toHaveLength(0);
  });

  it('ends at the absolute limit however active', async () => {
    const { token } = await createSession(database.db, userId, t0, policy);
    for (let m = 10; m < 8 * 60; m += 10) expect(await validateSessionToken(database.db, token, at(minutes(m)), policy)).not.toBeNull();
    expect(await validateSessionToken(database.db, token, at(minutes(8 * 60)), policy)).toBeNull();
  });

  it('concurrent requests of one session record activity once', async () => {
    const { token, session } = await createSession(database.db, userId, t0, policy);
    const when = at(minutes(5));
    const results = await Promise.all(Array.from({ length: 8 }, () => validateSessionToken(database.db, token, when, policy)));
    expect(results.every((r) => r?.session.lastSeenAt.getTime() === when.getTime())).toBe(true);
    const [row] = await database.db.select().from(sessions).where(eq(sessions.id, session.id));
    expect(row!.lastSeenAt).toEqual(when);
  });

  it('refuses unknown and malformed tokens, and all of a user’s sessions end together', async () => {
    expect(await validateSessionToken(database.db, 'x'.repeat(43), t0, policy)).toBeNull();
    expect(await validateSessionToken(database.db, 'short', t0, policy)).toBeNull();
    const a = await createSession(database.db, userId, t0, policy);
    const b = await createSession(database.db, userId, t0, policy);
    await invalidateUserSessions(database.db, userId, a.session.id);
    expect(await validateSessionToken(database.db, b.token, t0, policy)).toBeNull();
    expect(await validateSessionToken(database.db, a.token, t0, policy)).not.toBeNull();
    await invalidateUserSessions(database.db, userId);
    expect(await validateSessionToken(database.db, a.token, t0, policy)).toBeNull();
  });
});
