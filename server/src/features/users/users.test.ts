import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, jsonRequest, bearer, type TestContext } from '../../../test/app.ts';
import { linkStaffSchool, makeDossier, makeOrganisation, makeSchool, makeUser, signIn } from '../../../test/fixtures.ts';
import { guardians, staffSchools, users } from '../../db/schema/index.ts';
import { usernameBase } from './usernames.ts';

describe('staff user routes', () => {
  let t: TestContext;
  const token: Record<string, string> = {};
  let ids: Record<string, string> = {};

  beforeAll(async () => {
    t = await createTestApp();
    const org = await makeOrganisation(t.db, 'PO2507', 'Stromenland');
    const other = await makeOrganisation(t.db, 'PO9999', 'Elders');
    const schoolA = await makeSchool(t.db, org.id, { brin: '12AB00' });
    const schoolB = await makeSchool(t.db, org.id, { brin: '34CD00' });
    const dossierA = await makeDossier(t.db, org.id, schoolA.id);
    const dossierB = await makeDossier(t.db, org.id, schoolB.id);
    const otherSchool = await makeSchool(t.db, other.id);
    const otherDossier = await makeDossier(t.db, other.id, otherSchool.id);
    const people = {
      admin: await makeUser(t.db, org.id, 'admin'),
      coordinator: await makeUser(t.db, org.id, 'coordinator'),
      school: await makeUser(t.db, org.id, 'school'),
      parent: await makeUser(t.db, org.id, 'parent'),
      otherAdmin: await makeUser(t.db, other.id, 'admin'),
    };
    await linkStaffSchool(t.db, people.school.id, schoolA.id);
    for (const [name, user] of Object.entries(people)) token[name] = await signIn(t.db, user.id, t.clock.now(), t.env);
    ids = { dossierA: dossierA.id, dossierB: dossierB.id, otherDossier: otherDossier.id, admin: people.admin.id, parent: people.parent.id, coordinator: people.coordinator.id };
  });
  afterAll(() => t.close());

  const invite = (who: string, body: Record<string, unknown>) =>
    t.app.request('/api/v1/users', jsonRequest('POST', { email: 'x@example.org', displayName: 'Iemand Anders', ...body }, bearer(token[who]!)));

  it('lets school staff invite only parents, and only for dossiers of their own schools', async () => {
    const ok = await invite('school', { role: 'parent', displayName: 'Ouder Een', dossierIds: [ids.dossierA] });
    expect(ok.status).toBe(201);
    const { id } = await ok.json();
    expect(await t.db.select().from(guardians).where(eq(guardians.userId, id))).toEqual([expect.objectContaining({ dossierId: ids.dossierA })]);
    expect((await invite('school', { role: 'parent', dossierIds: [ids.dossierB] })).status).toBe(404);
    expect((await invite('school', { role: 'parent', dossierIds: [ids.dossierA, ids.dossierB] })).status).toBe(404);
    expect((await invite('school', { role: 'parent' })).status).toBe(400);
    expect((await invite('school', { role: 'school', schoolBrins: ['12AB00'] })).status).toBe(403);
    expect((await invite('school', { role: 'admin' })).status).toBe(403);
  });

  it('lets admins invite any role within the organisation; coordinators manage no accounts', async () => {
    const staff = await invite('admin', { role: 'school', displayName: 'Ib Intern', schoolBrins: ['12ab00', '34CD00'] });
    expect(staff.status).toBe(201);
    expect(await t.db.select().from(staffSchools).where(eq(staffSchools.userId, (await staff.json()).id))).toHaveLength(2);
    expect((await invite('admin', { role: 'parent', dossierIds: [ids.dossierB] })).status).toBe(201);
    for (const role of ['parent', 'school', 'coordinator', 'admin']) expect((await invite('coordinator', { role, dossierIds: role === 'parent' ? [ids.dossierB] : undefined })).status).toBe(403);
    expect((await invite('admin', { role: 'admin', displayName: 'Nieuwe Beheerder' })).status).toBe(201);
    expect((await invite('admin', { role: 'school', schoolBrins: ['99ZZ00'] })).status).toBe(404);
    expect((await invite('otherAdmin', { role: 'parent', dossierIds: [ids.dossierA] })).status).toBe(404);
  });

  it('forbids parents, and validates the body', async () => {
    expect((await invite('parent', { role: 'parent' })).status).toBe(403);
    expect((await t.app.request('/api/v1/users', { headers: bearer(token.parent!) })).status).toBe(403);
    expect((await t.app.request('/api/v1/users')).status).toBe(401);
    for (const body of [{ role: 'parent', email: 'geen-adres' }, { role: 'baas' }, { role: 'admin', displayName: '' }, { role: 'admin', displayName: 'a\u0000b' }, { role: 'admin', dossierIds: 'x' }, { role: 'admin', displayName: 'Anna https://evil.example/login' }, { role: 'admin', displayName: 'anna@evil.example' }, { role: 'admin', displayName: 'A'.repeat(81) }]) {
      const res = await invite('admin', body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect((await res.json()).code).toBe('validation_failed');
    }
  });

  it('generates readable usernames, unique within the organisation', async () => {
    const names = [];
    for (let i = 0; i < 3; i++) names.push((await (await invite('admin', { role: 'coordinator', displayName: 'Jan de Vries' })).json()).username);
    expect(names).toEqual(['j.devries', 'j.devries2', 'j.devries3']);
    expect(usernameBase('Émile Zola')).toBe('e.zola');
    expect(usernameBase("Anne-Fleur 't Hart")).toBe('a.fleurthart');
    expect(usernameBase('Mohammed')).toBe('mohammed');
    expect(usernameBase('李 小龙')).toBe('gebruiker');
  });

  it('lists only the accounts a staff member may manage, with filters', async () => {
    const forSchool = await (await t.app.request('/api/v1/users?pageSize=100', { headers: bearer(token.school!) })).json();
    expect(forSchool.items.map((u: { displayName: string }) => u.displayName)).toEqual(['Ouder Een']);
    const forAdmin = await (await t.app.request('/api/v1/users?role=coordinator&q=vries&pageSize=100', { headers: bearer(token.admin!) })).json();
    expect(forAdmin.total).toBe(3);
    expect(forAdmin.items[0]).toEqual({ id: expect.any(String), username: expect.stringMatching(/^j\.devries/), displayName: 'Jan de Vries', email: 'x@example.org', role: 'coordinator', status: 'invited', lastLoginAt: null });
    const forCoordinator = await (await t.app.request('/api/v1/users?role=admin', { headers: bearer(token.coordinator!) })).json();
    expect(forCoordinator.total).toBe(0);
    expect((await t.app.request('/api/v1/users?q=%25_%5C', { headers: bearer(token.admin!) })).status).toBe(200);
  });

  it('deactivates (ending every session at once) and reactivates; never yourself, never another organisation', async () => {
    const parentToken = await signIn(t.db, ids.parent!, t.clock.now(), t.env);
    const act = (who: string, id: string, action: string) => t.app.request(`/api/v1/users/${id}/${action}`, { method: 'POST', headers: bearer(token[who]!) });
    expect((await act('otherAdmin', ids.parent!, 'deactivate')).status).toBe(404);
    expect((await act('school', ids.parent!, 'deactivate')).status).toBe(404); // not a guardian of their school's dossier
    expect((await act('admin', ids.admin!, 'deactivate')).status).toBe(409);
    expect((await act('admin', 'abc', 'deactivate')).status).toBe(404);
    expect((await act('admin', ids.parent!, 'deactivate')).status).toBe(204);
    expect((await t.app.request('/api/v1/me', { headers: bearer(parentToken) })).status).toBe(401);
    expect((await t.db.select().from(users).where(eq(users.id, ids.parent!)))[0]!.status).toBe('deactivated');
    expect((await act('admin', ids.parent!, 'reset-2fa')).status).toBe(409);
    expect((await act('admin', ids.parent!, 'reactivate')).status).toBe(204);
    expect((await t.db.select().from(users).where(eq(users.id, ids.parent!)))[0]!.status).toBe('invited'); // no password yet: back to invited
    expect((await act('coordinator', ids.admin!, 'deactivate')).status).toBe(403);
    expect((await act('coordinator', ids.parent!, 'deactivate')).status).toBe(403);
  });
});
