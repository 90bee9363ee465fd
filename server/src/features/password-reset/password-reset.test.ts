import { and, asc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeLoginUser, userRow } from '../../../test/accounts.ts';
import { createTestApp, jsonRequest, type TestContext } from '../../../test/app.ts';
import { makeOrganisation } from '../../../test/fixtures.ts';
import { auditLog, mailOutbox } from '../../db/schema/index.ts';
import { mailBox } from '../../mail/outbox.ts';

const NEW_PASSWORD = 'zeven zoete zeeuwse zeeuwen';

describe('password reset: mail limit, links that stay valid, wrong codes that lock', () => {
  let t: TestContext;
  let org: Awaited<ReturnType<typeof makeOrganisation>>;
  let address = 0;
  const from = () => ({ 'x-forwarded-for': `10.2.0.${++address}` });

  beforeAll(async () => {
    t = await createTestApp({ env: { TRUST_PROXY: 'true' } });
    org = await makeOrganisation(t.db, 'PO2507', 'Stromenland');
  });
  afterAll(() => t.close());

  const step = () => t.clock.advance(30_000);
  const newUser = () => makeLoginUser(t.db, t.env.APP_SECRET, org.id, 'parent');
  type Account = Awaited<ReturnType<typeof newUser>>;
  const ask = async (a: Account) => {
    const res = await t.app.request('/api/v1/auth/password-reset', jsonRequest('POST', { organisation: 'PO2507', username: a.user.username }, from()));
    await t.background.settle();
    return res.status;
  };
  /** The reset links in the outbox for this account, oldest first (bodies are sealed; the log mailer never sends). */
  const links = async (a: Account) => {
    const rows = await t.db.select().from(mailOutbox).where(and(eq(mailOutbox.toAddress, a.user.email), eq(mailOutbox.template, 'password_reset'))).orderBy(asc(mailOutbox.createdAt));
    return rows.map((r) => /\/reset\/([\w-]+)/.exec((JSON.parse(mailBox(t.env.APP_SECRET).decrypt(r.bodyEnc!)) as { text: string }).text)![1]!);
  };
  const reset = (token: string, code: string) => t.app.request(`/api/v1/password-reset/${token}`, jsonRequest('POST', { password: NEW_PASSWORD, code }, from()));
  const login = async (a: Account, password = a.password) =>
    (await t.app.request('/api/v1/auth/login', jsonRequest('POST', { organisation: 'PO2507', username: a.user.username, password, code: await a.code(t.clock.now()) }, from()))).status;
  const wrongCode = async (a: Account) => ((await a.code(t.clock.now())) === '000000' ? '111111' : '000000');

  it('sends at most 3 reset mails per account per hour; the 4th request still answers 202', async () => {
    const a = await newUser();
    for (let i = 0; i < 4; i++) {
      expect(await ask(a)).toBe(202);
      t.clock.advance(60_000);
    }
    expect(await links(a)).toHaveLength(3);
    const [limited] = await t.db.select().from(auditLog).where(and(eq(auditLog.action, 'account.password_reset_request'), eq(auditLog.subjectId, a.user.id), eq(auditLog.outcome, 'failure')));
    expect(limited?.detail).toEqual({ reason: 'mail_limit' });
    // An hour after the first, the next request sends again.
    t.clock.advance(57 * 60_000);
    expect(await ask(a)).toBe(202);
    expect(await links(a)).toHaveLength(4);
    // Another account is not affected.
    const b = await newUser();
    expect(await ask(b)).toBe(202);
    expect(await links(b)).toHaveLength(1);
  });

  it('keeps an earlier link valid after a new request, until one of them is used', async () => {
    const a = await newUser();
    await ask(a);
    await ask(a);
    const [first, second] = await links(a);
    expect((await t.app.request(`/api/v1/password-reset/${first}`)).status).toBe(200);
    expect((await t.app.request(`/api/v1/password-reset/${second}`)).status).toBe(200);
    step();
    expect((await reset(second!, await a.code(t.clock.now()))).status).toBe(204);
    expect((await t.app.request(`/api/v1/password-reset/${first}`)).status).toBe(410);
    step();
    expect((await reset(first!, await a.code(t.clock.now()))).status).toBe(410);
    expect(await login(a, NEW_PASSWORD)).toBe(200);
  });

  it('counts wrong codes on the reset form like at login: 10 lock for 15 minutes (mail to the owner), refused meanwhile without counting', async () => {
    const a = await newUser();
    await ask(a);
    const [token] = await links(a);
    for (let i = 0; i < 9; i++) expect((await reset(token!, await wrongCode(a))).status).toBe(400);
    expect((await userRow(t.db, a.user.id)).failedCodes).toBe(9);
    const tenth = await reset(token!, await wrongCode(a));
    expect((await tenth.json()).code).toBe('invalid_code');
    expect(await userRow(t.db, a.user.id)).toMatchObject({ failedCodes: 0, lockCount: 1 });
    expect(await t.db.select().from(mailOutbox).where(and(eq(mailOutbox.toAddress, a.user.email), eq(mailOutbox.template, 'password_known')))).toHaveLength(1);

    step();
    const locked = await reset(token!, await a.code(t.clock.now()));
    expect(locked.status).toBe(429);
    expect(Number(locked.headers.get('retry-after'))).toBeGreaterThan(13 * 60);
    expect((await userRow(t.db, a.user.id)).failedCodes).toBe(0);
    // The page says so in Dutch.
    const page = await t.app.request(`/reset/${token}`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', ...from() }, body: new URLSearchParams({ password: NEW_PASSWORD, password2: NEW_PASSWORD, code: await a.code(t.clock.now()) }) });
    expect(page.status).toBe(429);
    expect(await page.text()).toContain('Te veel verkeerde codes');
  });

  it('a blocked account (3 locks in 24 hours) is unblocked by a reset link with a current code', async () => {
    const a = await newUser();
    for (let lock = 0; lock < 3; lock++) {
      step();
      for (let i = 0; i < 10; i++) await t.app.request('/api/v1/auth/login', jsonRequest('POST', { organisation: 'PO2507', username: a.user.username, password: a.password, code: await wrongCode(a) }, from()));
      t.clock.advance(15 * 60_000);
    }
    expect((await userRow(t.db, a.user.id)).blockedAt).not.toBeNull();
    step();
    expect(await login(a)).toBe(401);
    await ask(a);
    const [token] = await links(a);
    step();
    expect((await reset(token!, await a.code(t.clock.now()))).status).toBe(204);
    expect(await userRow(t.db, a.user.id)).toMatchObject({ blockedAt: null, lockedUntil: null, lockCount: 0, failedCodes: 0 });
    step();
    expect(await login(a, NEW_PASSWORD)).toBe(200);
  });
});
