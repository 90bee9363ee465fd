import { and, desc, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { makeLoginUser, TEST_PASSWORD, userRow } from '../../../test/accounts.ts';
import { createTestApp, jsonRequest, bearer, type TestContext } from '../../../test/app.ts';
import { makeOrganisation, signIn } from '../../../test/fixtures.ts';
import { auditLog, mailOutbox, sessions, users } from '../../db/schema/index.ts';

const isPglite = !process.env.DATABASE_URL;

describe('POST /auth/login: security', () => {
  let t: TestContext;
  let org: Awaited<ReturnType<typeof makeOrganisation>>;
  let address = 0;
  /** Each test its own client address (TRUST_PROXY), so the per-address limit stays out of the way. */
  const from = () => ({ 'x-forwarded-for': `10.1.0.${++address}` });

  beforeAll(async () => {
    t = await createTestApp({ env: { TRUST_PROXY: 'true' } });
    org = await makeOrganisation(t.db, 'PO2507', 'Stromenland');
  });
  afterAll(() => t.close());

  const login = (body: unknown, headers: Record<string, string> = from()) => t.app.request('/api/v1/auth/login', jsonRequest('POST', body, headers));
  const step = () => t.clock.advance(30_000);
  const newUser = (overrides = {}) => makeLoginUser(t.db, t.env.APP_SECRET, org.id, 'parent', overrides);
  const creds = async (a: Awaited<ReturnType<typeof newUser>>, overrides: Record<string, string> = {}) => ({
    organisation: 'PO2507',
    username: a.user.username,
    password: TEST_PASSWORD,
    code: await a.code(t.clock.now()),
    ...overrides,
  });
  const problemOf = async (res: Response) => {
    const body = await res.json();
    expect(body.requestId).toBeTruthy();
    return { status: res.status, type: res.headers.get('content-type'), body: { ...body, requestId: '…' } };
  };
  const lastLoginAudit = async (userId: string) =>
    (await t.db.select().from(auditLog).where(and(eq(auditLog.action, 'auth.login'), eq(auditLog.subjectId, userId))).orderBy(desc(auditLog.id)).limit(1))[0]!;

  it('gives one identical answer for every kind of wrong, and audits the real reason', async () => {
    step();
    const a = await newUser();
    const locked = await newUser({ lockedUntil: new Date(t.clock.now().getTime() + 60_000) });
    const blocked = await newUser({ blockedAt: t.clock.now(), lockedUntil: null });
    const deactivated = await newUser({ status: 'deactivated' });
    const invited = await newUser({ status: 'invited', passwordHash: null, totpSecretEnc: null });
    const cases = {
      'unknown organisation': await creds(a, { organisation: 'XX9999' }),
      'unknown user': await creds(a, { username: 'niemand' }),
      'wrong password': await creds(a, { password: 'verkeerd wachtwoord' }),
      'wrong code': await creds(a, { code: '000000' }),
      'malformed code': await creds(a, { code: 'abc' }),
      'locked (right password and code)': await creds(locked),
      'blocked after 3 locks (right password and code)': await creds(blocked),
      'deactivated (right password and code)': await creds(deactivated),
      'invited, not activated': await creds(invited),
    };
    const answers = [];
    for (const body of Object.values(cases)) answers.push(await problemOf(await login(body)));
    expect(answers[0]).toEqual({ status: 401, type: 'application/problem+json', body: expect.objectContaining({ code: 'invalid_credentials' }) });
    for (const answer of answers) expect(answer).toEqual(answers[0]);

    const reasons = await t.db.select({ detail: auditLog.detail, outcome: auditLog.outcome }).from(auditLog).where(eq(auditLog.action, 'auth.login'));
    expect(reasons.map((r) => (r.detail as { reason: string }).reason)).toEqual(
      expect.arrayContaining(['unknown_account', 'wrong_password', 'wrong_code', 'locked', 'blocked', 'account_deactivated', 'account_invited']),
    );
    expect(reasons.every((r) => r.outcome === 'failure')).toBe(true);
  });

  it('takes about as long for an unknown user as for a wrong password (a dummy argon2 verification)', async () => {
    const a = await newUser();
    const time = async (body: unknown) => {
      const started = performance.now();
      await login(body);
      return performance.now() - started;
    };
    // Interleaved, median of 5 each: a machine busy with other work slows both kinds alike. Without
    // the dummy verification an unknown user answers some 50× faster, far outside these bounds.
    const unknowns: number[] = [];
    const wrongs: number[] = [];
    for (let i = 0; i < 5; i++) {
      unknowns.push(await time(await creds(a, { username: 'niemand' })));
      wrongs.push(await time(await creds(a, { password: 'fout fout fout' })));
    }
    const median = (xs: number[]) => xs.sort((x, y) => x - y)[2]!;
    const [unknown, wrong] = [median(unknowns), median(wrongs)];
    expect(unknown).toBeGreaterThan(wrong * 0.3);
    expect(unknown).toBeLessThan(wrong * 3);
  });

  it('refuses a code that was already used (replay), and the next step’s code works', async () => {
    step();
    const a = await newUser();
    const body = await creds(a);
    expect((await login(body)).status).toBe(200);
    expect((await login(body)).status).toBe(401);
    expect((await lastLoginAudit(a.user.id)).detail).toEqual({ reason: 'replayed_code' });
    step();
    expect((await login(await creds(a))).status).toBe(200);
  });

  it.skipIf(isPglite)('lets exactly one of 20 parallel logins with one valid code through (row lock; PGlite has one connection, so this runs on PostgreSQL only)', async () => {
    step();
    const a = await newUser();
    const body = await creds(a);
    // Hold the user's row until several logins wait on it, so that they really run at the same moment.
    let all!: Promise<number[]>;
    await t.db.transaction(async (tx) => {
      await tx.select().from(users).where(eq(users.id, a.user.id)).for('update');
      all = Promise.all(Array.from({ length: 20 }, (_, i) => Promise.resolve(login(body, { 'x-forwarded-for': `10.9.0.${i}` })).then((r) => r.status)));
      for (let i = 0; i < 200; i++) {
        await tx.execute(sql`select pg_stat_clear_snapshot()`); // the view is otherwise frozen for the transaction
        const [row] = (await tx.execute<{ n: number }>(sql`select count(*)::int as n from pg_stat_activity where wait_event_type = 'Lock' and datname = current_database()`)) as { n: number }[];
        if (row!.n >= 5) break;
        await new Promise((r) => setTimeout(r, 25));
      }
    });
    const statuses = await all;
    expect(statuses.filter((s) => s === 200)).toHaveLength(1);
    expect(statuses.filter((s) => s === 401)).toHaveLength(19);
  });

  it('a success writes the step, clears the counters, and stores the session and the audit entry (the one-statement path)', async () => {
    step();
    const a = await newUser({ failedLogins: 3, lastFailedLoginAt: new Date(t.clock.now().getTime() - 60_000), failedCodes: 2 });
    // The lookup gives the timestamps as text; the one statement must still match the row they came from (no fallback).
    const transaction = vi.spyOn(t.db, 'transaction');
    const res = await login(await creds(a), { 'x-forwarded-for': '10.5.5.5', 'user-agent': 'bench/1' });
    expect(transaction).not.toHaveBeenCalled();
    transaction.mockRestore();
    expect(res.status).toBe(200);
    const body = await res.json();
    const now = t.clock.now();
    expect(body.user).toEqual({ id: a.user.id, username: a.user.username, displayName: a.user.displayName, email: a.user.email, role: 'parent', organisation: { code: 'PO2507', name: 'Stromenland' } });
    expect(body.expiresAt).toBe(new Date(now.getTime() + t.env.SESSION_MAX_HOURS * 3_600_000).toISOString());
    expect(await userRow(t.db, a.user.id)).toMatchObject({ totpLastStep: Math.floor(now.getTime() / 30_000), failedLogins: 0, lastFailedLoginAt: null, failedCodes: 0, lastLoginAt: now });
    const [session] = await t.db.select().from(sessions).where(eq(sessions.userId, a.user.id));
    expect(session).toMatchObject({ createdAt: now, lastSeenAt: now, userAgent: 'bench/1', ipAddress: '10.5.5.5' });
    const entry = await lastLoginAudit(a.user.id);
    expect(entry).toMatchObject({
      at: now, organisationId: org.id, actorUserId: a.user.id, actorRole: 'parent', actorDisplayName: a.user.displayName, actorTokenId: null,
      subjectType: 'user', subjectId: a.user.id, subjectLabel: a.user.username, ipAddress: '10.5.5.5', userAgent: 'bench/1', outcome: 'success', detail: null,
    });
    expect((await t.app.request('/api/v1/auth/session', { headers: bearer(body.token) })).status).toBe(200);
  });

  it.skipIf(isPglite)('decides under the row lock when the row changed after it was read (the one statement finds nothing, the transaction lets the login in)', async () => {
    step();
    const a = await newUser();
    const body = await creds(a);
    let pending!: Promise<Response>;
    await t.db.transaction(async (tx) => {
      await tx.select().from(users).where(eq(users.id, a.user.id)).for('update');
      pending = Promise.resolve(login(body));
      for (let i = 0; i < 400; i++) {
        await tx.execute(sql`select pg_stat_clear_snapshot()`);
        const [row] = (await tx.execute<{ n: number }>(sql`select count(*)::int as n from pg_stat_activity where wait_event_type = 'Lock' and datname = current_database()`)) as { n: number }[];
        if (row!.n >= 1) break;
        await new Promise((r) => setTimeout(r, 25));
      }
      // A wrong password long ago: it changes the row the login read, but not the decision.
      await tx.update(users).set({ failedLogins: 1, lastFailedLoginAt: new Date(t.clock.now().getTime() - 3_600_000) }).where(eq(users.id, a.user.id));
    });
    expect((await pending).status).toBe(200);
    expect(await userRow(t.db, a.user.id)).toMatchObject({ failedLogins: 0, lastFailedLoginAt: null });
    expect(await lastLoginAudit(a.user.id)).toMatchObject({ outcome: 'success', actorUserId: a.user.id });
    expect(await t.db.select().from(sessions).where(eq(sessions.userId, a.user.id))).toHaveLength(1);
  });

  const wrongPassword = (a: Awaited<ReturnType<typeof newUser>>) => creds(a, { password: 'fout fout fout' });
  const wrongCode = async (a: Awaited<ReturnType<typeof newUser>>) => {
    const right = await a.code(t.clock.now());
    return creds(a, { code: right === '000000' ? '111111' : '000000' });
  };
  const mailsTo = async (email: string) => t.db.select().from(mailOutbox).where(and(eq(mailOutbox.toAddress, email), eq(mailOutbox.template, 'password_known')));

  it('never locks after wrong passwords: each slows the next try (1 s after the 5th, doubling, at most 60 s); tries inside the delay count nowhere', async () => {
    step();
    const a = await newUser();
    for (let i = 0; i < 5; i++) expect((await login(await wrongPassword(a))).status).toBe(401);
    expect((await userRow(t.db, a.user.id)).failedLogins).toBe(5);
    // Inside the 1-second delay even the right password and code are refused, and this does not count.
    const wrongAnswer = await problemOf(await login(await wrongPassword(a)));
    expect((await lastLoginAudit(a.user.id)).detail).toEqual({ reason: 'delayed' });
    expect(await problemOf(await login(await creds(a)))).toEqual(wrongAnswer);
    expect((await userRow(t.db, a.user.id)).failedLogins).toBe(5);
    // The delays grow 1, 2, 4, … s and stop at 60 s; 30 more wrong passwords never lock.
    const delays: number[] = [];
    for (let failures = 5; failures < 35; failures++) {
      const wait = failures === 5 ? 1000 : delays.at(-1)! * 2 > 60_000 ? 60_000 : delays.at(-1)! * 2;
      t.clock.advance(wait - 1);
      expect((await login(await wrongPassword(a))).status).toBe(401);
      expect((await lastLoginAudit(a.user.id)).detail).toEqual({ reason: 'delayed' });
      t.clock.advance(1);
      expect((await login(await wrongPassword(a))).status).toBe(401);
      expect((await lastLoginAudit(a.user.id)).detail).toEqual({ reason: 'wrong_password' });
      delays.push(wait);
    }
    expect(delays.slice(0, 8)).toEqual([1000, 2000, 4000, 8000, 16_000, 32_000, 60_000, 60_000]);
    const row = await userRow(t.db, a.user.id);
    expect(row).toMatchObject({ failedLogins: 35, lockedUntil: null, blockedAt: null, failedCodes: 0 });
    expect(await mailsTo(a.user.email)).toHaveLength(0);
    // After the (capped) delay the owner gets in at once, and the count starts again.
    t.clock.advance(60_000);
    expect((await login(await creds(a))).status).toBe(200);
    expect((await userRow(t.db, a.user.id)).failedLogins).toBe(0);
  });

  it('locks after 10 wrong codes with the right password for 15 minutes and mails the owner once; the locked answer equals a wrong password', async () => {
    step();
    const a = await newUser();
    const wrongAnswer = await problemOf(await login(await wrongPassword(a)));
    step();
    for (let i = 0; i < 9; i++) expect(await problemOf(await login(await wrongCode(a)))).toEqual(wrongAnswer);
    expect(await userRow(t.db, a.user.id)).toMatchObject({ failedCodes: 9, failedLogins: 0, lockedUntil: null });
    expect((await login(await wrongCode(a))).status).toBe(401);
    expect((await lastLoginAudit(a.user.id)).detail).toEqual({ reason: 'wrong_code', locked: true });
    const row = await userRow(t.db, a.user.id);
    expect(row).toMatchObject({ failedCodes: 0, lockCount: 1, blockedAt: null });
    expect(row.lockedUntil?.getTime()).toBe(t.clock.now().getTime() + 15 * 60_000);
    const [mail] = await mailsTo(a.user.email);
    expect(mail?.subject).toBe('Iemand kent uw wachtwoord / Someone knows your password');

    step();
    expect(await problemOf(await login(await creds(a)))).toEqual(wrongAnswer);
    expect((await lastLoginAudit(a.user.id)).detail).toEqual({ reason: 'locked' });
    expect((await userRow(t.db, a.user.id)).failedCodes).toBe(0); // refused tries do not count

    t.clock.advance(15 * 60_000);
    expect((await login(await creds(a))).status).toBe(200);
    // A second lock the same day mails nobody again.
    step();
    for (let i = 0; i < 10; i++) expect((await login(await wrongCode(a))).status).toBe(401);
    expect(await userRow(t.db, a.user.id)).toMatchObject({ lockCount: 2, blockedAt: null });
    expect(await mailsTo(a.user.email)).toHaveLength(1);
  });

  it('blocks after 3 locks within 24 hours until a staff unlock (POST /users/{id}/unlock, audited)', async () => {
    step();
    const a = await newUser();
    for (let lock = 1; lock <= 3; lock++) {
      step();
      for (let i = 0; i < 10; i++) expect((await login(await wrongCode(a))).status).toBe(401);
      expect((await userRow(t.db, a.user.id)).lockCount).toBe(lock);
      t.clock.advance(15 * 60_000);
    }
    const blocked = await userRow(t.db, a.user.id);
    expect(blocked.blockedAt).not.toBeNull();
    expect(await mailsTo(a.user.email)).toHaveLength(1);
    // Hours later the right password and code still do not get in, and tries count nowhere.
    t.clock.advance(6 * 3_600_000);
    expect((await login(await creds(a))).status).toBe(401);
    expect((await lastLoginAudit(a.user.id)).detail).toEqual({ reason: 'blocked' });
    expect((await login(await wrongCode(a))).status).toBe(401);
    expect((await userRow(t.db, a.user.id)).lockCount).toBe(3);

    const admin = await makeLoginUser(t.db, t.env.APP_SECRET, org.id, 'admin');
    const adminToken = await signIn(t.db, admin.user.id, t.clock.now(), t.env);
    const parentToken = await signIn(t.db, (await newUser()).user.id, t.clock.now(), t.env);
    expect((await t.app.request(`/api/v1/users/${a.user.id}/unlock`, { method: 'POST', headers: bearer(parentToken) })).status).toBe(403);
    expect((await t.app.request(`/api/v1/users/${a.user.id}/unlock`, { method: 'POST', headers: bearer(adminToken) })).status).toBe(204);
    expect(await userRow(t.db, a.user.id)).toMatchObject({ blockedAt: null, lockedUntil: null, lockCount: 0, failedCodes: 0 });
    const [entry] = await t.db.select().from(auditLog).where(and(eq(auditLog.action, 'user.unlock'), eq(auditLog.subjectId, a.user.id)));
    expect(entry).toMatchObject({ outcome: 'success', actorUserId: admin.user.id });
    step();
    expect((await login(await creds(a))).status).toBe(200);
  });

  it('starts a new 24-hour window after a day: 3 locks spread over more than 24 hours do not block', async () => {
    step();
    const a = await newUser();
    for (let lock = 0; lock < 3; lock++) {
      step();
      for (let i = 0; i < 10; i++) await login(await wrongCode(a));
      t.clock.advance(13 * 3_600_000);
    }
    expect(await userRow(t.db, a.user.id)).toMatchObject({ blockedAt: null, lockCount: 1 });
    expect(await mailsTo(a.user.email)).toHaveLength(2); // one per window
  });

  it('counts only failures per address: 200 successful logins of different users from one address all pass', async () => {
    step();
    const shared = { 'x-forwarded-for': '10.77.7.7' };
    const many = [];
    for (let i = 0; i < 200; i++) many.push(await newUser());
    const statuses: number[] = [];
    for (const a of many) statuses.push((await login(await creds(a), shared)).status);
    expect(statuses.filter((s) => s !== 200)).toEqual([]);
  }, 180_000);

  it('answers 429 with Retry-After once an address has had 100 failures in 10 minutes; other addresses are unaffected', async () => {
    t.clock.set(new Date(Math.ceil(t.clock.now().getTime() / 600_000) * 600_000 + 1000)); // start of a window
    const a = await newUser();
    const attacker = { 'x-forwarded-for': '10.66.6.6' };
    for (let i = 0; i < 100; i++) expect((await login({ organisation: 'PO2507', username: `niemand${i}`, password: 'fout fout fout', code: '000000' }, attacker)).status).toBe(401);
    const res = await login(await creds(a), attacker);
    expect(res.status).toBe(429);
    expect(res.headers.get('retry-after')).toBe('599');
    expect((await res.json()).code).toBe('too_many_attempts');
    expect((await login(await creds(a))).status).toBe(200); // another address
    t.clock.advance(10 * 60_000);
    step();
    expect((await login(await creds(a), attacker)).status).toBe(200);
  }, 120_000);

  it('takes the per-address failure limit from LOGIN_FAILURES_PER_ADDRESS', async () => {
    const small = await createTestApp({ env: { LOGIN_FAILURES_PER_ADDRESS: '3' } });
    try {
      const statuses = [];
      for (let i = 0; i < 4; i++) statuses.push((await small.app.request('/api/v1/auth/login', jsonRequest('POST', { organisation: 'PO2507', username: 'niemand', password: 'fout fout fout', code: '000000' }))).status);
      expect(statuses).toEqual([401, 401, 401, 429]);
    } finally {
      await small.close();
    }
  });

  it('never answers 500 to malformed input', async () => {
    const a = await newUser();
    const good = await creds(a);
    const bodies: unknown[] = [
      { ...good, code: 'abc' },
      { ...good, code: '1234567' },
      { ...good, code: '' },
      { ...good, password: 'x'.repeat(10_000) },
      { ...good, password: 'ü'.repeat(1024) },
      { ...good, username: 'ñandú 🙂 مرحبا' },
      { ...good, username: 'a\u0000b', password: '\u0000', code: '\u0000' },
      { ...good, username: '\ud800' },
      { ...good, organisation: '🙂' },
      { organisation: 'PO2507' },
      {},
      { ...good, code: 123456 },
      { ...good, password: null },
      { ...good, username: ['a'] },
      [good],
      'not json',
      '{"organisation":',
      '',
      'null',
    ];
    for (const body of bodies) {
      const res = await t.app.request('/api/v1/auth/login', { method: 'POST', headers: { 'content-type': 'application/json', ...from() }, body: typeof body === 'string' ? body : JSON.stringify(body) });
      expect([400, 401], `${JSON.stringify(body).slice(0, 60)} → ${res.status}`).toContain(res.status);
      expect(res.headers.get('content-type')).toBe('application/problem+json');
    }
    const plain = await t.app.request('/api/v1/auth/login', { method: 'POST', headers: { 'content-type': 'text/plain', ...from() }, body: JSON.stringify(good) });
    expect(plain.status).toBeLessThan(500);
  });

  it('keeps sessions apart: list, end another one, idle timeout', async () => {
    step();
    const a = await newUser();
    const first = await (await login(await creds(a))).json();
    step();
    const second = await (await login(await creds(a))).json();
    expect(first.token).not.toBe(second.token);
    const list = await (await t.app.request('/api/v1/auth/sessions', { headers: bearer(second.token) })).json();
    expect(list).toHaveLength(2);
    const other = list.find((s: { current: boolean }) => !s.current);
    const b = await newUser();
    step();
    const stranger = await (await login(await creds(b))).json();
    expect((await t.app.request(`/api/v1/auth/sessions/${other.id}`, { method: 'DELETE', headers: bearer(stranger.token) })).status).toBe(404);
    expect((await t.app.request('/api/v1/auth/sessions/abc', { method: 'DELETE', headers: bearer(second.token) })).status).toBe(404);
    expect((await t.app.request(`/api/v1/auth/sessions/${other.id}`, { method: 'DELETE', headers: bearer(second.token) })).status).toBe(204);
    expect((await t.app.request('/api/v1/me', { headers: bearer(first.token) })).status).toBe(401);
    expect((await t.app.request('/api/v1/me', { headers: bearer(second.token) })).status).toBe(200);
    t.clock.advance(15 * 60_000 + 1000);
    expect((await t.app.request('/api/v1/me', { headers: bearer(second.token) })).status).toBe(401);
  });

  it('writes an audit entry for every attempt, with the reason only in the internal detail', async () => {
    const a = await newUser();
    step();
    const before = (await t.db.select().from(auditLog).where(eq(auditLog.action, 'auth.login'))).length;
    await login(await creds(a, { password: 'fout fout fout' }));
    await login(await creds(a));
    const rows = await t.db.select().from(auditLog).where(eq(auditLog.action, 'auth.login')).orderBy(desc(auditLog.id)).limit(2);
    expect((await t.db.select().from(auditLog).where(eq(auditLog.action, 'auth.login'))).length).toBe(before + 2);
    expect(rows.map((r) => r.outcome)).toEqual(['success', 'failure']);
    expect(rows[1]!.detail).toEqual({ reason: 'wrong_password' });
    expect(rows[0]!.ipAddress).toMatch(/^10\.1\.0\./);
    expect(JSON.stringify(rows)).not.toContain(TEST_PASSWORD);
    expect(JSON.stringify(rows)).not.toContain('fout fout fout');
  });
});
