import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, jsonRequest, type TestContext } from '../../../test/app.ts';
import { makeOrganisation, makeUser } from '../../../test/fixtures.ts';
import { createOneTimeToken } from './tokens.ts';
import { generateToken } from '../../lib/crypto.ts';
import { totpCode } from '../../lib/totp.ts';
import { inviteUser } from '../users/service.ts';

const PASSWORD = 'vier verse vissen vangen';

describe('activation and reset links', () => {
  let t: TestContext;
  let orgId: string;
  beforeAll(async () => {
    t = await createTestApp();
    orgId = (await makeOrganisation(t.db, 'PO2507', 'Stromenland')).id;
  });
  afterAll(async () => {
    await t.background.settle();
    await t.close();
  });

  const api = (path: string, init?: RequestInit) => t.app.request(`/api/v1${path}`, init);
  const invite = async (displayName: string) => {
    const { user, link } = await inviteUser(t.db, null, orgId, { role: 'parent', email: `${displayName.replace(/\W/g, '')}@example.org`, displayName }, {
      now: t.clock.now(),
      publicUrl: t.env.PUBLIC_URL,
      appSecret: t.env.APP_SECRET,
      audit: {},
    });
    return { user, token: link.split('/activate/')[1]! };
  };
  const activate = async (token: string) => {
    const { totp } = await (await api(`/activation/${token}`)).json();
    const res = await api(`/activation/${token}`, jsonRequest('POST', { password: PASSWORD, code: await totpCode(totp.secret, t.clock.now()) }));
    return { res, secret: totp.secret as string };
  };

  it('answers 404 to unknown and malformed links, 410 to expired ones (72 hours)', async () => {
    expect((await api(`/activation/${generateToken()}`)).status).toBe(404);
    expect((await api('/activation/abc')).status).toBe(404);
    expect((await api(`/activation/${'x'.repeat(300)}`)).status).toBe(400);
    expect((await t.app.request(`/activate/${generateToken()}`)).status).toBe(404);
    const { token } = await invite('Els Expired');
    t.clock.advance(72 * 3_600_000 - 1000);
    expect((await api(`/activation/${token}`)).status).toBe(200);
    t.clock.advance(1000);
    expect((await api(`/activation/${token}`)).status).toBe(410);
    expect((await api(`/activation/${token}`)).headers.get('content-type')).toBe('application/problem+json');
    expect((await api(`/activation/${token}`, jsonRequest('POST', { password: PASSWORD, code: '123456' }))).status).toBe(410);
    const page = await t.app.request(`/activate/${token}`);
    expect(page.status).toBe(410);
    expect(await page.text()).toContain('verlopen of al gebruikt');
  });

  it('uses a link once', async () => {
    const { token } = await invite('Ulla Used');
    expect((await activate(token)).res.status).toBe(204);
    expect((await api(`/activation/${token}`)).status).toBe(410);
    expect((await activate(token).catch(() => ({ res: { status: 410 } }))).res.status).toBe(410);
  });

  it('refuses weak passwords: too short, common, equal to the username; the link stays usable', async () => {
    const { user, token } = await invite('Willem Weak');
    const { totp } = await (await api(`/activation/${token}`)).json();
    for (const password of ['kort', 'Wachtwoord123', 'qwertyuiop', user.username.toUpperCase(), 'x'.repeat(129)]) {
      const res = await api(`/activation/${token}`, jsonRequest('POST', { password, code: await totpCode(totp.secret, t.clock.now()) }));
      expect(res.status, password).toBe(400);
      expect((await res.json()).code).toBe('weak_password');
    }
    expect((await api(`/activation/${token}`)).status).toBe(200);
  });

  it('expires reset links after one hour', async () => {
    const user = await makeUser(t.db, orgId, 'parent');
    const token = await createOneTimeToken(t.db, user.id, 'password_reset', t.clock.now());
    expect((await api(`/password-reset/${token}`)).status).toBe(200);
    t.clock.advance(3_600_000);
    expect((await api(`/password-reset/${token}`)).status).toBe(410);
    expect((await t.app.request(`/reset/${token}`)).status).toBe(410);
    expect((await api(`/password-reset/${generateToken()}`)).status).toBe(404);
    // An activation link is not a reset link.
    const { token: activation } = await invite('Anton Andere');
    expect((await api(`/password-reset/${activation}`)).status).toBe(404);
  });

  it('never answers 500 to malformed input on the link routes', async () => {
    const { token } = await invite('Mala Formed');
    await api(`/activation/${token}`);
    const bodies = ['not json', '{}', '[]', 'null', JSON.stringify({ password: 1, code: 2 }), JSON.stringify({ password: 'x'.repeat(10_000), code: '123456' }), JSON.stringify({ password: PASSWORD, code: 'abc' }), JSON.stringify({ password: PASSWORD, code: '1234567' }), JSON.stringify({ password: '\u0000🙂'.repeat(20), code: '\u0000' })];
    for (const path of [`/activation/${token}`, `/password-reset/${token}`, '/auth/password-reset']) {
      for (const body of bodies) {
        const res = await api(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
        expect(res.status, `${path} ${body.slice(0, 40)}`).toBeLessThan(500);
      }
    }
    const form = await t.app.request(`/activate/${token}`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'password=%00&password2=%00&code=abc' });
    expect(form.status).toBe(400);
    const multipart = new FormData();
    multipart.append('password', new Blob(['x']), 'file.txt');
    expect((await t.app.request(`/activate/${token}`, { method: 'POST', body: multipart })).status).toBeLessThan(500);
    expect((await api(`/activation/${token}`)).status).toBe(200);
  });

  it('keeps no secret in plain text: not the TOTP key, a link or session token, nor a password', async () => {
    const { token } = await invite('Sanne Secret');
    const { res, secret } = await activate(token);
    expect(res.status).toBe(204);
    t.clock.advance(30_000);
    const login = await (await api('/auth/login', jsonRequest('POST', { organisation: 'PO2507', username: 's.secret', password: PASSWORD, code: await totpCode(secret, t.clock.now()) }))).json();
    expect(login.token).toBeTruthy();
    const { token: pending } = await invite('Piet Pending');
    const pendingSecret = (await (await api(`/activation/${pending}`)).json()).totp.secret as string;

    const tables = ['users', 'sessions', 'one_time_tokens', 'mail_outbox', 'audit_log', 'rate_limits'];
    const dump: string[] = [];
    for (const table of tables) {
      const result = await t.db.execute(sql.raw(`select row_to_json(x)::text as j from ${table} x`));
      const rows = (Array.isArray(result) ? result : (result as { rows: unknown[] }).rows) as { j: string }[];
      dump.push(...rows.map((r) => r.j));
    }
    const everything = dump.join('\n');
    expect(everything).toContain('s.secret'); // the dump is real
    for (const plain of [secret, secret.toLowerCase(), pendingSecret, token, pending, login.token, PASSWORD]) expect(everything).not.toContain(plain);
    expect(everything).toMatch(/\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    const outbox = dump.filter((j) => j.includes('"template"'));
    expect(outbox.length).toBeGreaterThan(0);
    for (const row of outbox) expect(JSON.parse(row).body_enc).toMatch(/^v1\.[\w-]+\.[\w-]+\.[\w-]+$/);
    expect(everything).not.toContain('/activate/');
  });
});
