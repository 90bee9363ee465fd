import { and, eq, inArray, sql, type SQL } from 'drizzle-orm';
import type { Context } from 'hono';
import type { DbOrTx } from '../db/client.ts';
import type { AnyPgColumn, PgSelect } from 'drizzle-orm/pg-core';
import { attachments, dossierEntries, dossiers, guardians, hulpvragen, schools, staffSchools, users } from '../db/schema/index.ts';
import { auditContext, recordAudit } from '../features/audit/service.ts';
import { AppError } from '../lib/errors.ts';
import { isUuid } from '../lib/openapi.ts';
import type { AuthEnv } from './authenticate.ts';
import type { Principal } from './principal.ts';

/**
 * DESIGN: which rows a principal may see. Every query for dossier data filters with
 * `visibleDossiers(principal)`; nothing ever crosses organisations.
 * - parent: dossiers they are a guardian of
 * - school: dossiers of their own schools (staff_schools)
 * - coordinator, admin, and an API token (the service account): every dossier of the organisation
 * Invisible answers 404, like nonexistent. (Column references are written out table-qualified:
 * drizzle leaves them bare in single-table selects.)
 */
export function visibleDossiers(principal: Seer): SQL {
  const sameOrganisation = eq(dossiers.organisationId, principal.organisationId);
  switch (dossierGrants[principal.role]) {
    case 'guardian':
      return and(sameOrganisation, sql`exists (select 1 from guardians g where g.dossier_id = "dossiers"."id" and g.user_id = ${principal.user.id})`)!;
    case 'school':
      return and(sameOrganisation, sql`"dossiers"."school_id" in (select ss.school_id from staff_schools ss where ss.user_id = ${principal.user.id})`)!;
    case 'organisation':
      return sameOrganisation;
  }
}

/** Why a principal sees a dossier: linked as its guardian, staff of its school, or by role in its organisation. */
export type DossierGrant = 'guardian' | 'school' | 'organisation';

/**
 * The one statement of which grant each role has, read both ways: `visibleDossiers` filters with
 * it, and the rights view (features/rights) inverts it to list who sees a dossier and why.
 */
export const dossierGrants = {
  parent: 'guardian',
  school: 'school',
  coordinator: 'organisation',
  admin: 'organisation',
  service: 'organisation',
} as const satisfies Record<Principal['role'], DossierGrant>;

/** What the visibility filters look at of a principal (the caller's, or another's in the rights view). */
export interface Seer { role: Principal['role']; organisationId: string; user: { id: string } }

/** Schools this principal may search: school staff their own, everyone else the organisation's. */
export function visibleSchools(principal: Principal): SQL {
  const sameOrganisation = eq(schools.organisationId, principal.organisationId);
  if (principal.role !== 'school') return sameOrganisation;
  return and(sameOrganisation, sql`"schools"."id" in (select ss.school_id from staff_schools ss where ss.user_id = ${principal.user.id})`)!;
}

/** May this principal place a dossier at this school? (school staff: only their own schools) */
export async function mayUseSchool(db: DbOrTx, principal: Principal, schoolId: string): Promise<boolean> {
  if (principal.role === 'parent') return false;
  if (principal.role !== 'school') return true;
  const rows = await db.select({ id: staffSchools.schoolId }).from(staffSchools).where(and(eq(staffSchools.userId, principal.user.id), eq(staffSchools.schoolId, schoolId))).limit(1);
  return rows.length > 0;
}

/** The ids of the schools a staff member of role `school` belongs to. */
async function ownSchoolIds(db: DbOrTx, userId: string): Promise<string[]> {
  return (await db.select({ id: staffSchools.schoolId }).from(staffSchools).where(eq(staffSchools.userId, userId))).map((r) => r.id);
}

/**
 * The accounts a principal may see (and, with the right action, manage): admins every person of
 * the organisation; coordinators and API tokens every person but admins; school staff the parents
 * of their own schools' children; parents nobody. Service accounts are never listed or managed.
 */
export async function visibleUsers(db: DbOrTx, principal: Principal): Promise<SQL> {
  const people = and(eq(users.organisationId, principal.organisationId), sql`${users.role} <> 'service'`)!;
  switch (principal.role) {
    case 'admin':
      return people;
    case 'coordinator':
    case 'service':
      return and(people, sql`${users.role} <> 'admin'`)!;
    case 'parent':
      return sql`false`;
    case 'school': {
      const own = await ownSchoolIds(db, principal.user.id);
      if (own.length === 0) return sql`false`;
      const parentIds = db.select({ id: guardians.userId }).from(guardians).innerJoin(dossiers, eq(dossiers.id, guardians.dossierId)).where(inArray(dossiers.schoolId, own));
      return and(people, eq(users.role, 'parent'), inArray(users.id, parentIds))!;
    }
  }
}

/**
 * May this principal link this parent (same organisation, checked by the caller) to a dossier?
 * School staff: only a parent who is a guardian nowhere yet, or already a guardian of a dossier
 * at one of their own schools — linking must not make another school's parent "theirs" (e-mail
 * shown, deactivate, reset 2FA through `visibleUsers`). Others who may link (`guardian.link`): any.
 */
export async function mayLinkParent(db: DbOrTx, principal: Principal, parentId: string): Promise<boolean> {
  if (principal.role !== 'school') return true;
  const own = new Set(await ownSchoolIds(db, principal.user.id));
  const links = await db.select({ schoolId: dossiers.schoolId }).from(guardians).innerJoin(dossiers, eq(dossiers.id, guardians.dossierId)).where(eq(guardians.userId, parentId));
  return links.length === 0 || links.some((l) => own.has(l.schoolId));
}

export interface VisibleDossier { id: string; organisationId: string; schoolId: string; label: string; anonymised?: boolean }
export interface VisibleHulpvraag { id: string; dossierId: string; organisationId: string; title: string; anonymised?: boolean }
export interface VisibleAttachment { id: string; hulpvraagId: string | null; entryId: string | null; dossierId: string; filename: string }

/**
 * Which items of the dossier tabs (Aanpak, TLV, Overlegronde) a principal sees, on top of
 * `visibleDossiers` — the one place that decides it, for lists, single items, their attachments
 * and anything else that shows them (search, exports):
 * - an archived TLV (TLV archiveren) leaves every list; only an admin who asks for it
 *   (`includeArchived`) sees it;
 * - a closed Overlegronde (besloten deelname) is seen only by the staff and guardians invited to it
 *   (`entry_participants`) — not by other staff, not by an admin who is not invited, never by a token;
 * - parents see the Aanpak and TLV items staff shared, and a closed Overlegronde they are invited
 *   to; an open Overlegronde stays with staff.
 */
export function visibleEntries(principal: Principal, options: { includeArchived?: boolean } = {}): SQL {
  const e = sql.raw('"dossier_entries"');
  const invited = sql`exists (select 1 from entry_participants ep where ep.entry_id = ${e}."id" and ep.user_id = ${principal.user.id})`;
  const archived = options.includeArchived && principal.role === 'admin' ? sql`true` : sql`${e}."archived_at" is null`;
  const byRole = principal.role === 'parent'
    ? sql`((${e}."kind" <> 'overleg' and ${e}."visible_to_parents") or (${e}."kind" = 'overleg' and ${e}."closed" and ${invited}))`
    : sql`(${e}."kind" <> 'overleg' or not ${e}."closed" or ${invited})`;
  return sql`(${archived} and ${byRole})`;
}

/** Parents see only what staff marked *zichtbaar voor ouders*; staff and tokens see everything they may see. */
export function parentsSeeOnlyShared(principal: Pick<Principal, 'role'>, visibleToParents: AnyPgColumn): SQL | undefined {
  return principal.role === 'parent' ? eq(visibleToParents, true) : undefined;
}

export async function findVisibleDossier(db: DbOrTx, principal: Principal, id: string): Promise<VisibleDossier | null> {
  if (!isUuid(id)) return null;
  const [row] = await db
    .select({ id: dossiers.id, organisationId: dossiers.organisationId, schoolId: dossiers.schoolId, firstName: dossiers.firstName, lastName: dossiers.lastName, anonymisedAt: dossiers.anonymisedAt })
    .from(dossiers)
    .where(and(eq(dossiers.id, id), visibleDossiers(principal)))
    .limit(1);
  return row ? { id: row.id, organisationId: row.organisationId, schoolId: row.schoolId, label: `${row.firstName} ${row.lastName}`.trim(), anonymised: row.anonymisedAt !== null } : null;
}

export async function findVisibleHulpvraag(db: DbOrTx, principal: Principal, id: string): Promise<VisibleHulpvraag | null> {
  if (!isUuid(id)) return null;
  const [row] = await db
    .select({ id: hulpvragen.id, dossierId: hulpvragen.dossierId, organisationId: hulpvragen.organisationId, title: hulpvragen.title, anonymised: sql<boolean>`(${hulpvragen.anonymisedAt} is not null or ${dossiers.anonymisedAt} is not null)` })
    .from(hulpvragen)
    .innerJoin(dossiers, eq(dossiers.id, hulpvragen.dossierId))
    .where(and(eq(hulpvragen.id, id), visibleHulpvragen(principal)))
    .limit(1);
  return row ?? null;
}

export async function findVisibleAttachment(db: DbOrTx, principal: Principal, id: string): Promise<VisibleAttachment | null> {
  if (!isUuid(id)) return null;
  const query = db.select({ id: attachments.id, hulpvraagId: attachments.hulpvraagId, entryId: attachments.entryId, dossierId: sql<string>`${dossiers.id}`, filename: attachments.filename }).from(attachments).$dynamic();
  const [row] = await onlyVisibleAttachment(query, principal, id);
  return row ?? null;
}

/**
 * A select `from(attachments)` (`$dynamic()`) narrowed to attachment `id` when `principal` sees it:
 * its owner (a hulpvraag or a dossier entry: Aanpak, TLV, Overlegronde; parents see it only when
 * the owner is shared) and its `dossiers` row joined, so the select may name their columns. For
 * `findVisibleAttachment` and the download's prepared statement (which wants more of the row).
 */
export function onlyVisibleAttachment<T extends PgSelect>(query: T, principal: Principal, id: string) {
  return query
    .leftJoin(hulpvragen, eq(hulpvragen.id, attachments.hulpvraagId))
    .leftJoin(dossierEntries, eq(dossierEntries.id, attachments.entryId))
    .innerJoin(dossiers, sql`"dossiers"."id" = coalesce(${hulpvragen.dossierId}, ${dossierEntries.dossierId})`)
    .where(and(eq(attachments.id, id), visibleAttachments(principal)))
    .limit(1);
}

/**
 * Which attachments a principal sees: its dossier visible, and its owner — a hulpvraag (parents: only
 * one shared with them) or an item (`visibleEntries`). For a select of `attachments` left-joined to
 * `hulpvragen` and `dossier_entries` and joined to its `dossiers` row (as in `onlyVisibleAttachment`).
 */
export function visibleAttachments(principal: Principal): SQL {
  return and(
    eq(attachments.organisationId, principal.organisationId), visibleDossiers(principal),
    principal.role === 'parent'
      ? sql`(${hulpvragen.visibleToParents} = true or (${attachments.entryId} is not null and ${visibleEntries(principal, { includeArchived: true })}))`
      : sql`(${attachments.entryId} is null or ${visibleEntries(principal, { includeArchived: true })})`,
  )!;
}

/** Which hulpvragen a principal sees (parents: only those shared with them); for a select of `hulpvragen` joined to its `dossiers` row. */
export function visibleHulpvragen(principal: Principal): SQL {
  return and(eq(hulpvragen.organisationId, principal.organisationId), visibleDossiers(principal), parentsSeeOnlyShared(principal, hulpvragen.visibleToParents))!;
}

type Finder<T> = (db: DbOrTx, principal: Principal, id: string) => Promise<T | null>;

/**
 * Loads what the caller may see, or records the refusal in the audit log and answers 404
 * (the same for invisible, nonexistent and malformed ids).
 */
export async function loadVisible<T>(c: Context<AuthEnv>, find: Finder<T>, id: string, audit: { action: string; subjectType: string }): Promise<T> {
  const found = await find(c.var.deps.db, c.var.principal, id);
  return found ?? denyInvisible(c, id, audit);
}

/**
 * An anonymised dossier or hulpvraag is read-only for good: every change answers 409 (the
 * refusal is audited). `subject` is what `findVisibleDossier`/`findVisibleHulpvraag` returned.
 */
export async function refuseIfAnonymised(c: Context<AuthEnv>, subject: { id: string; anonymised?: boolean }, action: string): Promise<void> {
  if (!subject.anonymised) return;
  await recordAudit(c.var.deps.db, { ...auditContext(c), action, outcome: 'denied', subjectType: 'anonymised', subjectId: subject.id, detail: { reason: 'anonymised' } });
  throw new AppError('conflict', 'This dossier or hulpvraag is anonymised and can no longer be changed.');
}

/** Records a refused read of something invisible (or nonexistent) and answers 404. */
export async function denyInvisible(c: Context<AuthEnv>, id: string, audit: { action: string; subjectType: string }): Promise<never> {
  await recordAudit(c.var.deps.db, { ...auditContext(c), action: audit.action, outcome: 'denied', subjectType: audit.subjectType, subjectId: id.slice(0, 100) });
  throw new AppError('not_found', `No ${audit.subjectType} with this id.`);
}
