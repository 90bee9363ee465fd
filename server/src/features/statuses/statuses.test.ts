import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, jsonRequest, type TestContext } from '../../../test/app.ts';
import { makeOrganisation } from '../../../test/fixtures.ts';
import { auditLog, hulpvraagStatusHistory, hulpvragen } from '../../db/schema/index.ts';
import { createWorld, type World } from '../../../test/world.ts';
import { listStatuses } from './service.ts';

let t: TestContext;
let w: World;
const names = async (who: keyof World['tokens'] = 'admin') => ((await (await t.app.request('/api/v1/hulpvraag-statuses', w.as(who))).json()) as { name: string }[]).map((s) => s.name);

describe('hulpvraag statuses per organisation', () => {
  beforeAll(async () => {
    t = await createTestApp();
    w = await createWorld(t.db, t.env, t.clock.now());
  });
  afterAll(() => t.close());

  it('every new organisation starts with aanmelding, in behandeling, advies, afgerond (afgerond closes)', async () => {
    const org = await makeOrganisation(t.db);
    const list = await listStatuses(t.db, org.id);
    expect(list.map(({ name, position, closes }) => ({ name, position, closes }))).toEqual([
      { name: 'aanmelding', position: 1, closes: false },
      { name: 'in behandeling', position: 2, closes: false },
      { name: 'advies', position: 3, closes: false },
      { name: 'afgerond', position: 4, closes: true },
    ]);
  });

  it('GET: staff read their own organisation\'s list with usage counts; parents are refused', async () => {
    const res = await t.app.request('/api/v1/hulpvraag-statuses', w.as('school'));
    expect(res.status).toBe(200);
    const list = await res.json();
    const inOrgA = await t.db.select().from(hulpvragen).where(and(eq(hulpvragen.organisationId, w.orgA.id), eq(hulpvragen.status, 'aanmelding')));
    expect(inOrgA.length).toBeGreaterThan(0);
    expect(list[0]).toEqual({ id: expect.any(String), name: 'aanmelding', position: 1, closes: false, inUse: inOrgA.length });
    expect((await t.app.request('/api/v1/hulpvraag-statuses', w.as('parent'))).status).toBe(403);
    expect((await t.app.request('/api/v1/hulpvraag-statuses')).status).toBe(401);
  });

  it('POST: admins add a status at a place; duplicates and bad input are refused (400) and change nothing', async () => {
    const res = await t.app.request('/api/v1/hulpvraag-statuses', w.as('admin', jsonRequest('POST', { name: 'wacht op school', position: 2 })));
    expect(res.status).toBe(201);
    expect(await res.json()).toMatchObject({ name: 'wacht op school', position: 2, closes: false, inUse: 0 });
    expect(await names()).toEqual(['aanmelding', 'wacht op school', 'in behandeling', 'advies', 'afgerond']);
    for (const body of [{ name: 'advies' }, { name: '' }, { name: 'x'.repeat(51) }, { name: 'a\u0000b' }, { name: 'ok', position: 0 }]) {
      const refused = await t.app.request('/api/v1/hulpvraag-statuses', w.as('admin', jsonRequest('POST', body)));
      expect(refused.status, JSON.stringify(body)).toBe(400);
      expect((await refused.json()).code).toBe('validation_failed');
    }
    expect(await names()).toEqual(['aanmelding', 'wacht op school', 'in behandeling', 'advies', 'afgerond']);
    const [audit] = await t.db.select().from(auditLog).where(and(eq(auditLog.action, 'status.create'), eq(auditLog.subjectLabel, 'wacht op school')));
    expect(audit).toMatchObject({ actorUserId: w.users.admin.id, outcome: 'success' });
  });

  it('school staff and coordinators may not change the list (403, audited)', async () => {
    for (const who of ['school', 'coordinator', 'parent'] as const) {
      expect((await t.app.request('/api/v1/hulpvraag-statuses', w.as(who, jsonRequest('POST', { name: `van ${who}` })))).status).toBe(403);
    }
    expect(await names()).not.toContain('van school');
    const denied = await t.db.select().from(auditLog).where(and(eq(auditLog.actorUserId, w.users.coordinator.id), eq(auditLog.outcome, 'denied')));
    expect(denied.length).toBeGreaterThan(0);
  });

  it('PATCH: a rename follows through to the hulpvragen; moving renumbers the list; closes can be switched', async () => {
    const list = await (await t.app.request('/api/v1/hulpvraag-statuses', w.as('admin'))).json();
    const aanmelding = list.find((s: { name: string }) => s.name === 'aanmelding');
    const res = await t.app.request(`/api/v1/hulpvraag-statuses/${aanmelding.id}`, w.as('admin', jsonRequest('PATCH', { name: 'nieuw', position: 3, closes: false })));
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ name: 'nieuw', position: 3, inUse: aanmelding.inUse });
    expect(await names()).toEqual(['wacht op school', 'in behandeling', 'nieuw', 'advies', 'afgerond']);
    const [h] = await t.db.select().from(hulpvragen).where(eq(hulpvragen.id, w.hulpvraag.own));
    expect(h!.status).toBe('nieuw');
    // Another organisation's hulpvraag with "aanmelding" is untouched.
    const [other] = await t.db.select().from(hulpvragen).where(eq(hulpvragen.id, w.hulpvraag.otherOrg));
    expect(other!.status).toBe('aanmelding');
    const clash = await t.app.request(`/api/v1/hulpvraag-statuses/${aanmelding.id}`, w.as('admin', jsonRequest('PATCH', { name: 'advies' })));
    expect(clash.status).toBe(400);
    // Put it back for the tests below.
    expect((await t.app.request(`/api/v1/hulpvraag-statuses/${aanmelding.id}`, w.as('admin', jsonRequest('PATCH', { name: 'aanmelding', position: 1 })))).status).toBe(200);
  });

  it("another organisation's status is not found (404), and its list is not shown", async () => {
    const otherOrgStatuses = await listStatuses(t.db, w.orgB.id);
    const res = await t.app.request(`/api/v1/hulpvraag-statuses/${otherOrgStatuses[0]!.id}`, w.as('admin', jsonRequest('PATCH', { name: 'gekaapt' })));
    expect(res.status).toBe(404);
    expect((await t.app.request(`/api/v1/hulpvraag-statuses/${otherOrgStatuses[0]!.id}`, w.as('admin', { method: 'DELETE' }))).status).toBe(404);
    expect((await listStatuses(t.db, w.orgB.id))[0]!.name).toBe('aanmelding');
    expect((await t.app.request('/api/v1/hulpvraag-statuses/nope', w.as('admin', { method: 'DELETE' }))).status).toBe(404);
  });

  it('DELETE: a status in use is kept (409); an unused one goes and the list closes up', async () => {
    const list = await (await t.app.request('/api/v1/hulpvraag-statuses', w.as('admin'))).json();
    const used = list.find((s: { name: string }) => s.name === 'aanmelding');
    const conflict = await t.app.request(`/api/v1/hulpvraag-statuses/${used.id}`, w.as('admin', { method: 'DELETE' }));
    expect(conflict.status).toBe(409);
    const unused = list.find((s: { name: string }) => s.name === 'wacht op school');
    expect((await t.app.request(`/api/v1/hulpvraag-statuses/${unused.id}`, w.as('admin', { method: 'DELETE' }))).status).toBe(204);
    const after = await (await t.app.request('/api/v1/hulpvraag-statuses', w.as('admin'))).json();
    expect(after.map((s: { name: string; position: number }) => [s.name, s.position])).toEqual([['aanmelding', 1], ['in behandeling', 2], ['advies', 3], ['afgerond', 4]]);
  });

  it('a hulpvraag with a status the organisation does not have: 400 validation_failed, nothing changes', async () => {
    const created = await t.app.request(`/api/v1/dossiers/${w.dossiers.own.id}/hulpvragen`, w.as('school', jsonRequest('POST', { title: 'Onbekend', status: 'bestaat niet' })));
    expect(created.status).toBe(400);
    const problem = await created.json();
    expect(problem).toMatchObject({ code: 'validation_failed', errors: [{ path: 'status', message: 'unknown status' }] });
    expect(await t.db.select().from(hulpvragen).where(eq(hulpvragen.title, 'Onbekend'))).toEqual([]);

    const patched = await t.app.request(`/api/v1/hulpvragen/${w.hulpvraag.own}`, w.as('school', jsonRequest('PATCH', { status: 'bestaat niet', title: 'Nieuwe titel' })));
    expect(patched.status).toBe(400);
    expect((await patched.json()).code).toBe('validation_failed');
    const [h] = await t.db.select().from(hulpvragen).where(eq(hulpvragen.id, w.hulpvraag.own));
    expect(h).toMatchObject({ status: 'aanmelding', title: 'Hulpvraag own' });
    expect(await t.db.select().from(hulpvraagStatusHistory).where(and(eq(hulpvraagStatusHistory.hulpvraagId, w.hulpvraag.own), eq(hulpvraagStatusHistory.toStatus, 'bestaat niet')))).toEqual([]);
  });

  it("a new hulpvraag without a status gets the organisation's first status", async () => {
    const list = await (await t.app.request('/api/v1/hulpvraag-statuses', w.as('admin'))).json();
    const advies = list.find((s: { name: string }) => s.name === 'advies');
    await t.app.request(`/api/v1/hulpvraag-statuses/${advies.id}`, w.as('admin', jsonRequest('PATCH', { position: 1 })));
    const created = await (await t.app.request(`/api/v1/dossiers/${w.dossiers.own.id}/hulpvragen`, w.as('school', jsonRequest('POST', { title: 'Eerste status' })))).json();
    expect(created.status).toBe('advies');
    await t.app.request(`/api/v1/hulpvraag-statuses/${advies.id}`, w.as('admin', jsonRequest('PATCH', { position: 3 })));
  });
});
