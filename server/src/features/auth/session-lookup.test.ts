import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../db/client.ts';
import { createTestDatabase } from '../../../test/db.ts';
import { explain } from '../../../test/explain.ts';
import { makeOrganisation, makeUser } from '../../../test/fixtures.ts';
import { hashToken } from '../../lib/crypto.ts';
import { createSession, sessionLookupQuery, validateSessionToken } from './session.ts';

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
});
