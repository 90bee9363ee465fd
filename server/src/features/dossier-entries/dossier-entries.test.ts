import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, jsonRequest, type TestContext } from '../../../test/app.ts';
import { attachmentChunks, auditLog } from '../../db/schema/index.ts';
import { createWorld, type World } from '../../../test/world.ts';
import { multipartBody, multipartHeaders } from '../../../test/multipart.ts';

let t: TestContext;
let w: World;
const post = (who: keyof World['tokens'], path: string, body: unknown) => t.app.request(`/api/v1${path}`, w.as(who, jsonRequest('POST', body)));

describe('dossier tabs: Aanpak, TLV, Overlegronde', () => {
  beforeAll(async () => {
    t = await createTestApp();
    w = await createWorld(t.db, t.env, t.clock.now());
  });
  afterAll(() => t.close());

  it('Aanpak: dated items with author, hidden from parents until shared, reads in the access log', async () => {
    t.clock.set(new Date('2025-02-10T10:00:00Z'));
    const d = w.dossiers.own.id;
    const res = await post('school', `/dossiers/${d}/aanpak`, { title: 'Extra leesbegeleiding', body: 'Twee keer per week.' });
    expect(res.status).toBe(201);
    const item = await res.json();
    expect(item).toEqual({
      id: expect.any(String), dossierId: d, date: '2025-02-10', title: 'Extra leesbegeleiding', body: 'Twee keer per week.', visibleToParents: false,
      author: { id: w.users.school.id, displayName: w.users.school.displayName }, createdAt: '2025-02-10T10:00:00.000Z', updatedAt: '2025-02-10T10:00:00.000Z', attachments: [],
    });
    expect((await (await t.app.request(`/api/v1/dossiers/${d}/aanpak`, w.as('parent'))).json()).items).toEqual([]);
    const shared = await t.app.request(`/api/v1/aanpak/${item.id}`, w.as('coordinator', jsonRequest('PATCH', { visibleToParents: true })));
    expect((await shared.json()).visibleToParents).toBe(true);
    const forParent = await (await t.app.request(`/api/v1/dossiers/${d}/aanpak`, w.as('parent'))).json();
    expect(forParent.items.map((i: { title: string }) => i.title)).toEqual(['Extra leesbegeleiding']);
    expect((await t.app.request(`/api/v1/aanpak/${item.id}`, w.as('parent', jsonRequest('PATCH', { title: 'x' })))).status).toBe(403);
    const log = await (await t.app.request(`/api/v1/dossiers/${d}/access-log`, w.as('parent'))).json();
    expect(log.items.some((e: { action: string; actor: { role: string } }) => e.action === 'aanpak.read' && e.actor.role === 'parent')).toBe(true);
  });

  it('TLV: type, dates, decision and status; an expired TLV is marked; end before start is refused', async () => {
    t.clock.set(new Date('2025-09-01T08:00:00Z'));
    const d = w.dossiers.otherChild.id;
    const bad = await post('admin', `/dossiers/${d}/tlv`, { type: 'so-hoog', startDate: '2025-08-01', endDate: '2024-07-31' });
    expect(bad.status).toBe(400);
    expect((await post('admin', `/dossiers/${d}/tlv`, { type: 'vso' })).status).toBe(400);
    const old = await (await post('admin', `/dossiers/${d}/tlv`, { date: '2023-06-15', type: 'sbo', startDate: '2023-08-01', endDate: '2025-07-31', decisionDate: '2023-06-15', status: 'toegekend' })).json();
    const current = await (await post('admin', `/dossiers/${d}/tlv`, { date: '2025-06-20', type: 'so-midden', startDate: '2025-08-01', endDate: '2027-07-31' })).json();
    expect(old).toMatchObject({ type: 'sbo', status: 'toegekend', startDate: '2023-08-01', endDate: '2025-07-31', decisionDate: '2023-06-15', expired: true });
    expect(current).toMatchObject({ type: 'so-midden', status: 'aangevraagd', expired: false, visibleToParents: false });
    expect(current).not.toHaveProperty('participants');
    const patch = await t.app.request(`/api/v1/tlv/${current.id}`, w.as('school', jsonRequest('PATCH', { endDate: '2025-01-01' })));
    expect(patch.status).toBe(400);
    const list = await (await t.app.request(`/api/v1/dossiers/${d}/tlv`, w.as('school'))).json();
    expect(list.items.map((i: { expired: boolean }) => i.expired)).toEqual([false, true]);
  });

  it('Overlegronde: meetings with participants and notes, attachments through the upload pipeline, staff only', async () => {
    const d = w.dossiers.own.id;
    const meeting = await (await post('coordinator', `/dossiers/${d}/overlegronden`, { date: '2025-03-03', participants: ['IB’er', 'ouder', 'orthopedagoog'], body: 'Afspraken gemaakt.' })).json();
    expect(meeting).toMatchObject({ date: '2025-03-03', participants: ['IB’er', 'ouder', 'orthopedagoog'], body: 'Afspraken gemaakt.' });
    expect(meeting).not.toHaveProperty('type');
    const upload = await t.app.request(`/api/v1/overlegronden/${meeting.id}/attachments`, w.as('coordinator', { method: 'POST', headers: multipartHeaders(), body: multipartBody(Buffer.from('Verslag\n'), 'verslag.txt') }));
    expect(upload.status).toBe(201);
    const file = await upload.json();
    expect(file).toMatchObject({ hulpvraagId: null, entryId: meeting.id, filename: 'verslag.txt' });
    const list = await (await t.app.request(`/api/v1/dossiers/${d}/overlegronden`, w.as('school'))).json();
    expect(list.items[0].attachments.map((a: { id: string }) => a.id)).toEqual([file.id]);
    const content = await t.app.request(`/api/v1/attachments/${file.id}/content`, w.as('school'));
    expect(await content.text()).toBe('Verslag\n');
    // An open Overlegronde is never for parents (only a closed one they are invited to: archive-closed.test.ts).
    expect((await t.app.request(`/api/v1/attachments/${file.id}/content`, w.as('parent'))).status).toBe(404);
    const forParent = await t.app.request(`/api/v1/dossiers/${d}/overlegronden`, w.as('parent'));
    expect(forParent.status).toBe(200);
    expect((await forParent.json()).items).toEqual([]);
    const bad = await t.app.request(`/api/v1/overlegronden/${meeting.id}/attachments`, w.as('coordinator', { method: 'POST', headers: multipartHeaders(), body: multipartBody(Buffer.from([0x4d, 0x5a, 0, 0, 1, 2]), 'x.exe') }));
    expect(bad.status).toBe(415);
    expect((await t.app.request(`/api/v1/overlegronden/${meeting.id}`, w.as('coordinator', { method: 'DELETE' }))).status).toBe(204);
    expect(await t.db.select().from(attachmentChunks).where(eq(attachmentChunks.attachmentId, file.id))).toEqual([]);
  });

  it('a shared Aanpak attachment is downloadable by the parent and the download is logged', async () => {
    const d = w.dossiers.own.id;
    const item = await (await post('school', `/dossiers/${d}/aanpak`, { title: 'Plan', visibleToParents: true })).json();
    const file = await (await t.app.request(`/api/v1/aanpak/${item.id}/attachments`, w.as('school', { method: 'POST', headers: multipartHeaders(), body: multipartBody(Buffer.from('Plan van aanpak\n'), 'plan.txt') }))).json();
    const res = await t.app.request(`/api/v1/attachments/${file.id}/content`, w.as('parent'));
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('Plan van aanpak\n');
    const rows = await t.db.select().from(auditLog).where(eq(auditLog.subjectId, file.id));
    expect(rows.some((r) => r.action === 'attachment.download' && r.actorUserId === w.users.parent.id)).toBe(true);
    // Another parent's child, another organisation: nothing.
    expect((await t.app.request(`/api/v1/dossiers/${w.dossiers.otherChild.id}/aanpak`, w.as('parent'))).status).toBe(404);
  });
});
