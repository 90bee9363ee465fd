import { and, eq, inArray, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createTestApp, jsonRequest, type TestContext } from '../../../test/app.ts';
import { linkGuardian, makeDossier } from '../../../test/fixtures.ts';
import { addAttachment, createWorld, type World } from '../../../test/world.ts';
import { multipartBody, multipartHeaders } from '../../../test/multipart.ts';
import { attachmentChunks, attachments, auditLog, dossierEntries, entryParticipants, guardians, hulpvraagStatusHistory, hulpvragen, privateNotes } from '../../db/schema/index.ts';

let t: TestContext;
let w: World;
const call = (who: keyof World['tokens'], method: string, path: string, body?: unknown) => t.app.request(`/api/v1${path}`, w.as(who, body === undefined ? { method } : jsonRequest(method, body)));

/** A child's dossier full of personal data: a hulpvraag with a file and a typed note, Aanpak and a closed meeting with files, a private note, reads and a search in the audit log. */
async function fullDossier() {
  const d = await makeDossier(t.db, w.orgA.id, w.schoolA1.id, { firstName: 'Petra', lastName: 'Zonnebloem', schoolGroup: 'groep 5', contactName: 'Juf Anja', contactEmail: 'anja@school.example' });
  await linkGuardian(t.db, d.id, w.users.parent.id);
  const h = await (await call('school', 'POST', `/dossiers/${d.id}/hulpvragen`, { title: 'Petra leest moeilijk', description: 'Moeder van Petra belde.', labels: ['dyslexie'] })).json();
  expect((await call('coordinator', 'PATCH', `/hulpvragen/${h.id}`, { status: 'in behandeling', statusNote: 'Gesprek met Petra en haar moeder' })).status).toBe(200);
  const file = await addAttachment(t.db, w.staffOf('own'), h.id, 'Verslag over Petra.\n', 'petra-verslag.txt');
  const aanpak = await (await call('school', 'POST', `/dossiers/${d.id}/aanpak`, { title: 'Plan voor Petra', body: 'Twee keer per week.' })).json();
  const aanpakFile = await addAttachment(t.db, w.staffOf('own'), { entryId: aanpak.id }, 'Plan.\n', 'plan-petra.txt');
  const meeting = await (await call('school', 'POST', `/dossiers/${d.id}/overlegronden`, { date: '2025-01-10', title: 'Overleg Petra', participants: ['moeder Zonnebloem'], closed: true, invitedIds: [w.users.parent.id] })).json();
  expect((await call('school', 'POST', `/dossiers/${d.id}/notes`, { body: 'Petra was verdrietig.' })).status).toBe(201);
  expect((await call('parent', 'GET', `/dossiers/${d.id}`)).status).toBe(200);
  expect((await call('parent', 'GET', `/hulpvragen/${h.id}`)).status).toBe(200);
  expect((await call('admin', 'GET', `/dossiers?q=Zonnebloem`)).status).toBe(200);
  return { d, h, file, aanpak, aanpakFile, meeting };
}

/** Every audit entry that still names the child, its parent or a file — must be none. */
async function personalAuditRows(dossierId: string) {
  return t.db.select({ id: auditLog.id, action: auditLog.action, label: auditLog.subjectLabel, actor: auditLog.actorDisplayName, detail: auditLog.detail }).from(auditLog).where(and(
    eq(auditLog.organisationId, w.orgA.id),
    sql`(${auditLog.dossierId} = ${dossierId} or ${auditLog.detail} -> 'ids' ? ${dossierId})`,
    sql`(coalesce(${auditLog.subjectLabel}, '') ~* '(petra|zonnebloem)' or coalesce(${auditLog.detail}::text, '') ~* '(petra|zonnebloem|${sql.raw(w.users.parent.id)})' or ${auditLog.actorDisplayName} = ${w.users.parent.displayName})`,
  ));
}

describe('anonymising a dossier or a hulpvraag', () => {
  beforeAll(async () => {
    t = await createTestApp();
    w = await createWorld(t.db, t.env, t.clock.now());
  });
  afterAll(() => t.close());

  it('refuses a confirmation that is not the child\'s name with 422 and changes nothing; only admins may', async () => {
    const { d, h } = await fullDossier();
    const wrong = await call('admin', 'POST', `/dossiers/${d.id}/anonymise`, { confirm: 'Petra Zonnebloemen' });
    expect(wrong.status).toBe(422);
    expect(wrong.headers.get('content-type')).toContain('application/problem+json');
    expect((await wrong.json()).code).toBe('confirmation_mismatch');
    expect((await call('admin', 'POST', `/dossiers/${d.id}/anonymise`, {})).status).toBe(400);
    expect((await call('school', 'POST', `/dossiers/${d.id}/anonymise`, { confirm: 'Petra Zonnebloem' })).status).toBe(403);
    expect((await call('coordinator', 'POST', `/hulpvragen/${h.id}/anonymise`, { confirm: 'Petra Zonnebloem' })).status).toBe(403);
    const still = await (await call('admin', 'GET', `/dossiers/${d.id}`)).json();
    expect(still).toMatchObject({ firstName: 'Petra', lastName: 'Zonnebloem', anonymised: false, guardians: [{ id: w.users.parent.id }] });
    const [failed] = await t.db.select().from(auditLog).where(and(eq(auditLog.action, 'dossier.anonymise'), eq(auditLog.subjectId, d.id)));
    expect(failed).toMatchObject({ outcome: 'failure', detail: { reason: 'confirmation_mismatch' } });
  });

  it('anonymises a whole dossier in one go: personal fields replaced, files and notes gone, guardians unlinked, history and audit kept without personal data', async () => {
    const { d, h, file, aanpak, aanpakFile, meeting } = await fullDossier();
    const historyBefore = await t.db.select().from(hulpvraagStatusHistory).where(eq(hulpvraagStatusHistory.hulpvraagId, h.id));
    expect(await personalAuditRows(d.id)).not.toEqual([]);

    const res = await call('admin', 'POST', `/dossiers/${d.id}/anonymise`, { confirm: '  petra   ZONNEBLOEM ' });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ firstName: 'Geanonimiseerd', lastName: '', birthDate: '1900-01-01', schoolGroup: '', contactName: '', contactEmail: '', guardians: [], anonymised: true, school: { brin: w.schoolA1.brin } });

    expect(await t.db.select().from(attachments).where(inArray(attachments.id, [file.id, aanpakFile.id]))).toEqual([]);
    expect(await t.db.select().from(attachmentChunks).where(inArray(attachmentChunks.attachmentId, [file.id, aanpakFile.id]))).toEqual([]);
    expect(await t.db.select().from(privateNotes).where(eq(privateNotes.dossierId, d.id))).toEqual([]);
    expect(await t.db.select().from(guardians).where(eq(guardians.dossierId, d.id))).toEqual([]);
    expect(await t.db.select().from(entryParticipants).where(and(eq(entryParticipants.entryId, meeting.id), eq(entryParticipants.userId, w.users.parent.id)))).toEqual([]);
    const [hv] = await t.db.select().from(hulpvragen).where(eq(hulpvragen.id, h.id));
    expect(hv).toMatchObject({ title: 'Geanonimiseerd', description: '', labels: [], status: 'in behandeling' });
    const entries = await t.db.select().from(dossierEntries).where(inArray(dossierEntries.id, [aanpak.id, meeting.id]));
    expect(entries.map((e) => [e.kind, e.title, e.body, e.participants])).toEqual(expect.arrayContaining([['aanpak', '', '', []], ['overleg', '', '', []]]));
    // Status informatie stays — the same changes, without what people typed.
    const historyAfter = await t.db.select().from(hulpvraagStatusHistory).where(eq(hulpvraagStatusHistory.hulpvraagId, h.id));
    expect(historyAfter.map((r) => [r.fromStatus, r.toStatus, r.changedBy])).toEqual(historyBefore.map((r) => [r.fromStatus, r.toStatus, r.changedBy]));
    expect(historyAfter.every((r) => r.note === null)).toBe(true);
    // The audit log keeps every entry, none names the child, the parent or a file any more.
    expect(await personalAuditRows(d.id)).toEqual([]);
    const [done] = await t.db.select().from(auditLog).where(and(eq(auditLog.action, 'dossier.anonymise'), eq(auditLog.subjectId, d.id), eq(auditLog.outcome, 'success')));
    expect(done).toMatchObject({ actorUserId: w.users.admin.id, subjectLabel: 'Geanonimiseerd', detail: { removed: { hulpvragen: 1, attachments: 2, entries: 2, notes: 1, guardians: 1 } } });

    // The parent no longer reaches it; staff see it as Geanonimiseerd; nothing can be changed.
    expect((await call('parent', 'GET', `/dossiers/${d.id}`)).status).toBe(404);
    const list = await (await call('school', 'GET', `/dossiers?q=geanonimiseerd`)).json();
    expect(list.items.find((i: { id: string }) => i.id === d.id)).toMatchObject({ firstName: 'Geanonimiseerd', anonymised: true });
    const byName = await (await call('school', 'GET', `/dossiers?q=zonnebloem`)).json();
    expect(byName.items.map((i: { id: string }) => i.id)).not.toContain(d.id);
    for (const [who, method, path, body] of [
      ['school', 'PATCH', `/dossiers/${d.id}`, { firstName: 'Petra' }],
      ['school', 'POST', `/dossiers/${d.id}/guardians`, { userId: w.users.parent.id }],
      ['school', 'POST', `/dossiers/${d.id}/hulpvragen`, { title: 'Nieuw' }],
      ['coordinator', 'PATCH', `/hulpvragen/${h.id}`, { title: 'Petra' }],
      ['school', 'POST', `/dossiers/${d.id}/aanpak`, { title: 'Nieuw' }],
      ['school', 'PATCH', `/aanpak/${aanpak.id}`, { title: 'Petra' }],
      ['school', 'POST', `/dossiers/${d.id}/notes`, { body: 'Nieuw' }],
    ] as const) {
      const r = await call(who, method, path, body);
      expect([method, path, r.status]).toEqual([method, path, 409]);
    }
    // Once is enough: a second time is a clear 409.
    const again = await call('admin', 'POST', `/dossiers/${d.id}/anonymise`, { confirm: 'Geanonimiseerd' });
    expect(again.status).toBe(409);
    expect((await again.json()).detail).toMatch(/anonymised already/);
  });

  it('anonymises one hulpvraag and leaves the rest of the dossier alone', async () => {
    const { d, h, file } = await fullDossier();
    const other = await (await call('school', 'POST', `/dossiers/${d.id}/hulpvragen`, { title: 'Rekenen' })).json();
    const res = await call('admin', 'POST', `/hulpvragen/${h.id}/anonymise`, { confirm: 'Petra Zonnebloem' });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ id: h.id, title: 'Geanonimiseerd', description: '', labels: [], attachments: [], anonymised: true });
    expect((await call('parent', 'GET', `/attachments/${file.id}/content`)).status).toBe(404);
    const history = await (await call('coordinator', 'GET', `/hulpvragen/${h.id}/status-history`)).json();
    expect(history.map((e: { to: string; note: string | null }) => [e.to, e.note])).toEqual([['aanmelding', null], ['in behandeling', null]]);
    const labels = await t.db.select({ label: auditLog.subjectLabel }).from(auditLog).where(inArray(auditLog.subjectId, [h.id, file.id]));
    expect(labels.every((l) => l.label === null || l.label === 'Geanonimiseerd')).toBe(true);
    expect((await call('coordinator', 'PATCH', `/hulpvragen/${h.id}`, { title: 'Terug' })).status).toBe(409);
    const upload = await t.app.request(`/api/v1/hulpvragen/${h.id}/attachments`, w.as('school', { method: 'POST', headers: multipartHeaders(), body: multipartBody(Buffer.from('tekst\n'), 'nieuw.txt') }));
    expect(upload.status).toBe(409);
    expect((await call('admin', 'POST', `/hulpvragen/${h.id}/anonymise`, { confirm: 'Petra Zonnebloem' })).status).toBe(409);
    // The dossier and its other hulpvraag: untouched and editable.
    expect(await (await call('admin', 'GET', `/dossiers/${d.id}`)).json()).toMatchObject({ firstName: 'Petra', anonymised: false });
    expect((await call('coordinator', 'PATCH', `/hulpvragen/${other.id}`, { title: 'Rekenen en taal' })).status).toBe(200);
  });

  it('answers 404 for another organisation\'s dossier, even to an admin with the right name', async () => {
    const d = w.dossiers.otherOrg;
    expect((await call('admin', 'POST', `/dossiers/${d.id}/anonymise`, { confirm: `${d.firstName} ${d.lastName}` })).status).toBe(404);
    expect((await t.app.request(`/api/v1/dossiers/${d.id}`, { headers: bearer(w.tokens.admin) })).status).toBe(404);
  });
});
