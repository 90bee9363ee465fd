import { and, asc, count, eq, inArray, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.ts';
import { attachments, dossiers, hulpvraagStatusHistory, hulpvragen, users } from '../../db/schema/index.ts';
import { isUuid } from '../../lib/openapi.ts';
import { findVisibleDossier, parentsSeeOnlyShared, visibleDossiers, type Actor, type Principal, type VisibleDossier } from '../../authz/index.ts';
import { AppError } from '../../lib/errors.ts';
import { checkStatus, firstStatus } from '../statuses/service.ts';
import type { Page, PageQuery } from '../../lib/openapi.ts';
import type { Attachment, Hulpvraag, HulpvraagCreate, HulpvraagPatch, HulpvraagSummary } from './schemas.ts';

export const attachmentColumns = {
  id: attachments.id, hulpvraagId: attachments.hulpvraagId, entryId: attachments.entryId, filename: attachments.filename, contentType: attachments.contentType,
  size: attachments.size, sha256: attachments.sha256, createdAt: attachments.createdAt,
};
export const toAttachmentView = (row: { createdAt: Date } & Omit<Attachment, 'createdAt'>): Attachment => ({
  id: row.id, hulpvraagId: row.hulpvraagId, entryId: row.entryId, filename: row.filename, contentType: row.contentType, size: row.size, sha256: row.sha256, createdAt: row.createdAt.toISOString(),
});

/**
 * Newest first, in exactly the order of `hulpvragen_dossier_date_idx` (`DESC NULLS LAST`): a plain
 * `DESC` means `NULLS FIRST` to PostgreSQL, which then sorts every row of the dossier instead of
 * reading one page of the index (hulpvragen-plan.test.ts guards this).
 */
const newestFirst = [
  sql`${hulpvragen.date} desc nulls last`,
  sql`${hulpvragen.createdAt} desc nulls last`,
  sql`${hulpvragen.id} desc nulls last`,
];

/** The hot query of the parents' list: policy, one page and the total in one statement. */
export function visibleHulpvragenPageQuery(db: DbOrTx, user: Principal, dossierId: string, page: PageQuery) {
  return db
    .select({
      id: hulpvragen.id, date: hulpvragen.date, title: hulpvragen.title, status: hulpvragen.status, visibleToParents: hulpvragen.visibleToParents,
      attachmentCount: sql<number>`(select count(*)::int from attachments a where a.hulpvraag_id = "hulpvragen"."id")`,
      // An uncorrelated subquery (one index-only count), not `count(*) over ()`, which would read
      // and join every row of the dossier before the LIMIT.
      // Parents count only what they may see (as the fallback below and the one-statement list do).
      total: user.role === 'parent'
        ? sql<number>`(select count(*)::int from hulpvragen c where c.dossier_id = ${dossierId} and c.visible_to_parents)`
        : sql<number>`(select count(*)::int from hulpvragen c where c.dossier_id = ${dossierId})`,
      organisationId: dossiers.organisationId, schoolId: dossiers.schoolId, firstName: dossiers.firstName, lastName: dossiers.lastName,
    })
    .from(hulpvragen)
    .innerJoin(dossiers, eq(dossiers.id, hulpvragen.dossierId))
    .where(and(eq(hulpvragen.dossierId, dossierId), visibleDossiers(user), parentsSeeOnlyShared(user, hulpvragen.visibleToParents)))
    .orderBy(...newestFirst)
    .limit(page.pageSize)
    .offset((page.page - 1) * page.pageSize);
}

/**
 * The hulpvragen of a dossier the user may see, newest first, with the dossier itself — in ONE
 * query on the hot path (policy, page and total together); null when the dossier is not visible.
 */
export async function listVisibleHulpvragen(db: DbOrTx, user: Principal, dossierId: string, page: PageQuery): Promise<{ dossier: VisibleDossier; page: Page<HulpvraagSummary> } | null> {
  if (!isUuid(dossierId)) return null;
  const rows = await visibleHulpvragenPageQuery(db, user, dossierId, page);
  const first = rows[0];
  if (!first) {
    // No hulpvragen on this page: an empty dossier, a page past the end, or not visible at all.
    const dossier = await findVisibleDossier(db, user, dossierId);
    return dossier ? { dossier, page: await listHulpvragen(db, dossierId, page, user) } : null;
  }
  return {
    dossier: { id: dossierId, organisationId: first.organisationId, schoolId: first.schoolId, label: `${first.firstName} ${first.lastName}` },
    page: {
      items: rows.map((r) => ({ id: r.id, date: r.date, title: r.title, status: r.status, attachmentCount: Number(r.attachmentCount), visibleToParents: r.visibleToParents })),
      page: page.page, pageSize: page.pageSize, total: Number(first.total),
    },
  };
}

/** A dossier's hulpvragen, newest first (the caller has passed the policy for the dossier). */
async function listHulpvragen(db: DbOrTx, dossierId: string, page: PageQuery, user?: Principal): Promise<Page<HulpvraagSummary>> {
  const attachmentCount = sql<number>`(select count(*)::int from attachments a where a.hulpvraag_id = "hulpvragen"."id")`;
  const where = and(eq(hulpvragen.dossierId, dossierId), user ? parentsSeeOnlyShared(user, hulpvragen.visibleToParents) : undefined);
  const [items, [total]] = await Promise.all([
    db.select({ id: hulpvragen.id, date: hulpvragen.date, title: hulpvragen.title, status: hulpvragen.status, attachmentCount, visibleToParents: hulpvragen.visibleToParents })
      .from(hulpvragen).where(where)
      .orderBy(...newestFirst)
      .limit(page.pageSize).offset((page.page - 1) * page.pageSize),
    db.select({ n: count() }).from(hulpvragen).where(where),
  ]);
  return { items: items.map((i) => ({ ...i, attachmentCount: Number(i.attachmentCount) })), page: page.page, pageSize: page.pageSize, total: total?.n ?? 0 };
}

export async function getHulpvraag(db: DbOrTx, id: string): Promise<Hulpvraag> {
  const [row] = await db
    .select({
      id: hulpvragen.id, dossierId: hulpvragen.dossierId, date: hulpvragen.date, title: hulpvragen.title, status: hulpvragen.status,
      description: hulpvragen.description, labels: hulpvragen.labels, visibleToParents: hulpvragen.visibleToParents, coordinatorId: users.id, coordinatorName: users.displayName,
      anonymised: sql<boolean>`(${hulpvragen.anonymisedAt} is not null or ${dossiers.anonymisedAt} is not null)`,
    })
    .from(hulpvragen)
    .innerJoin(dossiers, eq(dossiers.id, hulpvragen.dossierId))
    .leftJoin(users, eq(users.id, hulpvragen.coordinatorId))
    .where(eq(hulpvragen.id, id));
  if (!row) throw new AppError('not_found', 'No hulpvraag with this id.');
  const files = await db.select(attachmentColumns).from(attachments).where(eq(attachments.hulpvraagId, id)).orderBy(asc(attachments.createdAt), asc(attachments.id));
  const { coordinatorId, coordinatorName, ...rest } = row;
  return { ...rest, coordinator: coordinatorId ? { id: coordinatorId, displayName: coordinatorName! } : null, attachments: files.map(toAttachmentView) };
}

/** A coordinator must be staff of the partnership (coordinator or admin) in the same organisation. */
async function checkCoordinator(db: DbOrTx, user: Actor, coordinatorId: string | null | undefined) {
  if (!coordinatorId) return;
  const [found] = await db.select({ id: users.id }).from(users)
    .where(and(eq(users.id, coordinatorId), eq(users.organisationId, user.organisationId), inArray(users.role, ['coordinator', 'admin']))).limit(1);
  if (!found) throw new AppError('validation_failed', 'coordinatorId: not a coordinator or admin of your organisation.', { errors: [{ path: 'coordinatorId', message: 'not a coordinator of this organisation' }] });
}

/** Today in the Netherlands, as YYYY-MM-DD. */
const today = (now: Date) => now.toLocaleDateString('sv-SE', { timeZone: 'Europe/Amsterdam' });

export async function createHulpvraag(db: DbOrTx, user: Actor, dossierId: string, input: HulpvraagCreate, now: Date): Promise<string> {
  await checkCoordinator(db, user, input.coordinatorId);
  const status = input.status ?? (await firstStatus(db, user.organisationId));
  if (input.status !== undefined) await checkStatus(db, user.organisationId, input.status);
  const [row] = await db
    .insert(hulpvragen)
    .values({
      organisationId: user.organisationId, dossierId, date: input.date ?? today(now), title: input.title, description: input.description ?? '',
      status, coordinatorId: input.coordinatorId ?? null, labels: input.labels ?? [], visibleToParents: input.visibleToParents ?? true, createdBy: user.id, createdAt: now, updatedAt: now,
    })
    .returning({ id: hulpvragen.id });
  await db.insert(hulpvraagStatusHistory).values({ hulpvraagId: row!.id, fromStatus: null, toStatus: status, changedBy: user.id, changedAt: now });
  return row!.id;
}

/** Edits a hulpvraag; a status change is kept in the history (who, when, from, to, note). */
export async function updateHulpvraag(db: DbOrTx, user: Actor, id: string, input: HulpvraagPatch, now: Date): Promise<{ from: string; to: string; titleChanged: boolean } | null> {
  await checkCoordinator(db, user, input.coordinatorId);
  if (input.status !== undefined) await checkStatus(db, user.organisationId, input.status);
  const [current] = await db.select({ status: hulpvragen.status, title: hulpvragen.title }).from(hulpvragen).where(eq(hulpvragen.id, id)).for('update');
  if (!current) throw new AppError('not_found', 'No hulpvraag with this id.');
  const { statusNote, ...fields } = input;
  await db.update(hulpvragen).set({ ...fields, updatedAt: now }).where(eq(hulpvragen.id, id));
  const titleChanged = input.title !== undefined && input.title !== current.title;
  if (input.status === undefined || input.status === current.status) return titleChanged ? { from: current.status, to: current.status, titleChanged } : null;
  await db.insert(hulpvraagStatusHistory).values({ hulpvraagId: id, fromStatus: current.status, toStatus: input.status, changedBy: user.id, note: statusNote ?? null, changedAt: now });
  return { from: current.status, to: input.status, titleChanged };
}

/** The status history of a hulpvraag, oldest first: who, when, from, to, note. */
export async function listStatusHistory(db: DbOrTx, hulpvraagId: string) {
  const rows = await db
    .select({
      at: hulpvraagStatusHistory.changedAt, byId: users.id, byName: users.displayName, from: hulpvraagStatusHistory.fromStatus, to: hulpvraagStatusHistory.toStatus, note: hulpvraagStatusHistory.note,
      kind: hulpvraagStatusHistory.kind, automatic: hulpvraagStatusHistory.automatic, ruleId: hulpvraagStatusHistory.ruleId, ruleName: hulpvraagStatusHistory.ruleName,
    })
    .from(hulpvraagStatusHistory)
    .leftJoin(users, eq(users.id, hulpvraagStatusHistory.changedBy))
    .where(eq(hulpvraagStatusHistory.hulpvraagId, hulpvraagId))
    .orderBy(asc(hulpvraagStatusHistory.changedAt), asc(hulpvraagStatusHistory.seq));
  return rows.map((r) => ({
    at: r.at.toISOString(), by: r.byId ? { id: r.byId, displayName: r.byName! } : null, from: r.from, to: r.to, note: r.note,
    kind: r.kind, automatic: r.automatic, rule: r.ruleName !== null ? { id: r.ruleId, name: r.ruleName } : null,
  }));
}
