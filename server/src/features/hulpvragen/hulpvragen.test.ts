import { asc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, jsonRequest, type TestContext } from '../../../test/app.ts';
import { hulpvraagStatusHistory, hulpvragen } from '../../db/schema/index.ts';
import { addAttachment, createWorld, type World } from '../../../test/world.ts';

let t: TestContext;
let w: World;

describe('hulpvragen', () => {
  beforeAll(async () => {
    t = await createTestApp();
    w = await createWorld(t.db, t.env, t.clock.now());
  });
  afterAll(() => t.close());

  it('POST /dossiers/{id}/hulpvragen: creates with defaults and a first history entry', async () => {
    t.clock.set(new Date('2025-03-01T23:30:00Z')); // already 2 March in Amsterdam
    const res = await t.app.request(`/api/v1/dossiers/${w.dossiers.own.id}/hulpvragen`, w.as('school', jsonRequest('POST', { title: 'Leesproblemen' })));
    expect(res.status).toBe(201);
    const h = await res.json();
    expect(h).toEqual({ id: expect.any(String), dossierId: w.dossiers.own.id, date: '2025-03-02', title: 'Leesproblemen', status: 'aanmelding', description: '', coordinator: null, labels: [], visibleToParents: true, attachments: [], anonymised: false });
    const history = await t.db.select().from(hulpvraagStatusHistory).where(eq(hulpvraagStatusHistory.hulpvraagId, h.id));
    expect(history).toMatchObject([{ fromStatus: null, toStatus: 'aanmelding', changedBy: w.users.school.id, note: null }]);
  });

  it('description is always a string: empty when not given, and null is refused (never stored)', async () => {
    const created = await (await t.app.request(`/api/v1/dossiers/${w.dossiers.own.id}/hulpvragen`, w.as('school', jsonRequest('POST', { title: 'Zonder omschrijving' })))).json();
    const refused = await t.app.request(`/api/v1/hulpvragen/${created.id}`, w.as('school', jsonRequest('PATCH', { description: null })));
    expect(refused.status).toBe(400);
    expect((await refused.json()).code).toBe('validation_failed');
    const stored = await (await t.app.request(`/api/v1/hulpvragen/${created.id}`, w.as('parent'))).json();
    expect(stored.description).toBe('');
  });

  it('GET /dossiers/{id}/hulpvragen: newest first with attachment counts, paginated', async () => {
    const dossier = w.dossiers.otherSchool.id;
    for (const [date, title] of [['2023-05-01', 'Midden'], ['2024-09-01', 'Nieuwst'], ['2022-01-01', 'Oudst']] as const) {
      const res = await t.app.request(`/api/v1/dossiers/${dossier}/hulpvragen`, w.as('coordinator', jsonRequest('POST', { title, date })));
      expect(res.status).toBe(201);
    }
    const [nieuwst] = await t.db.select().from(hulpvragen).where(eq(hulpvragen.title, 'Nieuwst'));
    await addAttachment(t.db, w.staffOf('otherSchool'), nieuwst!.id);
    await addAttachment(t.db, w.staffOf('otherSchool'), nieuwst!.id);
    const page1 = await (await t.app.request(`/api/v1/dossiers/${dossier}/hulpvragen?pageSize=2`, w.as('admin'))).json();
    expect(page1.total).toBe(4); // with the world's 2024-01-15 hulpvraag
    expect(page1.items).toEqual([
      { id: nieuwst!.id, date: '2024-09-01', title: 'Nieuwst', status: 'aanmelding', attachmentCount: 2, visibleToParents: true },
      { id: w.hulpvraag.otherSchool, date: '2024-01-15', title: 'Hulpvraag otherSchool', status: 'aanmelding', attachmentCount: 1, visibleToParents: true },
    ]);
    const page2 = await (await t.app.request(`/api/v1/dossiers/${dossier}/hulpvragen?pageSize=2&page=2`, w.as('admin'))).json();
    expect(page2.items.map((i: { title: string }) => i.title)).toEqual(['Midden', 'Oudst']);
    const past = await (await t.app.request(`/api/v1/dossiers/${dossier}/hulpvragen?page=9`, w.as('admin'))).json();
    expect(past).toEqual({ items: [], page: 9, pageSize: 20, total: 4 });
    const empty = await (await t.app.request('/api/v1/dossiers', w.as('admin', jsonRequest('POST', { firstName: 'Leeg', lastName: 'Dossier', birthDate: '2017-01-01', schoolBrin: w.schoolA1.brin })))).json();
    expect(await (await t.app.request(`/api/v1/dossiers/${empty.id}/hulpvragen`, w.as('school'))).json()).toEqual({ items: [], page: 1, pageSize: 20, total: 0 });
    expect((await t.app.request(`/api/v1/dossiers/${empty.id}/hulpvragen`, w.as('parent'))).status).toBe(404);
  });

  it('GET /hulpvragen/{id}: coordinator, labels and attachments', async () => {
    const created = await (await t.app.request(`/api/v1/dossiers/${w.dossiers.own.id}/hulpvragen`, w.as('admin', jsonRequest('POST', {
      title: 'Gedrag', date: '2024-02-02', description: 'Onrustig in de klas.', status: 'in behandeling', coordinatorId: w.users.coordinator.id, labels: ['gedrag', 'klas'],
    })))).json();
    const res = await t.app.request(`/api/v1/hulpvragen/${created.id}`, w.as('parent'));
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      id: created.id, dossierId: w.dossiers.own.id, date: '2024-02-02', title: 'Gedrag', status: 'in behandeling', description: 'Onrustig in de klas.',
      coordinator: { id: w.users.coordinator.id, displayName: w.users.coordinator.displayName }, labels: ['gedrag', 'klas'], visibleToParents: true, attachments: [], anonymised: false,
    });
    const withFile = await (await t.app.request(`/api/v1/hulpvragen/${w.hulpvraag.own}`, w.as('parent'))).json();
    expect(withFile.attachments).toEqual([{ id: w.attachment.own, hulpvraagId: w.hulpvraag.own, entryId: null, filename: 'verslag.txt', contentType: 'text/plain; charset=utf-8', size: 25, sha256: expect.stringMatching(/^[0-9a-f]{64}$/), createdAt: expect.any(String) }]);
  });

  it('PATCH /hulpvragen/{id}: status changes go into the history with who, when, from, to and note', async () => {
    const id = w.hulpvraag.otherChild;
    t.clock.set(new Date('2025-04-01T09:00:00Z'));
    const res = await t.app.request(`/api/v1/hulpvragen/${id}`, w.as('coordinator', jsonRequest('PATCH', { status: 'advies', statusNote: 'Advies gegeven aan school.', labels: ['advies'] })));
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: 'advies', labels: ['advies'], title: 'Hulpvraag otherChild' });
    t.clock.set(new Date('2025-04-02T09:00:00Z'));
    await t.app.request(`/api/v1/hulpvragen/${id}`, w.as('school', jsonRequest('PATCH', { title: 'Nieuwe titel', status: 'advies' }))); // same status: no entry
    await t.app.request(`/api/v1/hulpvragen/${id}`, w.as('admin', jsonRequest('PATCH', { status: 'afgerond' })));
    const history = await t.db.select().from(hulpvraagStatusHistory).where(eq(hulpvraagStatusHistory.hulpvraagId, id)).orderBy(asc(hulpvraagStatusHistory.changedAt));
    expect(history.map((h) => [h.fromStatus, h.toStatus, h.changedBy, h.note, h.changedAt.toISOString()])).toEqual([
      ['aanmelding', 'advies', w.users.coordinator.id, 'Advies gegeven aan school.', '2025-04-01T09:00:00.000Z'],
      ['advies', 'afgerond', w.users.admin.id, null, '2025-04-02T09:00:00.000Z'],
    ]);
  });

  it('a coordinator must be coordinator or admin of the same organisation; bad input changes nothing', async () => {
    const id = w.hulpvraag.own;
    for (const body of [{ coordinatorId: w.users.school.id }, { coordinatorId: w.users.coordinatorB.id }, { coordinatorId: 'x' }, { statusNote: 'alleen' }, { date: 'gisteren' }, { title: '' }]) {
      const res = await t.app.request(`/api/v1/hulpvragen/${id}`, w.as('admin', jsonRequest('PATCH', body)));
      expect([body, res.status]).toEqual([body, 400]);
    }
    const res = await t.app.request(`/api/v1/hulpvragen/${id}`, w.as('admin', jsonRequest('PATCH', { coordinatorId: w.users.admin.id })));
    expect((await res.json()).coordinator).toEqual({ id: w.users.admin.id, displayName: w.users.admin.displayName });
    const cleared = await t.app.request(`/api/v1/hulpvragen/${id}`, w.as('admin', jsonRequest('PATCH', { coordinatorId: null })));
    expect((await cleared.json()).coordinator).toBeNull();
  });
});
