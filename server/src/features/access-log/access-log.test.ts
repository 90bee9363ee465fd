import { asc, desc, gt } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, type TestContext } from '../../../test/app.ts';
import { auditLog } from '../../db/schema/index.ts';
import { linkGuardian, makeDossier } from '../../../test/fixtures.ts';
import { jsonRequest } from '../../../test/app.ts';
import { addAttachment, createWorld, type World } from '../../../test/world.ts';

let t: TestContext;
let w: World;
let mark = 0;

/** The audit entries written since the last mark, in order. */
async function newEntries() {
  const rows = await t.db.select().from(auditLog).where(gt(auditLog.id, mark)).orderBy(asc(auditLog.id));
  return rows.map((r) => ({ actor: r.actorUserId, role: r.actorRole, org: r.organisationId, action: r.action, subject: `${r.subjectType}:${r.subjectId}`, dossier: r.dossierId, ua: r.userAgent, ip: r.ipAddress, outcome: r.outcome, at: r.at.toISOString() }));
}

describe('audit of reads and GET /dossiers/{id}/access-log', () => {
  beforeAll(async () => {
    t = await createTestApp();
    w = await createWorld(t.db, t.env, t.clock.now());
  });
  beforeEach(async () => {
    const [last] = await t.db.select({ id: auditLog.id }).from(auditLog).orderBy(desc(auditLog.id)).limit(1);
    mark = last?.id ?? 0;
  });
  afterAll(() => t.close());

  it('reads and downloads write exactly one entry each, with actor, role, organisation, subject, dossier, address, user agent and time', async () => {
    t.clock.set(new Date('2025-05-05T10:00:00Z'));
    const p = w.users.parent;
    for (const path of [`/api/v1/dossiers/${w.dossiers.own.id}`, `/api/v1/dossiers/${w.dossiers.own.id}/hulpvragen`, `/api/v1/hulpvragen/${w.hulpvraag.own}`, `/api/v1/attachments/${w.attachment.own}`, `/api/v1/attachments/${w.attachment.own}/content`]) {
      const res = await t.app.request(path, w.as('parent'));
      expect(res.status).toBe(200);
      await res.arrayBuffer();
    }
    const base = { actor: p.id, role: 'parent', org: w.orgA.id, dossier: w.dossiers.own.id, ua: 'test-parent', ip: expect.any(String), outcome: 'success', at: '2025-05-05T10:00:00.000Z' };
    expect(await newEntries()).toEqual([
      { ...base, action: 'dossier.read', subject: `dossier:${w.dossiers.own.id}` },
      { ...base, action: 'hulpvragen.read', subject: `dossier:${w.dossiers.own.id}` },
      { ...base, action: 'hulpvraag.read', subject: `hulpvraag:${w.hulpvraag.own}` },
      { ...base, action: 'attachment.read', subject: `attachment:${w.attachment.own}` },
      { ...base, action: 'attachment.download', subject: `attachment:${w.attachment.own}` },
    ]);
  });

  it('refused reads are recorded as denied, without linking them to a dossier', async () => {
    t.clock.set(new Date('2025-05-05T11:00:00Z'));
    expect((await t.app.request(`/api/v1/dossiers/${w.dossiers.otherChild.id}`, w.as('parent'))).status).toBe(404);
    expect((await t.app.request(`/api/v1/attachments/${w.attachment.otherOrg}/content`, w.as('coordinator'))).status).toBe(404);
    expect((await t.app.request('/api/v1/hulpvragen/not-an-id', w.as('school'))).status).toBe(404);
    expect((await t.app.request('/api/v1/schools', w.as('parent'))).status).toBe(403);
    const base = { org: w.orgA.id, dossier: null, ip: expect.any(String), outcome: 'denied', at: '2025-05-05T11:00:00.000Z' };
    expect(await newEntries()).toEqual([
      { ...base, actor: w.users.parent.id, role: 'parent', ua: 'test-parent', action: 'dossier.read', subject: `dossier:${w.dossiers.otherChild.id}` },
      { ...base, actor: w.users.coordinator.id, role: 'coordinator', ua: 'test-coordinator', action: 'attachment.download', subject: `attachment:${w.attachment.otherOrg}` },
      { ...base, actor: w.users.school.id, role: 'school', ua: 'test-school', action: 'hulpvraag.read', subject: 'hulpvraag:not-an-id' },
      { ...base, actor: w.users.parent.id, role: 'parent', ua: 'test-parent', action: 'school.search', subject: 'route:GET /api/v1/schools' },
    ]);
  });

  it('shows guardians and staff who read or downloaded what, newest first; refusals and other dossiers not', async () => {
    const path = `/api/v1/dossiers/${w.dossiers.otherChild.id}`;
    t.clock.set(new Date('2025-06-01T08:00:00Z'));
    await t.app.request(path, w.as('school'));
    t.clock.set(new Date('2025-06-01T09:00:00Z'));
    await (await t.app.request(`/api/v1/attachments/${w.attachment.otherChild}/content`, w.as('admin'))).arrayBuffer();
    await t.app.request(path, w.as('parent')); // refused: not in the log shown
    await t.app.request(`/api/v1/dossiers/${w.dossiers.own.id}`, w.as('coordinator')); // another dossier
    const res = await t.app.request(`${path}/access-log`, w.as('coordinator'));
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      items: [
        { at: '2025-06-01T09:00:00.000Z', actor: { displayName: w.users.admin.displayName, role: 'admin' }, action: 'attachment.download', subject: 'verslag.txt' },
        { at: '2025-06-01T08:00:00.000Z', actor: { displayName: w.users.school.displayName, role: 'school' }, action: 'dossier.read', subject: 'Mila Anderkind' },
      ],
      page: 1, pageSize: 20, total: 2,
    });
    // Reading the access log is not shown in it, but is itself audited (NEN 7513: every read of the dossier's data).
    expect((await newEntries()).filter((e) => e.action.startsWith('access-log'))).toEqual([expect.objectContaining({ action: 'access-log.read', outcome: 'success', role: 'coordinator' })]);
    const again = await (await t.app.request(`${path}/access-log`, w.as('coordinator'))).json();
    expect(again.total).toBe(2);
  });

  it('names a file or hulpvraag only to whom may see it: a closed Overlegronde, an archived TLV and items not shared stay unnamed, the reads themselves stay', async () => {
    t.clock.set(new Date('2025-07-01T08:00:00Z'));
    const d = await makeDossier(t.db, w.orgA.id, w.schoolA1.id, { firstName: 'Vera', lastName: 'Verborgen' });
    await linkGuardian(t.db, d.id, w.users.parent.id);
    const post = async (path: string, body: unknown, who: 'school' | 'coordinator' = 'school') => {
      const res = await t.app.request(`/api/v1${path}`, w.as(who, jsonRequest('POST', body)));
      expect(res.status, path).toBeLessThan(300);
      return (await res.json()) as { id: string };
    };
    const staff = w.staffOf('own');
    const shared = await post(`/dossiers/${d.id}/hulpvragen`, { title: 'Gedeelde hulpvraag' });
    const hidden = await post(`/dossiers/${d.id}/hulpvragen`, { title: 'Geheime hulpvraag', visibleToParents: false });
    const meeting = await post(`/dossiers/${d.id}/overlegronden`, { date: '2025-06-30', title: 'Besloten overleg', participants: [], closed: true, invitedIds: [w.users.school.id] });
    const aanpak = await post(`/dossiers/${d.id}/aanpak`, { title: 'Intern plan', body: 'Alleen voor het team.', visibleToParents: false });
    const tlv = await post(`/dossiers/${d.id}/tlv`, { type: 'sbo', visibleToParents: true });
    const files = {
      shared: (await addAttachment(t.db, staff, shared.id, 'x\n', 'gedeeld.txt')).id,
      hidden: (await addAttachment(t.db, staff, hidden.id, 'x\n', 'geheim.txt')).id,
      meeting: (await addAttachment(t.db, staff, { entryId: meeting.id }, 'x\n', 'besloten-overleg.txt')).id,
      aanpak: (await addAttachment(t.db, staff, { entryId: aanpak.id }, 'x\n', 'intern-plan.txt')).id,
      tlv: (await addAttachment(t.db, staff, { entryId: tlv.id }, 'x\n', 'tlv-besluit.txt')).id,
    };
    await post(`/tlv/${tlv.id}/archive`, {}, 'coordinator');
    // The invited school staff member reads what is not archived; the admin downloads the archived TLV's file.
    for (const path of [`/hulpvragen/${hidden.id}`, ...[files.shared, files.hidden, files.meeting, files.aanpak].map((f) => `/attachments/${f}/content`)]) {
      const res = await t.app.request(`/api/v1${path}`, w.as('school'));
      expect(res.status, path).toBe(200);
      await res.arrayBuffer();
    }
    const tlvRead = await t.app.request(`/api/v1/attachments/${files.tlv}/content`, w.as('admin'));
    expect(tlvRead.status).toBe(200);
    await tlvRead.arrayBuffer();

    const subjects = async (who: 'parent' | 'school' | 'admin') => {
      const res = await t.app.request(`/api/v1/dossiers/${d.id}/access-log`, w.as(who));
      expect(res.status).toBe(200);
      const page = await res.json();
      expect(page.total).toBe(6);
      return page.items.map((i: { action: string; subject: string }) => `${i.action} ${i.subject}`).sort();
    };
    // The parent sees that six things were looked at, and the name of only the one shared with them.
    expect(await subjects('parent')).toEqual([
      'attachment.download attachment', 'attachment.download attachment', 'attachment.download attachment', 'attachment.download attachment',
      'attachment.download gedeeld.txt', 'hulpvraag.read hulpvraag',
    ]);
    // Invited staff see the closed meeting's file, not the archived TLV's; the admin (not invited) the other way round.
    expect(await subjects('school')).toEqual([
      'attachment.download attachment', 'attachment.download besloten-overleg.txt', 'attachment.download gedeeld.txt', 'attachment.download geheim.txt',
      'attachment.download intern-plan.txt', 'hulpvraag.read Geheime hulpvraag',
    ]);
    expect(await subjects('admin')).toEqual([
      'attachment.download attachment', 'attachment.download gedeeld.txt', 'attachment.download geheim.txt', 'attachment.download intern-plan.txt',
      'attachment.download tlv-besluit.txt', 'hulpvraag.read Geheime hulpvraag',
    ]);
  });
});
