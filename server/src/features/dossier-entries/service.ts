import { and, asc, count, desc, eq, inArray } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.ts';
import { attachments, dossierEntries, dossiers, users, type EntryKind } from '../../db/schema/index.ts';
import { AppError } from '../../lib/errors.ts';
import { isUuid, type Page, type PageQuery } from '../../lib/openapi.ts';
import type { Attachment as AttachmentView } from '../hulpvragen/schemas.ts';
import { attachmentColumns, toAttachmentView } from '../hulpvragen/service.ts';
import { parentsSeeOnlyShared, visibleDossiers, type Principal } from '../../authz/index.ts';
import type { EntryInput } from './schemas.ts';

type Row = typeof dossierEntries.$inferSelect;
export interface VisibleEntry { id: string; dossierId: string; organisationId: string; title: string; kind: EntryKind }

/** Today in the Netherlands, as YYYY-MM-DD. */
export const today = (now: Date) => now.toLocaleDateString('sv-SE', { timeZone: 'Europe/Amsterdam' });

/** An item of this kind the user may see (parents: only shared ones), or null. */
export async function findVisibleEntry(db: DbOrTx, user: Principal, kind: EntryKind, id: string): Promise<VisibleEntry | null> {
  if (!isUuid(id)) return null;
  const [row] = await db
    .select({ id: dossierEntries.id, dossierId: dossierEntries.dossierId, organisationId: dossierEntries.organisationId, title: dossierEntries.title, kind: dossierEntries.kind })
    .from(dossierEntries)
    .innerJoin(dossiers, eq(dossiers.id, dossierEntries.dossierId))
    .where(and(eq(dossierEntries.id, id), eq(dossierEntries.kind, kind), eq(dossierEntries.organisationId, user.organisationId), visibleDossiers(user), parentsSeeOnlyShared(user, dossierEntries.visibleToParents)))
    .limit(1);
  return row ?? null;
}

function toView(row: Row & { authorName: string | null }, files: AttachmentView[], now: Date) {
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
  };
}
export type EntryView = ReturnType<typeof toView>;

async function withAttachments(db: DbOrTx, rows: (Row & { authorName: string | null })[], now: Date): Promise<EntryView[]> {
  const ids = rows.map((r) => r.id);
  const files = ids.length ? await db.select(attachmentColumns).from(attachments).where(inArray(attachments.entryId, ids)).orderBy(asc(attachments.createdAt), asc(attachments.id)) : [];
  return rows.map((r) => toView(r, files.filter((f) => f.entryId === r.id).map(toAttachmentView), now));
}

const selectRows = (db: DbOrTx) => db.select({ entry: dossierEntries, authorName: users.displayName }).from(dossierEntries).leftJoin(users, eq(users.id, dossierEntries.createdBy));

/** The items of one kind in a dossier the caller may see, newest first (parents: only shared ones). */
export async function listEntries(db: DbOrTx, user: Principal, dossierId: string, kind: EntryKind, page: PageQuery, now: Date): Promise<Page<EntryView>> {
  const where = and(eq(dossierEntries.dossierId, dossierId), eq(dossierEntries.kind, kind), parentsSeeOnlyShared(user, dossierEntries.visibleToParents));
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

export async function deleteEntry(db: DbOrTx, id: string): Promise<void> {
  await db.delete(dossierEntries).where(eq(dossierEntries.id, id));
}
