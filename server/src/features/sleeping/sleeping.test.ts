import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createTestApp, jsonRequest, testEnv, withBearer, type TestContext } from '../../../test/app.ts';
import { makeLoginUser, userRow } from '../../../test/accounts.ts';
import { createTestDatabase } from '../../../test/db.ts';
import { linkGuardian, linkStaffSchool, makeDossier, makeOrganisation, makeSchool, makeUser, signIn } from '../../../test/fixtures.ts';
import { startTestSmtp, type TestSmtp } from '../../../test/smtp.ts';
import { auditLog, jobRuns, mailOutbox, sleepingSettings } from '../../db/schema/index.ts';
import { silentLogger } from '../../lib/logger.ts';
import { createMailer } from '../../mail/mailer.ts';
import type { Mailer } from '../../mail/types.ts';
import { runSleepingJob } from './job.ts';

const DAY = 86_400_000;
const longAgo = new Date('2023-03-01T10:00:00Z');

describe('slapende accounts: list, bulk deactivation, setting (API)', () => {
  let t: TestContext;
  let org: Awaited<ReturnType<typeof makeOrganisation>>;
  let adminToken: string;
  let schoolToken: string;
  let coordinatorToken: string;
  let schoolBrin: string;
  const ids = {} as Record<'parentOld' | 'parentNever' | 'parentOtherSchool' | 'coordinatorOld' | 'parentRecent' | 'parentFresh' | 'deactivated' | 'otherOrg', string>;

  beforeAll(async () => {
    t = await createTestApp();
    // The test clock starts on 2026-01-15 09:00 UTC.
    org = await makeOrganisation(t.db);
    const other = await makeOrganisation(t.db);
    const school = await makeSchool(t.db, org.id);
    const otherSchool = await makeSchool(t.db, org.id);
    schoolBrin = school.brin;
    const dossier = await makeDossier(t.db, org.id, school.id);
    const otherDossier = await makeDossier(t.db, org.id, otherSchool.id);
    const admin = await makeUser(t.db, org.id, 'admin', { lastLoginAt: new Date('2026-01-15T08:00:00Z') });
    const staff = await makeUser(t.db, org.id, 'school', { lastLoginAt: new Date('2026-01-10T08:00:00Z') });
    await linkStaffSchool(t.db, staff.id, school.id);
    const coordinator = await makeUser(t.db, org.id, 'coordinator', { lastLoginAt: new Date('2026-01-14T08:00:00Z') });
    adminToken = await signIn(t.db, admin.id, t.clock.now(), t.env);
    schoolToken = await signIn(t.db, staff.id, t.clock.now(), t.env);
    coordinatorToken = await signIn(t.db, coordinator.id, t.clock.now(), t.env);

    // Sleeping: a parent who last logged in 13 months ago; a parent invited 3 years ago who never logged in; a coordinator 2 years ago.
    ids.parentOld = (await makeUser(t.db, org.id, 'parent', { lastLoginAt: new Date('2024-12-10T09:00:00Z'), displayName: 'Ouder Oud' })).id;
    ids.parentNever = (await makeUser(t.db, org.id, 'parent', { status: 'invited', createdAt: longAgo, displayName: 'Ouder Nooit' })).id;
    ids.parentOtherSchool = (await makeUser(t.db, org.id, 'parent', { lastLoginAt: new Date('2024-06-01T09:00:00Z'), displayName: 'Ouder Anderschool' })).id;
    ids.coordinatorOld = (await makeUser(t.db, org.id, 'coordinator', { lastLoginAt: new Date('2024-01-05T09:00:00Z') })).id;
    await linkGuardian(t.db, dossier.id, ids.parentOld);
    await linkGuardian(t.db, dossier.id, ids.parentNever);
    await linkGuardian(t.db, otherDossier.id, ids.parentOtherSchool);
    // Awake, or not counted: a login 11 months ago, a fresh invitation, an old deactivated account, another organisation's sleeper.
    ids.parentRecent = (await makeUser(t.db, org.id, 'parent', { lastLoginAt: new Date('2025-02-20T09:00:00Z') })).id;
    ids.parentFresh = (await makeUser(t.db, org.id, 'parent', { status: 'invited', createdAt: new Date('2026-01-01T09:00:00Z') })).id;
    ids.deactivated = (await makeUser(t.db, org.id, 'parent', { status: 'deactivated', createdAt: longAgo })).id;
    ids.otherOrg = (await makeUser(t.db, other.id, 'parent', { createdAt: longAgo })).id;
  });
  afterAll(() => t.close());

  const api = (path: string, init: RequestInit = {}, token = adminToken) => t.app.request(`/api/v1${path}`, withBearer(token, init));
  const listIds = async (query = '', token = adminToken) => {
    const res = await api(`/sleeping-accounts${query}`, {}, token);
    expect(res.status).toBe(200);
    return res.json();
  };

  it('lists the accounts without a login for 12 months (never logged in: since the invitation), longest asleep first', async () => {
    const page = await listIds();
    expect(page.months).toBe(12);
    expect(page.items.map((u: { id: string }) => u.id)).toEqual([ids.parentNever, ids.coordinatorOld, ids.parentOtherSchool, ids.parentOld]);
    expect(page.total).toBe(4);
    const never = page.items[0];
    expect(never).toMatchObject({ lastLoginAt: null, inactiveSince: longAgo.toISOString(), status: 'invited', warnedAt: null, deactivateAt: null });
    const [entry] = await t.db.select().from(auditLog).where(eq(auditLog.action, 'sleeping_accounts.list'));
    expect(entry?.detail).toMatchObject({ total: 4, months: 12 });
  });

  it('pages, and filters by role and school like the Accounts screen', async () => {
    const first = await listIds('?pageSize=2&page=2');
    expect(first.items.map((u: { id: string }) => u.id)).toEqual([ids.parentOtherSchool, ids.parentOld]);
    expect(first.total).toBe(4);
    expect((await listIds('?role=coordinator')).items.map((u: { id: string }) => u.id)).toEqual([ids.coordinatorOld]);
    expect((await listIds(`?school=${schoolBrin.toLowerCase()}`)).items.map((u: { id: string }) => u.id)).toEqual([ids.parentNever, ids.parentOld]);
    expect((await api('/sleeping-accounts?role=baas')).status).toBe(400);
  });

  it("school staff see only their schools' sleeping parents; coordinators see them but deactivate none", async () => {
    expect((await listIds('', schoolToken)).items.map((u: { id: string }) => u.id)).toEqual([ids.parentNever, ids.parentOld]);
    expect((await listIds('', coordinatorToken)).total).toBe(4);
    const res = await api('/sleeping-accounts/deactivate', jsonRequest('POST', { all: true }), coordinatorToken);
    expect(res.status).toBe(403);
  });

  it('the setting: admins only, off and 12 months until set, 1–120 months, audited', async () => {
    expect(await (await api('/sleeping-accounts/settings')).json()).toEqual({ enabled: false, months: 12 });
    expect((await api('/sleeping-accounts/settings', {}, schoolToken)).status).toBe(403);
    for (const bad of [{ enabled: true, months: 0 }, { enabled: true, months: 121 }, { enabled: 'ja', months: 12 }, { months: 12 }]) {
      expect((await api('/sleeping-accounts/settings', jsonRequest('PUT', bad))).status).toBe(400);
    }
    const res = await api('/sleeping-accounts/settings', jsonRequest('PUT', { enabled: false, months: 24 }));
    expect(await res.json()).toEqual({ enabled: false, months: 24 });
    // With 24 months, only those asleep for two years are listed.
    expect((await listIds()).items.map((u: { id: string }) => u.id)).toEqual([ids.parentNever, ids.coordinatorOld]);
    await api('/sleeping-accounts/settings', jsonRequest('PUT', { enabled: false, months: 12 }));
    const audits = await t.db.select().from(auditLog).where(eq(auditLog.action, 'sleeping_settings.update'));
    expect(audits[0]?.detail).toMatchObject({ before: { enabled: false, months: 12 }, after: { enabled: false, months: 24 } });
  });

  it('refuses bad bodies and ids that are not yours, changing nothing', async () => {
    for (const bad of [{}, { ids: [], all: true }, { ids: [ids.parentOld], all: true }, { all: false }, { ids: ['nope'] }]) {
      const res = await api('/sleeping-accounts/deactivate', jsonRequest('POST', bad));
      expect([JSON.stringify(bad), res.status]).toEqual([JSON.stringify(bad), 400]);
    }
    // School staff: a parent of another school is not theirs → 404, and the listed sleeper of their own school stays active too.
    const res = await api('/sleeping-accounts/deactivate', jsonRequest('POST', { ids: [ids.parentOld, ids.parentOtherSchool] }), schoolToken);
    expect(res.status).toBe(404);
    expect((await api('/sleeping-accounts/deactivate', jsonRequest('POST', { ids: [ids.otherOrg] }))).status).toBe(404);
    expect((await userRow(t.db, ids.parentOld)).status).toBe('active');
    expect((await userRow(t.db, ids.otherOrg)).status).toBe('active');
  });

  it('deactivates the listed ids in one step: sessions end, each audited; an awake account is skipped', async () => {
    const sleeperSession = await signIn(t.db, ids.parentOld, t.clock.now(), t.env);
    expect((await api('/me', {}, sleeperSession)).status).toBe(200);
    const res = await api('/sleeping-accounts/deactivate', jsonRequest('POST', { ids: [ids.parentOld, ids.parentRecent] }), adminToken);
    expect(await res.json()).toEqual({ deactivated: 1, skipped: 1 });
    expect((await userRow(t.db, ids.parentOld)).status).toBe('deactivated');
    expect((await userRow(t.db, ids.parentRecent)).status).toBe('active');
    expect((await api('/me', {}, sleeperSession)).status).toBe(401);
    const [entry] = await t.db.select().from(auditLog).where(and(eq(auditLog.action, 'user.deactivate'), eq(auditLog.subjectId, ids.parentOld)));
    expect(entry).toMatchObject({ outcome: 'success', actorRole: 'admin', detail: expect.objectContaining({ reason: 'sleeping', bulk: 'ids' }) });
  });

  it('"all sleeping as of now": every sleeping account the caller manages, never their own, in one transaction', async () => {
    // The admin slept too (as far as the data says): still not deactivated by their own hand.
    const res = await api('/sleeping-accounts/deactivate', jsonRequest('POST', { all: true }));
    expect(await res.json()).toEqual({ deactivated: 3, skipped: 0 });
    for (const id of [ids.parentNever, ids.parentOtherSchool, ids.coordinatorOld]) expect((await userRow(t.db, id)).status).toBe('deactivated');
    for (const id of [ids.parentRecent, ids.parentFresh, ids.otherOrg]) expect((await userRow(t.db, id)).status).not.toBe('deactivated');
    expect((await listIds()).total).toBe(0);
  });
});

describe('slapende accounts: the daily job, with the test clock and a real SMTP server', () => {
  let t: TestContext;
  let smtp: TestSmtp;
  let mailer: Mailer;
  let orgA: Awaited<ReturnType<typeof makeOrganisation>>;
  let orgB: Awaited<ReturnType<typeof makeOrganisation>>;
  const u = {} as Record<'sleeper' | 'keeper' | 'invited' | 'awake' | 'admin' | 'otherOrg', { id: string; email: string }>;
  let keeper: Awaited<ReturnType<typeof makeLoginUser>>;
  let sleeperSession: string;

  beforeAll(async () => {
    smtp = await startTestSmtp();
    const database = await createTestDatabase();
    const env = testEnv({ SMTP_URL: smtp.url });
    let clockOf: () => Date = () => new Date();
    mailer = createMailer({ db: database.db, env, logger: silentLogger, clock: { now: () => clockOf() } });
    t = await createTestApp({ database, mailer, env: { SMTP_URL: smtp.url } });
    clockOf = () => t.clock.now();
    orgA = await makeOrganisation(t.db, 'PO2507', 'Stromenland');
    orgB = await makeOrganisation(t.db);
    // Now: 2026-01-15 09:00 UTC. 12 months after 2025-01-18 is within the coming week.
    const soon = new Date('2025-01-18T09:00:00Z');
    u.sleeper = await makeUser(t.db, orgA.id, 'parent', { lastLoginAt: soon, displayName: 'Slaper Een' });
    keeper = await makeLoginUser(t.db, t.env.APP_SECRET, orgA.id, 'parent', { lastLoginAt: soon, displayName: 'Blijver Twee' });
    u.keeper = keeper.user;
    u.invited = await makeUser(t.db, orgA.id, 'school', { status: 'invited', createdAt: longAgo, displayName: 'Nooit Actief' });
    u.awake = await makeUser(t.db, orgA.id, 'parent', { lastLoginAt: new Date('2025-12-01T09:00:00Z') });
    // The organisation's only admin sleeps too: warned, but never deactivated by the job.
    u.admin = await makeUser(t.db, orgA.id, 'admin', { lastLoginAt: longAgo });
    // Organisation B sleeps deeply, but has not turned the job on.
    u.otherOrg = await makeUser(t.db, orgB.id, 'parent', { createdAt: longAgo });
    sleeperSession = await signIn(t.db, u.sleeper.id, t.clock.now(), t.env);
    await t.db.insert(sleepingSettings).values({ organisationId: orgA.id, enabled: true, months: 12 });
    await t.db.insert(sleepingSettings).values({ organisationId: orgB.id, enabled: false, months: 1 });
  });
  afterAll(async () => {
    await mailer.close();
    await smtp.close();
    await t.close();
  });

  const run = async () => {
    const runs = await runSleepingJob(t.db, { now: t.clock.now(), appSecret: t.env.APP_SECRET });
    await mailer.flush();
    return runs;
  };
  const mailsTo = (email: string) => smtp.mails.filter((m) => m.to.includes(email));
  const status = async (id: string) => (await userRow(t.db, id)).status;

  it('mails each account a week before: Dutch first, then English, "log in before <date>"', async () => {
    const runs = await run();
    expect(runs).toEqual([{ organisationId: orgA.id, ran: true, warned: 4, deactivated: 0 }]);
    const mail = await smtp.waitFor((m) => m.to.includes(u.sleeper!.email));
    // Due on 18 January, but never sooner than a whole week after the warning: the day after 22 January.
    expect(mail.subject).toBe('Log in vóór 23 januari 2026 om uw account te houden / Log in to keep your account');
    expect(mail.text).toContain('Log in vóór 23 januari 2026 om uw account te houden.');
    expect(mail.text).toContain('Log in before 23 January 2026 to keep your account.');
    expect(mail.text.indexOf('Log in vóór')).toBeLessThan(mail.text.indexOf('— English —'));
    expect(mail.text).toContain('PO2507 Stromenland');
    // Never activated: the words say so. An account that slept long before the job was on gets its full week too.
    const invitedMail = await smtp.waitFor((m) => m.to.includes(u.invited!.email));
    expect(invitedMail.subject).toBe('Activeer uw account vóór 23 januari 2026 / Activate your account');
    expect(mailsTo(u.awake!.email)).toEqual([]);
    expect(mailsTo(u.otherOrg!.email)).toEqual([]);
  });

  it('runs once a day, also with several processes at once: the warning is mailed once, not twice', async () => {
    const [a, b] = await Promise.all([runSleepingJob(t.db, { now: t.clock.now(), appSecret: t.env.APP_SECRET }), runSleepingJob(t.db, { now: t.clock.now(), appSecret: t.env.APP_SECRET })]);
    expect([...a!, ...b!].filter((r) => r.ran)).toEqual([]);
    t.clock.advance(DAY);
    const [c, d] = await Promise.all([runSleepingJob(t.db, { now: t.clock.now(), appSecret: t.env.APP_SECRET }), runSleepingJob(t.db, { now: t.clock.now(), appSecret: t.env.APP_SECRET })]);
    expect([...c!, ...d!].filter((r) => r.ran)).toEqual([{ organisationId: orgA.id, ran: true, warned: 0, deactivated: 0 }]);
    await mailer.flush();
    expect(mailsTo(u.sleeper!.email)).toHaveLength(1);
    expect(await t.db.select().from(jobRuns).where(eq(jobRuns.organisationId, orgA.id))).toHaveLength(2);
  });

  it('a login in between resets the clock', async () => {
    const res = await t.app.request('/api/v1/auth/login', jsonRequest('POST', { organisation: 'PO2507', username: keeper.user.username, password: keeper.password, code: await keeper.code(t.clock.now()) }));
    expect(res.status).toBe(200);
  });

  it('deactivates on the day the mail named: sessions end, audited; not the one who logged in, not the last admin, not another organisation', async () => {
    t.clock.set(new Date('2026-01-22T23:30:00Z'));
    expect(await run()).toEqual([{ organisationId: orgA.id, ran: true, warned: 0, deactivated: 0 }]);
    expect(await status(u.sleeper!.id)).toBe('active');
    t.clock.set(new Date('2026-01-23T00:30:00Z'));
    expect(await run()).toEqual([{ organisationId: orgA.id, ran: true, warned: 0, deactivated: 2 }]);
    expect(await status(u.sleeper!.id)).toBe('deactivated');
    expect((await t.app.request('/api/v1/me', { headers: bearer(sleeperSession) })).status).toBe(401);
    expect(await status(u.keeper!.id)).toBe('active');
    const [entry] = await t.db.select().from(auditLog).where(and(eq(auditLog.action, 'user.deactivate'), eq(auditLog.subjectId, u.sleeper!.id)));
    expect(entry).toMatchObject({ actorUserId: null, outcome: 'success', detail: expect.objectContaining({ reason: 'sleeping', months: 12 }) });
    expect(await status(u.invited!.id)).toBe('deactivated');
    expect(await status(u.admin!.id)).toBe('active');
    expect(await status(u.otherOrg!.id)).toBe('active');
    expect(await t.db.select().from(mailOutbox).where(eq(mailOutbox.organisationId, orgB.id))).toEqual([]);
    // One warning each, in all: nobody was mailed twice.
    for (const who of ['sleeper', 'keeper', 'invited', 'admin'] as const) expect([who, mailsTo(u[who].email).length]).toEqual([who, 1]);
  });

  it('the setting off: nothing at all', async () => {
    await t.db.update(sleepingSettings).set({ enabled: false }).where(eq(sleepingSettings.organisationId, orgA.id));
    const late = await makeUser(t.db, orgA.id, 'parent', { createdAt: longAgo });
    t.clock.advance(30 * DAY);
    expect(await run()).toEqual([]);
    expect(await status(late.id)).toBe('active');
    expect(mailsTo(late.email)).toEqual([]);
  });
});
