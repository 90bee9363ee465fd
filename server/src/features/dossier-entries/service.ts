import { and, asc, count, desc, eq, inArray, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.ts';
import { attachments, dossierEntries, dossiers, entryParticipants, users, type EntryKind } from '../../db/schema/index.ts';
import { AppError } from '../../lib/errors.ts';
import { isUuid, type Page, type PageQuery } from '../../lib/openapi.ts';
import type { Attachment as AttachmentView } from '../hulpvragen/schemas.ts';
import { attachmentColumns, toAttachmentView } from '../hulpvragen/service.ts';
import { visibleDossiers, visibleEntries, type Principal } from '../../authz/index.ts';
import type { EntryInput } from './schemas.ts';

type Row = typeof dossierEntries.$inferSelect;
export interface VisibleEntry { id: string; dossierId: string; organisationId: string; title: string; kind: EntryKind; anonymised: boolean; archived: boolean }

/** Today in the Netherlands, as YYYY-MM-DD. */
const today = (now: Date) => now.toLocaleDateString('sv-SE', { timeZone: 'Europe/Amsterdam' });

/** An item of this kind the user may see (parents: only shared ones), or null. */
export async function findVisibleEntry(db: DbOrTx, user: Principal, kind: EntryKind, id: string): Promise<VisibleEntry | null> {
  if (!isUuid(id)) return null;
  const [row] = await db
    .select({
      id: dossierEntries.id, dossierId: dossierEntries.dossierId, organisationId: dossierEntries.organisationId, title: dossierEntries.title, kind: dossierEntries.kind,
      anonymised: sql<boolean>`${dossiers.anonymisedAt} is not null`, archived: sql<boolean>`${dossierEntries.archivedAt} is not null`,
    })
    .from(dossierEntries)
    .innerJoin(dossiers, eq(dossiers.id, dossierEntries.dossierId))
    // An admin finds an archived TLV by its id (to see, edit or unarchive it); nobody else does.
    .where(and(eq(dossierEntries.id, id), eq(dossierEntries.kind, kind), eq(dossierEntries.organisationId, user.organisationId), visibleDossiers(user), visibleEntries(user, { includeArchived: true })))
    .limit(1);
  return row ?? null;
}

export interface Invitee { id: string; displayName: string; role: 'parent' | 'school' | 'coordinator' | 'admin' }

function toView(row: Row & { authorName: string | null }, files: AttachmentView[], invited: Invitee[], now: Date) {
  const base = {
    id: row.id, dossierId: row.dossierId, date: row.date, title: row.title, body: row.body, visibleToParents: row.visibleToParents,
    author: row.createdBy ? { id: row.createdBy, displayName: row.authorName ?? '' } : null,
    createdAt: row.createdAt.toISOString(), updatedAt: row.updatedAt.toISOString(), attachments: files,
  };
  return {
    ...base,
    type: row.tlvType!, status: row.tlvStatus!, startDate: row.startDate, endDate: row.endDate, decisionDate: row.decisionDate,
    expired: row.endDate !== null && row.endDate < today(now),
    participants: row.participants,
    archivedAt: row.archivedAt?.toISOString() ?? null,
    closed: row.closed,
    invited,
  };
}
export type EntryView = ReturnType<typeof toView>;

async function withAttachments(db: DbOrTx, rows: (Row & { authorName: string | null })[], now: Date): Promise<EntryView[]> {
  const ids = rows.map((r) => r.id);
  const files = ids.length ? await db.select(attachmentColumns).from(attachments).where(inArray(attachments.entryId, ids)).orderBy(asc(attachments.createdAt), asc(attachments.id)) : [];
  const closed = rows.filter((r) => r.closed).map((r) => r.id);
  const invited = closed.length
    ? await db.select({ entryId: entryParticipants.entryId, id: users.id, displayName: users.displayName, role: users.role }).from(entryParticipants).innerJoin(users, eq(users.id, entryParticipants.userId))
      .where(inArray(entryParticipants.entryId, closed)).orderBy(asc(users.displayName), asc(users.id))
    : [];
  return rows.map((r) => toView(
    r, files.filter((f) => f.entryId === r.id).map(toAttachmentView),
    invited.filter((p) => p.entryId === r.id).map(({ id, displayName, role }) => ({ id, displayName, role: role as Invitee['role'] })), now,
  ));
}

const selectRows = (db: DbOrTx) => db.select({ entry: dossierEntries, authorName: users.displayName }).from(dossierEntries).leftJoin(users, eq(users.id, dossierEntries.createdBy));

/** The items of one kind in a dossier the caller may see, newest first (parents: only shared ones). */
export async function listEntries(db: DbOrTx, user: Principal, dossierId: string, kind: EntryKind, page: PageQuery, now: Date, includeArchived = false): Promise<Page<EntryView>> {
  const where = and(eq(dossierEntries.dossierId, dossierId), eq(dossierEntries.kind, kind), visibleEntries(user, { includeArchived }));
  const [rows, [total]] = await Promise.all([
    selectRows(db).where(where).orderBy(desc(dossierEntries.date), desc(dossierEntries.createdAt), desc(dossierEntries.id)).limit(page.pageSize).offset((page.page - 1) * page.pageSize),
    db.select({ n: count() }).from(dossierEntries).where(where),
  ]);
  const items = await withAttachments(db, rows.map((r) => ({ ...r.entry, authorName: r.authorName })), now);
  return { items, page: page.page, pageSize: page.pageSize, total: total?.n ?? 0 };
}

export async function getEntry(db: DbOrTx, id: string, now: Date): Promise<EntryView> {
  const [row] = await selectRows(db).where(eq(dossierEntries.id, id));
  if (!row) throw new AppError('not_found', 'No item with this id.');
  return (await withAttachments(db, [{ ...row.entry, authorName: row.authorName }], now))[0]!;
}

/** The columns an input sets (undefined fields stay as they are). */
function columns(input: EntryInput) {
  const set: Partial<typeof dossierEntries.$inferInsert> = {};
  if (input.date !== undefined) set.date = input.date;
  if (input.title !== undefined) set.title = input.title;
  if (input.body !== undefined) set.body = input.body;
  if (input.visibleToParents !== undefined) set.visibleToParents = input.visibleToParents;
  if (input.type !== undefined) set.tlvType = input.type;
  if (input.status !== undefined) set.tlvStatus = input.status;
  if (input.startDate !== undefined) set.startDate = input.startDate;
  if (input.endDate !== undefined) set.endDate = input.endDate;
  if (input.decisionDate !== undefined) set.decisionDate = input.decisionDate;
  if (input.participants !== undefined) set.participants = input.participants;
  if (input.closed !== undefined) set.closed = input.closed;
  return set;
}

export async function createEntry(db: DbOrTx, user: Principal, dossierId: string, kind: EntryKind, input: EntryInput, now: Date): Promise<string> {
  const [row] = await db
    .insert(dossierEntries)
    .values({
      date: today(now), ...columns(input), ...(kind === 'tlv' ? { tlvStatus: input.status ?? 'aangevraagd' } : {}),
      organisationId: user.organisationId, dossierId, kind, createdBy: user.user.id, createdAt: now, updatedAt: now,
    })
    .returning({ id: dossierEntries.id });
  return row!.id;
}

export async function updateEntry(db: DbOrTx, id: string, input: EntryInput, now: Date): Promise<void> {
  if (input.startDate !== undefined || input.endDate !== undefined) {
    const [current] = await db.select({ startDate: dossierEntries.startDate, endDate: dossierEntries.endDate }).from(dossierEntries).where(eq(dossierEntries.id, id)).for('update');
    const start = input.startDate !== undefined ? input.startDate : current?.startDate;
    const end = input.endDate !== undefined ? input.endDate : current?.endDate;
    if (start && end && start > end) throw new AppError('validation_failed', 'endDate: must not be before startDate.', { errors: [{ path: 'endDate', message: 'before startDate' }] });
  }
  await db.update(dossierEntries).set({ ...columns(input), updatedAt: now }).where(eq(dossierEntries.id, id));
}

/** Deletes the item; its attachments go by cascade. Returns those attachments' ids (for the byte cache). */
export async function deleteEntry(db: DbOrTx, id: string): Promise<string[]> {
  const owned = await db.select({ id: attachments.id }).from(attachments).where(eq(attachments.entryId, id));
  await db.delete(dossierEntries).where(eq(dossierEntries.id, id));
  return owned.map((r) => r.id);
}

/**
 * Who may be invited to a closed Overlegronde of this dossier: the staff who may see the dossier
 * (school staff of its school, the organisation's coordinators and admins; active or invited
 * accounts) and the dossier's guardians.
 */
export async function listInviteCandidates(db: DbOrTx, organisationId: string, dossierId: string): Promise<Invitee[]> {
  const rows = await db
    .select({ id: users.id, displayName: users.displayName, role: users.role })
    .from(users)
    .where(and(
      eq(users.organisationId, organisationId), sql`${users.status} <> 'deactivated'`,
      sql`(
        ${users.role} in ('coordinator', 'admin')
        or (${users.role} = 'school' and exists (select 1 from staff_schools ss join dossiers d on d.school_id = ss.school_id where ss.user_id = ${users.id} and d.id = ${dossierId}))
        or (${users.role} = 'parent' and exists (select 1 from guardians g where g.user_id = ${users.id} and g.dossier_id = ${dossierId}))
      )`,
    ))
    .orderBy(asc(users.role), asc(users.displayName), asc(users.id));
  return rows.map((r) => ({ ...r, role: r.role as Invitee['role'] }));
}

/**
 * Sets who is invited to an Overlegronde: every id must be a candidate (else 400, nothing changed);
 * whoever closes a meeting is always among the invited, so nobody shuts themselves out.
 */
export async function setInvited(db: DbOrTx, principal: Principal, entry: { id: string; organisationId: string; dossierId: string }, ids: string[] | undefined): Promise<void> {
  if (ids === undefined) return;
  const candidates = new Set((await listInviteCandidates(db, entry.organisationId, entry.dossierId)).map((c) => c.id));
  const wanted = new Set(ids);
  if (principal.kind === 'session') wanted.add(principal.user.id);
  const unknown = [...wanted].filter((id) => !candidates.has(id));
  if (unknown.length) throw new AppError('validation_failed', 'invitedIds: invite only staff who may see this dossier and its guardians.', { errors: [{ path: 'invitedIds', message: `not a candidate: ${unknown.join(', ')}` }] });
  await db.delete(entryParticipants).where(eq(entryParticipants.entryId, entry.id));
  if (wanted.size) await db.insert(entryParticipants).values([...wanted].map((userId) => ({ entryId: entry.id, userId })));
}

/** TLV archiveren: archived (now) or back in the lists (null). */
export async function setArchived(db: DbOrTx, id: string, at: Date | null, now: Date): Promise<void> {
  await db.update(dossierEntries).set({ archivedAt: at, updatedAt: now }).where(eq(dossierEntries.id, id));
}
