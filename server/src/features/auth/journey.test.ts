import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, jsonRequest, bearer, testEnv, type TestContext } from '../../../test/app.ts';
import { createTestDatabase } from '../../../test/db.ts';
import { makeDossier, makeOrganisation, makeSchool, makeUser, signIn } from '../../../test/fixtures.ts';
import { linkIn, startTestSmtp, type TestSmtp } from '../../../test/smtp.ts';
import { auditLog, mailOutbox, users } from '../../db/schema/index.ts';
import { silentLogger } from '../../lib/logger.ts';
import { totpCode } from '../../lib/totp.ts';
import { createMailer } from '../../mail/mailer.ts';
import type { Mailer } from '../../mail/types.ts';

const PASSWORD = 'de kat krabt de krullen';
const NEW_PASSWORD = 'zeven zoete zeeuwse zeeuwen';

describe('the account journey, with a real SMTP server', () => {
  let t: TestContext;
  let smtp: TestSmtp;
  let mailer: Mailer;
  let adminToken: string;
  let org: Awaited<ReturnType<typeof makeOrganisation>>;
  let dossierId: string;
  let username: string;
  let secret: string;
  let activationToken: string;
  let sessionToken: string;

  beforeAll(async () => {
    smtp = await startTestSmtp();
    const database = await createTestDatabase();
    const env = testEnv({ SMTP_URL: smtp.url });
    let clockOf: () => Date = () => new Date();
    mailer = createMailer({ db: database.db, env, logger: silentLogger, clock: { now: () => clockOf() } });
    t = await createTestApp({ database, mailer, env: { SMTP_URL: smtp.url } });
    clockOf = () => t.clock.now();
    org = await makeOrganisation(t.db, 'PO2507', 'Stromenland');
    const school = await makeSchool(t.db, org.id);
    dossierId = (await makeDossier(t.db, org.id, school.id)).id;
    const admin = await makeUser(t.db, org.id, 'admin');
    adminToken = await signIn(t.db, admin.id, t.clock.now(), t.env);
  });
  afterAll(async () => {
    await mailer.close();
    await smtp.close();
    await t.close();
  });

  const api = (path: string, init?: RequestInit) => t.app.request(`/api/v1${path}`, init);
  const step = () => t.clock.advance(30_000);

  it('invites a parent: a generated username and the "Welkom, nieuwe gebruiker" mail with the link', async () => {
    const res = await api('/users', jsonRequest('POST', { role: 'parent', email: 'anna@example.org', displayName: 'Anna de Vries', dossierIds: [dossierId] }, bearer(adminToken)));
    expect(res.status).toBe(201);
    const body = await res.json();
    expect(body).toMatchObject({ username: 'a.devries', status: 'invited' });
    username = body.username;

    await mailer.flush();
    const mail = await smtp.waitFor((m) => m.to.includes('anna@example.org'));
    expect(mail.subject).toContain('Welkom, nieuwe gebruiker');
    expect(mail.text).toContain('Uw gebruikersnaam: a.devries');
    expect(mail.text).toContain('PO2507 Stromenland');
    expect(mail.text).toContain('English');
    expect(mail.html).toContain('a.devries');
    const link = linkIn(mail, '/activate/');
    expect(link.url.startsWith('http://kindkans.test/activate/')).toBe(true);
    expect(mail.html).toContain(link.url);
    activationToken = link.token;
  });

  it('shows the activation page: Dutch, no script, its own CSP, the key in groups of four', async () => {
    const res = await t.app.request(`/activate/${activationToken}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/html');
    expect(res.headers.get('content-security-policy')).toMatch(/default-src 'none'; style-src 'sha256-[^']+'; form-action 'self'/);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const page = await res.text();
    expect(page).toContain('<html lang="nl">');
    expect(page).not.toMatch(/<script/i);
    expect(page).toContain('a.devries');
    expect(page).toContain('Opslaan');
    expect(page).toContain('<svg');
    const grouped = /<p class="key">((?:[a-z2-7]{4} ){7}[a-z2-7]{4})<\/p>/.exec(page);
    expect(grouped).not.toBeNull();
    secret = grouped![1]!.replace(/ /g, '').toUpperCase();

    const api1 = await (await api(`/activation/${activationToken}`)).json();
    expect(api1).toMatchObject({ username: 'a.devries', organisation: { code: 'PO2507', name: 'Stromenland' } });
    expect(api1.totp.secret).toBe(secret);
    expect(api1.totp.secretGrouped).toBe(grouped![1]);
    expect(api1.totp.otpauthUri).toBe(`otpauth://totp/Kindkans:a.devries?secret=${secret}&issuer=Kindkans`);
    expect(api1.totp.qrSvg).toMatch(/^<svg/);
    const api2 = await (await api(`/activation/${activationToken}`)).json();
    expect(api2.totp.secret).toBe(secret);
  });

  it('re-renders the page with a clear error, keeping the code but never the passwords', async () => {
    const form = new URLSearchParams({ password: PASSWORD, password2: `${PASSWORD}!`, code: '123456' });
    const res = await t.app.request(`/activate/${activationToken}`, { method: 'POST', body: form, headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect(res.status).toBe(400);
    const page = await res.text();
    expect(page).toContain('De twee wachtwoorden zijn niet gelijk.');
    expect(page).toContain('value="123456"');
    expect(page).not.toContain(PASSWORD);

    const weak = new URLSearchParams({ password: 'wachtwoord1', password2: 'wachtwoord1', code: await totpCode(secret, t.clock.now()) });
    const res2 = await t.app.request(`/activate/${activationToken}`, { method: 'POST', body: weak, headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect(res2.status).toBe(400);
    expect(await res2.text()).toContain('veel gebruikt');
  });

  it('refuses weak passwords and wrong codes through the API, and the link stays usable', async () => {
    const weak = await api(`/activation/${activationToken}`, jsonRequest('POST', { password: 'a.devries', code: await totpCode(secret, t.clock.now()) }));
    expect(weak.status).toBe(400);
    expect((await weak.json()).code).toBe('weak_password');
    const wrong = await api(`/activation/${activationToken}`, jsonRequest('POST', { password: PASSWORD, code: '000000' }));
    expect(wrong.status).toBe(400);
    expect((await wrong.json()).code).toBe('invalid_code');
    expect((await api(`/activation/${activationToken}`)).status).toBe(200);
  });

  it('activates through the page form; the link is then used up (410)', async () => {
    const form = new URLSearchParams({ password: PASSWORD, password2: PASSWORD, code: await totpCode(secret, t.clock.now()) });
    const res = await t.app.request(`/activate/${activationToken}`, { method: 'POST', body: form, headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('Uw account is geactiveerd.');
    expect((await api(`/activation/${activationToken}`)).status).toBe(410);
    expect((await api(`/activation/${activationToken}`, jsonRequest('POST', { password: PASSWORD, code: '123456' }))).status).toBe(410);
    expect((await t.app.request(`/activate/${activationToken}`)).status).toBe(410);
  });

  it('logs in (username case-insensitive), then session, me and sessions answer', async () => {
    step();
    const res = await api('/auth/login', jsonRequest('POST', { organisation: 'po2507', username: 'A.DeVries', password: PASSWORD, code: await totpCode(secret, t.clock.now()) }, { 'user-agent': 'journey-test' }));
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(body.idleTimeoutSeconds).toBe(900);
    expect(new Date(body.expiresAt).getTime()).toBe(t.clock.now().getTime() + 8 * 3_600_000);
    expect(body.user).toEqual({ id: expect.any(String), username: 'a.devries', displayName: 'Anna de Vries', email: 'anna@example.org', role: 'parent', organisation: { code: 'PO2507', name: 'Stromenland' } });
    sessionToken = body.token;

    const session = await (await api('/auth/session', { headers: bearer(sessionToken) })).json();
    expect(session.user.username).toBe('a.devries');
    expect(session.idleExpiresAt).toBe(new Date(t.clock.now().getTime() + 15 * 60_000).toISOString());
    expect(await (await api('/me', { headers: bearer(sessionToken) })).json()).toEqual(body.user);
    const sessions = await (await api('/auth/sessions', { headers: bearer(sessionToken) })).json();
    expect(sessions).toEqual([{ id: expect.any(String), createdAt: expect.any(String), lastSeenAt: expect.any(String), userAgent: 'journey-test', current: true }]);
  });

  it('logs out: the token is dead from then on', async () => {
    const res = await api('/auth/logout', { method: 'POST', headers: bearer(sessionToken) });
    expect(res.status).toBe(204);
    for (const path of ['/me', '/auth/session', '/auth/sessions']) expect((await api(path, { headers: bearer(sessionToken) })).status).toBe(401);
    const actions = (await t.db.select({ action: auditLog.action, outcome: auditLog.outcome }).from(auditLog)).map((a) => `${a.action}:${a.outcome}`);
    expect(actions).toEqual(expect.arrayContaining(['user.invite:success', 'account.activate:success', 'auth.login:success', 'auth.logout:success']));
  });

  it('resets the password through the mailed link with a current code; every session ends', async () => {
    step();
    const login = await (await api('/auth/login', jsonRequest('POST', { organisation: 'PO2507', username, password: PASSWORD, code: await totpCode(secret, t.clock.now()) }))).json();
    const res = await api('/auth/password-reset', jsonRequest('POST', { organisation: 'PO2507', username: 'a.devries' }));
    expect(res.status).toBe(202);
    await t.background.settle();
    await mailer.flush();
    const mail = await smtp.waitFor((m) => m.to.includes('anna@example.org') && m.subject.includes('Nieuw wachtwoord'));
    const { token } = linkIn(mail, '/reset/');

    const page = await t.app.request(`/reset/${token}`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('Nieuw wachtwoord instellen');
    expect(await (await api(`/password-reset/${token}`)).json()).toEqual({ username: 'a.devries', organisation: { code: 'PO2507', name: 'Stromenland' } });

    const replayed = await api(`/password-reset/${token}`, jsonRequest('POST', { password: NEW_PASSWORD, code: await totpCode(secret, t.clock.now()) }));
    expect(replayed.status).toBe(400); // that code was just used to log in
    expect((await replayed.json()).code).toBe('invalid_code');
    step();
    const ok = await api(`/password-reset/${token}`, jsonRequest('POST', { password: NEW_PASSWORD, code: await totpCode(secret, t.clock.now()) }));
    expect(ok.status).toBe(204);
    expect((await api('/me', { headers: bearer(login.token) })).status).toBe(401);
    expect((await api(`/password-reset/${token}`)).status).toBe(410);
    step();
    const again = await api('/auth/login', jsonRequest('POST', { organisation: 'PO2507', username, password: NEW_PASSWORD, code: await totpCode(secret, t.clock.now()) }));
    expect(again.status).toBe(200);
  });

  it('answers 202 for an unknown account too, and sends nothing', async () => {
    const before = smtp.mails.length;
    const res = await api('/auth/password-reset', jsonRequest('POST', { organisation: 'PO2507', username: 'niemand' }));
    expect(res.status).toBe(202);
    expect(await res.text()).toBe('');
    await t.background.settle();
    await mailer.flush();
    expect(smtp.mails.length).toBe(before);
  });

  it('resend-invitation makes a new link and kills the old one', async () => {
    const res = await api('/users', jsonRequest('POST', { role: 'parent', email: 'bert@example.org', displayName: 'Bert de Vries', dossierIds: [dossierId] }, bearer(adminToken)));
    const { id, username: bert } = await res.json();
    expect(bert).toBe('b.devries');
    await mailer.flush();
    const first = linkIn(await smtp.waitFor((m) => m.to.includes('bert@example.org')), '/activate/');
    expect((await api(`/users/${id}/resend-invitation`, { method: 'POST', headers: bearer(adminToken) })).status).toBe(204);
    await mailer.flush();
    const second = linkIn(await smtp.waitFor((m) => m.to.includes('bert@example.org')), '/activate/');
    expect(second.token).not.toBe(first.token);
    expect((await api(`/activation/${first.token}`)).status).toBe(404);
    expect((await api(`/activation/${second.token}`)).status).toBe(200);
  });

  it('reset-2fa ends every session and mails a link to set up a new authenticator', async () => {
    step();
    const login = await (await api('/auth/login', jsonRequest('POST', { organisation: 'PO2507', username, password: NEW_PASSWORD, code: await totpCode(secret, t.clock.now()) }))).json();
    const [anna] = await t.db.select().from(users).where(and(eq(users.organisationId, org.id), eq(users.username, username)));
    expect((await api(`/users/${anna!.id}/reset-2fa`, { method: 'POST', headers: bearer(adminToken) })).status).toBe(204);
    expect((await api('/me', { headers: bearer(login.token) })).status).toBe(401);
    await mailer.flush();
    const mail = await smtp.waitFor((m) => m.to.includes('anna@example.org') && m.subject.includes('authenticator'));
    const { token } = linkIn(mail, '/activate/');
    const page = await (await t.app.request(`/activate/${token}`)).text();
    expect(page).toContain('Uw huidige wachtwoord');
    const info = await (await api(`/activation/${token}`)).json();
    const wrongPassword = await api(`/activation/${token}`, jsonRequest('POST', { password: 'niet mijn wachtwoord', code: await totpCode(info.totp.secret, t.clock.now()) }));
    expect(wrongPassword.status).toBe(401);
    expect((await t.db.select().from(users).where(eq(users.id, anna!.id)))[0]!.failedLogins).toBe(1); // counts like a failed login
    const ok = await api(`/activation/${token}`, jsonRequest('POST', { password: NEW_PASSWORD, code: await totpCode(info.totp.secret, t.clock.now()) }));
    expect(ok.status).toBe(204);
    step();
    const oldKey = await api('/auth/login', jsonRequest('POST', { organisation: 'PO2507', username, password: NEW_PASSWORD, code: await totpCode(secret, t.clock.now()) }));
    expect(oldKey.status).toBe(401);
    const newKey = await api('/auth/login', jsonRequest('POST', { organisation: 'PO2507', username, password: NEW_PASSWORD, code: await totpCode(info.totp.secret, t.clock.now()) }));
    expect(newKey.status).toBe(200);
  });

  it('keeps a mail the SMTP server refuses, with its error, and delivers it on a later attempt', async () => {
    smtp.failNext(1);
    await api('/users', jsonRequest('POST', { role: 'parent', email: 'carla@example.org', displayName: 'Carla Smit', dossierIds: [dossierId] }, bearer(adminToken)));
    await mailer.flush();
    const [pending] = await t.db.select().from(mailOutbox).where(eq(mailOutbox.toAddress, 'carla@example.org'));
    expect(pending).toMatchObject({ status: 'pending', attempts: 1 });
    expect(pending!.lastError).toMatch(/451/);
    expect(pending!.bodyEnc).toMatch(/^v1\./);
    expect(pending!.nextAttemptAt.getTime()).toBeGreaterThan(t.clock.now().getTime());
    await mailer.flush();
    expect(smtp.mails.some((m) => m.to.includes('carla@example.org'))).toBe(false); // not due yet
    t.clock.advance(60_000);
    await mailer.flush();
    await smtp.waitFor((m) => m.to.includes('carla@example.org'));
    const [sent] = await t.db.select().from(mailOutbox).where(eq(mailOutbox.toAddress, 'carla@example.org'));
    expect(sent).toMatchObject({ status: 'sent', attempts: 2, bodyEnc: null, lastError: null });
  });
});
