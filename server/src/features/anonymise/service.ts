import { and, eq, inArray, isNull, or, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.ts';
import { attachments, auditLog, dossierEntries, dossiers, entryParticipants, guardians, hulpvraagStatusHistory, hulpvragen, mailOutbox, privateNotes, users } from '../../db/schema/index.ts';
import { AppError } from '../../lib/errors.ts';

/** What an anonymised dossier and hulpvraag are called from then on (lists, audit labels). */
export const ANONYMISED = 'Geanonimiseerd';
const ANONYMISED_BIRTH_DATE = '1900-01-01';

/** The name as a person types it: spaces collapsed, any case. */
const normalise = (s: string) => s.trim().replace(/\s+/g, ' ').toLocaleLowerCase('nl');

/**
 * The confirmation: the caller typed the child's name (first and last name). Anything else is a
 * 422 that changes nothing — the panel checks it too, the API does not trust the panel.
 */
export function checkConfirmation(childName: string, confirm: string): void {
  if (normalise(confirm) !== normalise(childName) || normalise(childName) === '') {
    throw new AppError('confirmation_mismatch', "confirm: type the child's first and last name exactly as in the dossier to anonymise it.", { errors: [{ path: 'confirm', message: "does not match the child's name" }] });
  }
}

/** The child's name and whether the dossier is anonymised already, with the row locked for the change. */
export async function lockDossier(tx: DbOrTx, dossierId: string) {
  const [row] = await tx.select({ firstName: dossiers.firstName, lastName: dossiers.lastName, anonymisedAt: dossiers.anonymisedAt }).from(dossiers).where(eq(dossiers.id, dossierId)).for('update');
  if (!row) throw new AppError('not_found', 'No dossier with this id.');
  return { name: `${row.firstName} ${row.lastName}`, anonymised: row.anonymisedAt !== null };
}

interface AnonymiseCounts { hulpvragen: number; attachments: number; entries: number; notes: number; guardians: number; auditEntries: number; mails: number }
/** The counts (audited) and the ids of the deleted attachments (their cached bytes go after the commit). */
export interface AnonymiseResult { counts: AnonymiseCounts; removedAttachmentIds: string[] }

/**
 * Scrubs the audit log of personal data about these subjects, keeping every entry (who, what,
 * when, outcome): the labels (the child's name, a hulpvraag's title, a file name) become
 * *Geanonimiseerd*; for a whole dossier the guardians' names and ids (they show who the child's
 * parents are), the linked parent's id, and the search terms of searches that found the dossier go too.
 */
async function scrubAudit(tx: DbOrTx, organisationId: string, subjectIds: string[], dossierId: string | null): Promise<number> {
  let n = 0;
  // By subject id alone: ids are UUIDs, and an entry written outside a request may lack the organisation.
  if (subjectIds.length) {
    n += (await tx.update(auditLog).set({ subjectLabel: ANONYMISED })
      .where(and(inArray(auditLog.subjectId, subjectIds), sql`${auditLog.subjectLabel} is distinct from ${ANONYMISED}`))
      .returning({ id: auditLog.id })).length;
  }
  if (dossierId) {
    n += (await tx.update(auditLog).set({ subjectLabel: ANONYMISED }).where(and(eq(auditLog.dossierId, dossierId), sql`${auditLog.subjectLabel} is distinct from ${ANONYMISED}`)).returning({ id: auditLog.id })).length;
    await tx.update(auditLog).set({ actorUserId: null, actorDisplayName: 'Ouder/verzorger' }).where(and(eq(auditLog.dossierId, dossierId), eq(auditLog.actorRole, 'parent')));
    await tx.update(auditLog).set({ detail: sql`${auditLog.detail} - 'userId'` }).where(and(eq(auditLog.dossierId, dossierId), sql`${auditLog.detail} ? 'userId'`));
    await tx.update(auditLog).set({ detail: sql`${auditLog.detail} - 'q' - 'name' - 'birthDate'` })
      .where(and(eq(auditLog.organisationId, organisationId), eq(auditLog.action, 'dossiers.search'), sql`${auditLog.detail} -> 'ids' ? ${dossierId}`));
  }
  return n;
}

/**
 * The outbox's mails about this dossier or hulpvraag (workflow mails may carry the child's first
 * name and the hulpvraag's title): those not sent yet (pending or failed) are deleted — they never
 * go out; of those sent (body wiped already) the subject, which may hold the same, is replaced.
 */
async function cancelMail(tx: DbOrTx, about: { dossierId: string } | { hulpvraagId: string }): Promise<number> {
  const ofSubject = 'dossierId' in about ? eq(mailOutbox.dossierId, about.dossierId) : eq(mailOutbox.hulpvraagId, about.hulpvraagId);
  const cancelled = await tx.delete(mailOutbox).where(and(ofSubject, sql`${mailOutbox.status} <> 'sent'`)).returning({ id: mailOutbox.id });
  await tx.update(mailOutbox).set({ subject: ANONYMISED }).where(and(ofSubject, eq(mailOutbox.status, 'sent')));
  return cancelled.length;
}

/** Deletes the attachments (and, by cascade, their bytes) of these hulpvragen and items. */
async function deleteAttachments(tx: DbOrTx, hulpvraagIds: string[], entryIds: string[]): Promise<string[]> {
  const owners = [...(hulpvraagIds.length ? [inArray(attachments.hulpvraagId, hulpvraagIds)] : []), ...(entryIds.length ? [inArray(attachments.entryId, entryIds)] : [])];
  if (!owners.length) return [];
  return (await tx.delete(attachments).where(or(...owners)).returning({ id: attachments.id })).map((r) => r.id);
}

/** Replaces what a person wrote in these hulpvragen; status, dates and coordinator stay (Kengetallen). */
async function scrubHulpvragen(tx: DbOrTx, ids: string[], now: Date): Promise<void> {
  if (!ids.length) return;
  await tx.update(hulpvragen).set({ title: ANONYMISED, description: '', labels: [], anonymisedAt: now, updatedAt: now }).where(inArray(hulpvragen.id, ids));
  // Status informatie stays (who changed which status when); notes typed by people go. Notes a rule wrote say nothing personal.
  await tx.update(hulpvraagStatusHistory).set({ note: null }).where(and(inArray(hulpvraagStatusHistory.hulpvraagId, ids), eq(hulpvraagStatusHistory.automatic, false)));
}

/**
 * Anonymises one hulpvraag (the caller locked the dossier and checked the confirmation): title and
 * description replaced, labels and attachments gone, people's notes in its Status informatie gone,
 * the audit log's labels of it and its files replaced, the outbox's mails about it cancelled.
 */
export async function anonymiseHulpvraag(tx: DbOrTx, organisationId: string, hulpvraagId: string, now: Date): Promise<AnonymiseResult> {
  const [row] = await tx.select({ anonymisedAt: hulpvragen.anonymisedAt }).from(hulpvragen).where(eq(hulpvragen.id, hulpvraagId)).for('update');
  if (row?.anonymisedAt) throw new AppError('conflict', 'This hulpvraag is anonymised already.');
  const removed = await deleteAttachments(tx, [hulpvraagId], []);
  await scrubHulpvragen(tx, [hulpvraagId], now);
  const auditEntries = await scrubAudit(tx, organisationId, [hulpvraagId, ...removed], null);
  const mails = await cancelMail(tx, { hulpvraagId });
  return { counts: { hulpvragen: 1, attachments: removed.length, entries: 0, notes: 0, guardians: 0, auditEntries, mails }, removedAttachmentIds: removed };
}

/**
 * Anonymises a whole dossier, in the caller's transaction: the child's name, group and the
 * school's contact replaced, the birth date replaced by 1900-01-01 (the API's birthDate is never
 * empty; `anonymised: true` says it means nothing); every hulpvraag as
 * above; Aanpak, TLV and Overlegronde items keep kind, dates and TLV type/status but lose title,
 * text, participants' names, invited guardians and attachments; Mijn notities of every author
 * deleted; guardians unlinked; the audit log scrubbed (`scrubAudit`); the outbox's mails about it
 * cancelled (`cancelMail`). The school stays.
 */
export async function anonymiseDossier(tx: DbOrTx, organisationId: string, dossierId: string, now: Date): Promise<AnonymiseResult> {
  const hv = (await tx.select({ id: hulpvragen.id }).from(hulpvragen).where(eq(hulpvragen.dossierId, dossierId))).map((r) => r.id);
  const entries = (await tx.select({ id: dossierEntries.id }).from(dossierEntries).where(eq(dossierEntries.dossierId, dossierId))).map((r) => r.id);
  const removed = await deleteAttachments(tx, hv, entries);
  await scrubHulpvragen(tx, hv, now);
  if (entries.length) {
    await tx.update(dossierEntries).set({ title: '', body: '', participants: [], visibleToParents: false, updatedAt: now }).where(inArray(dossierEntries.id, entries));
    const parents = tx.select({ id: users.id }).from(users).where(and(eq(users.organisationId, organisationId), eq(users.role, 'parent')));
    await tx.delete(entryParticipants).where(and(inArray(entryParticipants.entryId, entries), inArray(entryParticipants.userId, parents)));
  }
  const notes = await tx.delete(privateNotes).where(eq(privateNotes.dossierId, dossierId)).returning({ id: privateNotes.id });
  const unlinked = await tx.delete(guardians).where(eq(guardians.dossierId, dossierId)).returning({ userId: guardians.userId });
  await tx.update(dossiers).set({
    firstName: ANONYMISED, lastName: '', birthDate: ANONYMISED_BIRTH_DATE, schoolGroup: '', contactName: '', contactEmail: '', anonymisedAt: now, updatedAt: now,
  }).where(and(eq(dossiers.id, dossierId), isNull(dossiers.anonymisedAt)));
  const auditEntries = await scrubAudit(tx, organisationId, [dossierId, ...hv, ...entries, ...removed], dossierId);
  const mails = await cancelMail(tx, { dossierId });
  return { counts: { hulpvragen: hv.length, attachments: removed.length, entries: entries.length, notes: notes.length, guardians: unlinked.length, auditEntries, mails }, removedAttachmentIds: removed };
}
