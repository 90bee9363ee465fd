import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, jsonRequest, type TestContext } from '../../../test/app.ts';
import { and, eq } from 'drizzle-orm';
import { auditLog, news } from '../../db/schema/index.ts';
import { createWorld, type World } from '../../../test/world.ts';

let t: TestContext;
let w: World;

describe('dossiers, news and schools', () => {
  beforeAll(async () => {
    t = await createTestApp();
    w = await createWorld(t.db, t.env, t.clock.now());
  });
  afterAll(() => t.close());

  it('GET /news: the organisation’s and general news, newest first, nothing of another organisation', async () => {
    const now = t.clock.now().getTime();
    await t.db.insert(news).values([
      { organisationId: w.orgA.id, title: 'Oud', body: 'a', publishedAt: new Date(now - 2 * 86_400_000) },
      { organisationId: null, title: 'Algemeen', body: 'b', publishedAt: new Date(now - 86_400_000) },
      { organisationId: w.orgB.id, title: 'Ander verband', body: 'c', publishedAt: new Date(now - 1000) },
      { organisationId: w.orgA.id, title: 'Toekomst', body: 'd', publishedAt: new Date(now + 86_400_000) },
    ]);
    const res = await t.app.request('/api/v1/news', w.as('parent'));
    expect(res.status).toBe(200);
    const items = await res.json();
    expect(items.map((n: { title: string; scope: string }) => [n.title, n.scope])).toEqual([['Algemeen', 'general'], ['Oud', 'organisation']]);
    expect(items[0]).toMatchObject({ id: expect.any(String), body: 'b', publishedAt: new Date(now - 86_400_000).toISOString() });
  });

  it('GET /dossiers: only visible dossiers, searchable, paginated', async () => {
    const parent = await (await t.app.request('/api/v1/dossiers', w.as('parent'))).json();
    expect(parent).toEqual({
      items: [{ id: w.dossiers.own.id, firstName: 'Sam', lastName: 'Eigen', birthDate: '2014-05-06', school: { brin: w.schoolA1.brin, name: w.schoolA1.name }, anonymised: false }],
      page: 1, pageSize: 20, total: 1,
    });
    const school = await (await t.app.request('/api/v1/dossiers', w.as('school'))).json();
    expect(school.items.map((d: { lastName: string }) => d.lastName)).toEqual(['Anderkind', 'Eigen']);
    const search = await (await t.app.request('/api/v1/dossiers?q=ANDER&pageSize=1&page=2', w.as('coordinator'))).json();
    expect(search).toMatchObject({ page: 2, pageSize: 1, total: 2, items: [{ lastName: 'Anderschool' }] });
    const wildcard = await (await t.app.request('/api/v1/dossiers?q=%25', w.as('admin'))).json();
    expect(wildcard.total).toBe(0);
    const bad = await t.app.request('/api/v1/dossiers?pageSize=101', w.as('admin'));
    expect(bad.status).toBe(400);
    expect((await bad.json()).code).toBe('validation_failed');
  });

  it('GET /dossiers/{id}: the dossier with its guardians, no-store', async () => {
    const res = await t.app.request(`/api/v1/dossiers/${w.dossiers.own.id}`, w.as('parent'));
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(await res.json()).toEqual({
      id: w.dossiers.own.id, firstName: 'Sam', lastName: 'Eigen', birthDate: '2014-05-06',
      school: { brin: w.schoolA1.brin, name: w.schoolA1.name }, schoolGroup: '', contactName: '', contactEmail: '',
      guardians: [{ id: w.users.parent.id, displayName: w.users.parent.displayName }], anonymised: false,
    });
  });

  it('GET /schools: by BRIN or name; school staff see their own schools only', async () => {
    const all = await (await t.app.request('/api/v1/schools', w.as('coordinator'))).json();
    expect(all.total).toBe(2);
    const byBrin = await (await t.app.request(`/api/v1/schools?q=${w.schoolA2.brin.toLowerCase()}`, w.as('admin'))).json();
    expect(byBrin.items).toEqual([{ brin: w.schoolA2.brin, name: w.schoolA2.name, city: 'Nijmegen' }]);
    const own = await (await t.app.request('/api/v1/schools', w.as('school'))).json();
    expect(own.items.map((s: { brin: string }) => s.brin)).toEqual([w.schoolA1.brin]);
  });

  it('POST and PATCH /dossiers: create at a school by BRIN, edit, move; bad input changes nothing', async () => {
    const created = await t.app.request('/api/v1/dossiers', w.as('school', jsonRequest('POST', { firstName: ' Ada ', lastName: 'Lovelace', birthDate: '2015-12-10', schoolBrin: w.schoolA1.brin })));
    expect(created.status).toBe(201);
    const dossier = await created.json();
    expect(dossier).toMatchObject({ firstName: 'Ada', lastName: 'Lovelace', birthDate: '2015-12-10', school: { brin: w.schoolA1.brin }, guardians: [] });

    const byCoordinator = await t.app.request(`/api/v1/dossiers/${dossier.id}`, w.as('coordinator', jsonRequest('PATCH', { lastName: 'Byron' })));
    expect(byCoordinator.status).toBe(403); // coordinators work on hulpvragen, not on dossiers
    const patched = await t.app.request(`/api/v1/dossiers/${dossier.id}`, w.as('admin', jsonRequest('PATCH', { lastName: 'Byron', schoolBrin: w.schoolA2.brin })));
    expect(patched.status).toBe(200);
    expect(await patched.json()).toMatchObject({ firstName: 'Ada', lastName: 'Byron', school: { brin: w.schoolA2.brin } });

    for (const body of [{ birthDate: '2015-13-40' }, {}, { schoolBrin: 'XXXX99' }, '{"firstName":']) {
      const res = await t.app.request(`/api/v1/dossiers/${dossier.id}`, w.as('admin', jsonRequest('PATCH', body)));
      expect(res.status).toBe(400);
      expect(res.headers.get('content-type')).toBe('application/problem+json');
    }
    const after = await (await t.app.request(`/api/v1/dossiers/${dossier.id}`, w.as('admin'))).json();
    expect(after).toMatchObject({ lastName: 'Byron', birthDate: '2015-12-10', school: { brin: w.schoolA2.brin } });
  });

  it('guardians: link a parent, unlink — effective on the very next request', async () => {
    const path = `/api/v1/dossiers/${w.dossiers.otherChild.id}`;
    expect((await t.app.request(path, w.as('unlinkedParent'))).status).toBe(404);
    const link = await t.app.request(`${path}/guardians`, w.as('school', jsonRequest('POST', { userId: w.users.unlinkedParent.id })));
    expect(link.status).toBe(204);
    expect((await t.app.request(path, w.as('unlinkedParent'))).status).toBe(200);
    const unlink = await t.app.request(`${path}/guardians/${w.users.unlinkedParent.id}`, w.as('school', { method: 'DELETE' }));
    expect(unlink.status).toBe(204);
    expect((await t.app.request(path, w.as('unlinkedParent'))).status).toBe(404);
    expect((await t.app.request(`${path}/guardians/${w.users.unlinkedParent.id}`, w.as('school', { method: 'DELETE' }))).status).toBe(404);
  });

  it('guardians: school staff link only a parent with no dossier elsewhere or already a guardian at their schools; otherwise 404 (and the parent does not become theirs)', async () => {
    const path = `/api/v1/dossiers/${w.dossiers.otherChild.id}/guardians`;
    for (const userId of [w.users.otherSchoolParent.id, w.users.parentB.id, '00000000-0000-4000-8000-000000000000']) {
      const res = await t.app.request(path, w.as('school', jsonRequest('POST', { userId })));
      expect([userId, res.status]).toEqual([userId, 404]);
      expect((await res.json()).code).toBe('not_found');
    }
    const [refusal] = await t.db.select().from(auditLog).where(and(eq(auditLog.action, 'guardian.link'), eq(auditLog.outcome, 'denied')));
    expect(refusal?.detail).toEqual({ userId: w.users.otherSchoolParent.id });
    const mine = await (await t.app.request('/api/v1/users?role=parent&pageSize=100', w.as('school'))).json();
    expect(mine.items.map((u: { id: string }) => u.id)).not.toContain(w.users.otherSchoolParent.id);
    expect((await t.app.request(`/api/v1/users/${w.users.otherSchoolParent.id}/deactivate`, w.as('school', { method: 'POST' }))).status).toBe(404);
    // Already a guardian at their school (of another child): allowed. Admins may link any parent of the organisation.
    expect((await t.app.request(path, w.as('school', jsonRequest('POST', { userId: w.users.parent.id })))).status).toBe(204);
    expect((await t.app.request(path, w.as('admin', jsonRequest('POST', { userId: w.users.otherSchoolParent.id })))).status).toBe(204);
    // Now that this parent is a guardian at the school, its staff may link them to another of its dossiers.
    expect((await t.app.request(`/api/v1/dossiers/${w.dossiers.own.id}/guardians`, w.as('school', jsonRequest('POST', { userId: w.users.otherSchoolParent.id })))).status).toBe(204);
    for (const [d, u] of [[w.dossiers.otherChild.id, w.users.parent.id], [w.dossiers.otherChild.id, w.users.otherSchoolParent.id], [w.dossiers.own.id, w.users.otherSchoolParent.id]] as const) {
      expect((await t.app.request(`/api/v1/dossiers/${d}/guardians/${u}`, w.as('admin', { method: 'DELETE' }))).status).toBe(204);
    }
  });

  it('guardians: only a parent of the same organisation can be linked', async () => {
    const path = `/api/v1/dossiers/${w.dossiers.own.id}/guardians`;
    for (const userId of [w.users.coordinator.id, w.users.coordinatorB.id, '00000000-0000-4000-8000-000000000000']) {
      const res = await t.app.request(path, w.as('admin', jsonRequest('POST', { userId })));
      expect(res.status).toBe(400);
      expect((await res.json()).code).toBe('validation_failed');
    }
    const dossier = await (await t.app.request(`/api/v1/dossiers/${w.dossiers.own.id}`, w.as('admin'))).json();
    expect(dossier.guardians.map((g: { id: string }) => g.id)).toEqual([w.users.parent.id]);
  });
});
