import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createTestApp, jsonRequest, type TestContext } from '../../../test/app.ts';
import { linkStaffSchool, makeUser, signIn } from '../../../test/fixtures.ts';
import { addAttachment, createWorld, type World } from '../../../test/world.ts';

let t: TestContext;
let w: World;
/** Extra staff: a colleague at the same school who is not invited, and staff of another school. */
const extra = {} as Record<'colleague' | 'otherSchoolStaff', string>;
const tokenOf = (who: string) => (who in extra ? extra[who as keyof typeof extra] : who.startsWith('kk_') ? who : w.tokens[who as keyof World['tokens']]);
const call = (who: string, method: string, path: string, body?: unknown) =>
  t.app.request(`/api/v1${path}`, { ...(body === undefined ? { method } : jsonRequest(method, body)), headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...bearer(tokenOf(who)) } });
const ids = async (res: Response) => ((await res.json()).items as { id: string }[]).map((i) => i.id);

describe('TLV archiveren and Overlegronde met besloten deelname', () => {
  beforeAll(async () => {
    t = await createTestApp();
    w = await createWorld(t.db, t.env, t.clock.now());
    const colleague = await makeUser(t.db, w.orgA.id, 'school');
    await linkStaffSchool(t.db, colleague.id, w.schoolA1.id);
    const otherSchoolStaff = await makeUser(t.db, w.orgA.id, 'school');
    await linkStaffSchool(t.db, otherSchoolStaff.id, w.schoolA2.id);
    extra.colleague = await signIn(t.db, colleague.id, t.clock.now(), t.env);
    extra.otherSchoolStaff = await signIn(t.db, otherSchoolStaff.id, t.clock.now(), t.env);
  });
  afterAll(() => t.close());

  it('an archived TLV leaves every list and its file; admins find it with "gearchiveerd tonen" and bring it back', async () => {
    const d = w.dossiers.own.id;
    const tlv = await (await call('school', 'POST', `/dossiers/${d}/tlv`, { type: 'so-laag', visibleToParents: true })).json();
    const file = await addAttachment(t.db, w.staffOf('own'), { entryId: tlv.id }, 'Besluit.\n', 'besluit.txt');
    expect(await ids(await call('parent', 'GET', `/dossiers/${d}/tlv`))).toContain(tlv.id);

    expect((await call('school', 'POST', `/tlv/${tlv.id}/archive`)).status).toBe(403);
    const archived = await call('coordinator', 'POST', `/tlv/${tlv.id}/archive`);
    expect(archived.status).toBe(200);
    expect((await archived.json()).archivedAt).toEqual(expect.any(String));
    expect((await call('coordinator', 'POST', `/tlv/${tlv.id}/archive`)).status).toBe(404);

    for (const who of ['parent', 'school', 'coordinator', 'admin']) expect([who, await ids(await call(who, 'GET', `/dossiers/${d}/tlv`))]).toEqual([who, expect.not.arrayContaining([tlv.id])]);
    for (const who of ['parent', 'school', 'coordinator']) {
      expect([who, (await call(who, 'GET', `/attachments/${file.id}/content`)).status]).toEqual([who, 404]);
      expect([who, (await call(who, 'PATCH', `/tlv/${tlv.id}`, { title: 'x' })).status]).toEqual([who, who === 'parent' ? 403 : 404]);
    }
    expect((await call(w.apiTokens['dossiers:read'], 'GET', `/attachments/${file.id}/content`)).status).toBe(404);
    expect((await call('school', 'GET', `/dossiers/${d}/tlv?includeArchived=true`)).status).toBe(403);
    const shown = await (await call('admin', 'GET', `/dossiers/${d}/tlv?includeArchived=true`)).json();
    expect(shown.items.find((i: { id: string }) => i.id === tlv.id)).toMatchObject({ archivedAt: expect.any(String) });
    expect((await call('admin', 'GET', `/attachments/${file.id}/content`)).status).toBe(200);

    expect((await call('coordinator', 'POST', `/tlv/${tlv.id}/unarchive`)).status).toBe(403);
    const back = await call('admin', 'POST', `/tlv/${tlv.id}/unarchive`);
    expect(back.status).toBe(200);
    expect((await back.json()).archivedAt).toBeNull();
    expect((await call('admin', 'POST', `/tlv/${tlv.id}/unarchive`)).status).toBe(409);
    expect(await ids(await call('school', 'GET', `/dossiers/${d}/tlv`))).toContain(tlv.id);
  });

  it('a closed Overlegronde is seen only by the invited staff and guardians: lists, edits and its attachment', async () => {
    const d = w.dossiers.own.id;
    const candidates = await (await call('school', 'GET', `/dossiers/${d}/overlegronden/candidates`)).json();
    const candidateIds = candidates.map((c: { id: string }) => c.id);
    expect(candidateIds).toEqual(expect.arrayContaining([w.users.school.id, w.users.coordinator.id, w.users.admin.id, w.users.parent.id]));
    expect(candidateIds).not.toContain(w.users.otherParent.id);
    expect(candidateIds).not.toContain(w.users.coordinatorB.id);

    // Only candidates may be invited: another child's parent is refused, nothing made.
    const refused = await call('school', 'POST', `/dossiers/${d}/overlegronden`, { date: '2025-03-01', title: 'Besloten', closed: true, invitedIds: [w.users.otherParent.id] });
    expect(refused.status).toBe(400);

    const res = await call('school', 'POST', `/dossiers/${d}/overlegronden`, { date: '2025-03-01', title: 'Besloten overleg', closed: true, invitedIds: [w.users.parent.id, w.users.coordinator.id] });
    expect(res.status).toBe(201);
    const meeting = await res.json();
    // Whoever closes it is invited too.
    expect(meeting.closed).toBe(true);
    expect(meeting.invited.map((i: { id: string }) => i.id).sort()).toEqual([w.users.parent.id, w.users.coordinator.id, w.users.school.id].sort());
    const open = await (await call('school', 'POST', `/dossiers/${d}/overlegronden`, { date: '2025-03-02', title: 'Open overleg' })).json();
    const file = await addAttachment(t.db, w.staffOf('own'), { entryId: meeting.id }, 'Notulen.\n', 'notulen.txt');

    for (const who of ['school', 'coordinator', 'parent']) {
      expect([who, await ids(await call(who, 'GET', `/dossiers/${d}/overlegronden`))]).toEqual([who, expect.arrayContaining([meeting.id])]);
      expect([who, (await call(who, 'GET', `/attachments/${file.id}/content`)).status]).toEqual([who, 200]);
    }
    // The parent sees only the closed meeting they are invited to, never an open one.
    expect(await ids(await call('parent', 'GET', `/dossiers/${d}/overlegronden`))).toEqual([meeting.id]);
    for (const who of ['colleague', 'admin', w.apiTokens['dossiers:read'], 'otherSchoolStaff', 'unlinkedParent']) {
      const list = await call(who, 'GET', `/dossiers/${d}/overlegronden`);
      if (list.status === 200) expect(await ids(list)).not.toContain(meeting.id);
      else expect(list.status).toBe(404);
      expect((await call(who, 'GET', `/attachments/${file.id}/content`)).status).toBe(404);
      expect((await call(who, 'GET', `/attachments/${file.id}`)).status).toBe(404);
    }
    expect(await ids(await call('colleague', 'GET', `/dossiers/${d}/overlegronden`))).toContain(open.id);
    expect((await call('colleague', 'PATCH', `/overlegronden/${meeting.id}`, { title: 'x' })).status).toBe(404);
    expect((await call('admin', 'DELETE', `/overlegronden/${meeting.id}`)).status).toBe(404);

    // Opening it again makes it a staff meeting: the colleague sees it, the parent no longer.
    const opened = await call('coordinator', 'PATCH', `/overlegronden/${meeting.id}`, { closed: false });
    expect(opened.status).toBe(200);
    expect(await ids(await call('colleague', 'GET', `/dossiers/${d}/overlegronden`))).toContain(meeting.id);
    expect(await ids(await call('parent', 'GET', `/dossiers/${d}/overlegronden`))).toEqual([]);
    expect((await call('parent', 'GET', `/attachments/${file.id}/content`)).status).toBe(404);
    // Closing it without a list keeps who was invited and adds the one who closes it.
    const closed = await (await call('colleague', 'PATCH', `/overlegronden/${meeting.id}`, { closed: true })).json();
    expect(closed.invited.map((i: { id: string }) => i.id)).toEqual(expect.arrayContaining([w.users.parent.id, w.users.coordinator.id, w.users.school.id]));
    expect(await ids(await call('parent', 'GET', `/dossiers/${d}/overlegronden`))).toEqual([meeting.id]);
  });
});
