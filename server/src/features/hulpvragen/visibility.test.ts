import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, jsonRequest, type TestContext } from '../../../test/app.ts';
import { addAttachment, createWorld, type World } from '../../../test/world.ts';

let t: TestContext;
let w: World;

describe('hulpvragen: zichtbaar voor ouders and Status informatie', () => {
  beforeAll(async () => {
    t = await createTestApp();
    w = await createWorld(t.db, t.env, t.clock.now());
  });
  afterAll(() => t.close());

  it('a hulpvraag is shared by default; switched off, the parent no longer sees it or its files', async () => {
    const d = w.dossiers.own.id;
    const h = await (await t.app.request(`/api/v1/dossiers/${d}/hulpvragen`, w.as('school', jsonRequest('POST', { title: 'Intern overleg' })))).json();
    expect(h.visibleToParents).toBe(true);
    const file = await addAttachment(t.db, w.asAuthUser(w.users.school), h.id);
    expect((await t.app.request(`/api/v1/hulpvragen/${h.id}`, w.as('parent'))).status).toBe(200);
    await t.app.request(`/api/v1/hulpvragen/${h.id}`, w.as('school', jsonRequest('PATCH', { visibleToParents: false })));
    expect((await t.app.request(`/api/v1/hulpvragen/${h.id}`, w.as('parent'))).status).toBe(404);
    expect((await t.app.request(`/api/v1/attachments/${file.id}/content`, w.as('parent'))).status).toBe(404);
    const list = await (await t.app.request(`/api/v1/dossiers/${d}/hulpvragen`, w.as('parent'))).json();
    expect(list.items.map((i: { id: string }) => i.id)).not.toContain(h.id);
    const staffList = await (await t.app.request(`/api/v1/dossiers/${d}/hulpvragen`, w.as('school'))).json();
    expect(staffList.items.find((i: { id: string }) => i.id === h.id)).toMatchObject({ visibleToParents: false });
  });

  it('Status informatie: who, when, from → to and the note, written with the change', async () => {
    const h = w.hulpvraag.own;
    t.clock.set(new Date('2025-06-01T10:00:00Z'));
    await t.app.request(`/api/v1/hulpvragen/${h}`, w.as('coordinator', jsonRequest('PATCH', { status: 'in behandeling', statusNote: 'Observatie gepland.' })));
    const res = await t.app.request(`/api/v1/hulpvragen/${h}/status-history`, w.as('school'));
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual([
      { at: '2025-06-01T10:00:00.000Z', by: { id: w.users.coordinator.id, displayName: w.users.coordinator.displayName }, from: 'aanmelding', to: 'in behandeling', note: 'Observatie gepland.', kind: 'status', automatic: false, rule: null },
    ]);
    expect((await t.app.request(`/api/v1/hulpvragen/${h}/status-history`, w.as('parent'))).status).toBe(403);
    // The panel's Hulpvragen list: across dossiers, filtered by status, only what the caller may see.
    const list = await (await t.app.request('/api/v1/hulpvragen?status=in%20behandeling', w.as('school'))).json();
    expect(list.items).toEqual([expect.objectContaining({ id: h, status: 'in behandeling', dossier: { id: w.dossiers.own.id, firstName: 'Sam', lastName: 'Eigen' } })]);
    expect((await (await t.app.request('/api/v1/hulpvragen?pageSize=100', w.as('school'))).json()).items.every((i: { dossier: { id: string } }) => [w.dossiers.own.id, w.dossiers.otherChild.id].includes(i.dossier.id))).toBe(true);
    // A failing change writes no history.
    await t.app.request(`/api/v1/hulpvragen/${h}`, w.as('coordinator', jsonRequest('PATCH', { status: 'advies', coordinatorId: w.users.school.id })));
    expect(await (await t.app.request(`/api/v1/hulpvragen/${h}/status-history`, w.as('school'))).json()).toHaveLength(1);
  });
});
