import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../db/client.ts';
import { createTestDatabase } from '../../../test/db.ts';
import { explain } from '../../../test/explain.ts';
import { makeOrganisation, makeUser } from '../../../test/fixtures.ts';
import { hashToken } from '../../lib/crypto.ts';
import { sessions } from '../../db/schema/index.ts';
import { checkSessionToken, createSession, sessionLookupQuery, validateSessionToken } from './session.ts';

/**
 * The session lookup runs on every authenticated request: it reads one row of the unique token
 * index (never a scan of all sessions) and only the columns a request needs — never the user's
 * password hash or TOTP secret. Runs on PGlite and PostgreSQL (the same planner).
 */
let database: Database;
let userId: string;
const policy = { idleMinutes: 15, maxHours: 8 };
const now = new Date('2026-03-02T08:00:00Z');

beforeAll(async () => {
  database = await createTestDatabase();
  const { db } = database;
  const org = await makeOrganisation(db);
  userId = (await makeUser(db, org.id, 'parent', { passwordHash: '$argon2id$secret-hash', totpSecretEnc: 'sealed-totp-secret' })).id;
  await db.execute(sql`insert into sessions (token_hash, user_id, last_seen_at, expires_at)
    select md5(g::text), ${userId}, now(), now() + interval '1 hour' from generate_series(1, 3000) g`);
  await db.execute(sql`analyze`);
});

afterAll(() => database?.close());

describe('session lookup', () => {
  it('selects no secret of the user', () => {
    const text = sessionLookupQuery(database.db).toSQL().sql;
    expect(text).toContain('"sessions"."last_seen_at"');
    expect(text).not.toMatch(/password_hash|totp_secret_enc|totp_last_step|"users"\.\*/);
  });

  it('reads the unique token index, not every session', async () => {
    const text = await explain(database, sessionLookupQuery(database.db), { tokenHash: hashToken('x'.repeat(43)) });
    expect(text).toContain('sessions_token_hash_key');
    expect(text).not.toMatch(/Seq Scan on sessions/);
  });

  it('the prepared lookup answers each token with its own session, again and again', async () => {
    const a = await createSession(database.db, userId, now, policy);
    const b = await createSession(database.db, userId, now, policy);
    for (let i = 0; i < 3; i++) {
      expect((await validateSessionToken(database.db, a.token, now, policy))?.session.id).toBe(a.session.id);
      expect((await validateSessionToken(database.db, b.token, now, policy))?.session.id).toBe(b.session.id);
    }
    expect(await validateSessionToken(database.db, 'y'.repeat(43), now, policy)).toBeNull();
    const inTx = await database.db.transaction((tx) => validateSessionToken(tx, a.token, now, policy));
    expect(inTx?.user).toMatchObject({ id: userId, role: 'parent' });
  });

  it('checkSessionToken: one statement finds a live session and records activity at most every 15 s; an ended one is deleted', async () => {
    const { db } = database;
    const a = await createSession(db, userId, now, policy);
    const seen = async () => (await db.select({ at: sessions.lastSeenAt }).from(sessions).where(eq(sessions.id, a.session.id)))[0]?.at;
    const later = (s: number) => new Date(now.getTime() + s * 1000);
    const same = await checkSessionToken(db, a.token, later(10), policy);
    expect(same).toMatchObject({ user: { id: userId, role: 'parent', organisation: { code: expect.any(String) } }, session: { id: a.session.id } });
    expect(await seen()).toEqual(now); // within 15 s: not written
    const touched = await checkSessionToken(db, a.token, later(60), policy);
    expect(touched?.session.lastSeenAt).toEqual(later(60));
    expect(touched?.session.idleExpiresAt).toEqual(later(60 + 15 * 60));
    expect(await seen()).toEqual(later(60));
    expect(await checkSessionToken(db, 'z'.repeat(43), later(60), policy)).toBeNull();
    // Idle for 15 minutes: refused and deleted (the ordinary way).
    expect(await checkSessionToken(db, a.token, later(60 + 15 * 60), policy)).toBeNull();
    expect(await seen()).toBeUndefined();
  });
});
