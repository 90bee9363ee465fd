import { and, eq, sql, type SQL } from 'drizzle-orm';
import type { Context } from 'hono';
import { createMiddleware } from 'hono/factory';
import type { AppEnv, AuthUser } from '../../app-env.ts';
import type { DbOrTx } from '../../db/client.ts';
import type { AnyPgColumn } from 'drizzle-orm/pg-core';
import { attachments, dossierEntries, dossiers, hulpvragen, schools, staffSchools } from '../../db/schema/index.ts';
import { AppError } from '../../lib/errors.ts';
import { isUuid } from '../../lib/openapi.ts';
import { auditContext, recordAudit } from '../audit/service.ts';
import { requireStaff } from '../auth/middleware.ts';

/**
 * Who may see and change what: the ONE place. Every query for dossier data filters with
 * `visibleDossiers(user)`; nothing ever crosses organisations.
 * - parent: dossiers they are a guardian of
 * - school: dossiers of their own schools (staff_schools)
 * - coordinator, admin: every dossier of their organisation
 * (Column references are written out table-qualified: drizzle leaves them bare in single-table selects.)
 * Staff may change what they can see; parents change nothing. Invisible is 404, like nonexistent.
 */
export function visibleDossiers(user: AuthUser): SQL {
  const sameOrganisation = eq(dossiers.organisationId, user.organisationId);
  switch (user.role) {
    case 'parent':
      return and(sameOrganisation, sql`exists (select 1 from guardians g where g.dossier_id = "dossiers"."id" and g.user_id = ${user.id})`)!;
    case 'school':
      return and(sameOrganisation, sql`"dossiers"."school_id" in (select ss.school_id from staff_schools ss where ss.user_id = ${user.id})`)!;
    case 'coordinator':
    case 'admin':
      return sameOrganisation;
  }
}

export const isStaff = (user: AuthUser) => user.role !== 'parent';

/** Parents see only what staff marked *zichtbaar voor ouders*; staff see everything they may see. */
export function parentsSeeOnlyShared(user: AuthUser, visibleToParents: AnyPgColumn): SQL | undefined {
  return user.role === 'parent' ? eq(visibleToParents, true) : undefined;
}

/** May this staff member place a dossier at this school? (school staff: only their own schools) */
export async function mayUseSchool(db: DbOrTx, user: AuthUser, schoolId: string): Promise<boolean> {
  if (!isStaff(user)) return false;
  if (user.role !== 'school') return true;
  const rows = await db.select({ id: staffSchools.schoolId }).from(staffSchools).where(and(eq(staffSchools.userId, user.id), eq(staffSchools.schoolId, schoolId))).limit(1);
  return rows.length > 0;
}

/** Schools this user may search: school staff their own, coordinators and admins the organisation's. */
export function visibleSchools(user: AuthUser): SQL {
  const sameOrganisation = eq(schools.organisationId, user.organisationId);
  if (user.role !== 'school') return sameOrganisation;
  return and(sameOrganisation, sql`"schools"."id" in (select ss.school_id from staff_schools ss where ss.user_id = ${user.id})`)!;
}

export interface VisibleDossier { id: string; organisationId: string; schoolId: string; label: string }
export interface VisibleHulpvraag { id: string; dossierId: string; organisationId: string; title: string }
export interface VisibleAttachment { id: string; hulpvraagId: string | null; entryId: string | null; dossierId: string; filename: string }

export async function findVisibleDossier(db: DbOrTx, user: AuthUser, id: string): Promise<VisibleDossier | null> {
  if (!isUuid(id)) return null;
  const [row] = await db
    .select({ id: dossiers.id, organisationId: dossiers.organisationId, schoolId: dossiers.schoolId, firstName: dossiers.firstName, lastName: dossiers.lastName })
    .from(dossiers)
    .where(and(eq(dossiers.id, id), visibleDossiers(user)))
    .limit(1);
  return row ? { id: row.id, organisationId: row.organisationId, schoolId: row.schoolId, label: `${row.firstName} ${row.lastName}` } : null;
}

export async function findVisibleHulpvraag(db: DbOrTx, user: AuthUser, id: string): Promise<VisibleHulpvraag | null> {
  if (!isUuid(id)) return null;
  const [row] = await db
    .select({ id: hulpvragen.id, dossierId: hulpvragen.dossierId, organisationId: hulpvragen.organisationId, title: hulpvragen.title })
    .from(hulpvragen)
    .innerJoin(dossiers, eq(dossiers.id, hulpvragen.dossierId))
    .where(and(eq(hulpvragen.id, id), eq(hulpvragen.organisationId, user.organisationId), visibleDossiers(user), parentsSeeOnlyShared(user, hulpvragen.visibleToParents)))
    .limit(1);
  return row ?? null;
}

export async function findVisibleAttachment(db: DbOrTx, user: AuthUser, id: string): Promise<VisibleAttachment | null> {
  if (!isUuid(id)) return null;
  // The owner is a hulpvraag or a dossier entry (Aanpak, TLV, Overlegronde); parents see it only when its owner is shared.
  const [row] = await db
    .select({ id: attachments.id, hulpvraagId: attachments.hulpvraagId, entryId: attachments.entryId, dossierId: dossiers.id, filename: attachments.filename })
    .from(attachments)
    .leftJoin(hulpvragen, eq(hulpvragen.id, attachments.hulpvraagId))
    .leftJoin(dossierEntries, eq(dossierEntries.id, attachments.entryId))
    .innerJoin(dossiers, sql`"dossiers"."id" = coalesce(${hulpvragen.dossierId}, ${dossierEntries.dossierId})`)
    .where(and(
      eq(attachments.id, id), eq(attachments.organisationId, user.organisationId), visibleDossiers(user),
      user.role === 'parent' ? sql`coalesce(${hulpvragen.visibleToParents}, ${dossierEntries.visibleToParents}) = true` : undefined,
    ))
    .limit(1);
  return row ?? null;
}

type Finder<T> = (db: DbOrTx, user: AuthUser, id: string) => Promise<T | null>;

/**
 * Loads what the caller may see, or records the refusal in the audit log and answers 404
 * (the same for invisible, nonexistent and malformed ids).
 */
export async function loadVisible<T>(c: Context<AppEnv>, find: Finder<T>, id: string, audit: { action: string; subjectType: string }): Promise<T> {
  const found = await find(c.var.deps.db, c.var.user, id);
  return found ?? denyInvisible(c, id, audit);
}

/** Records a refused read of something invisible (or nonexistent) and answers 404. */
export async function denyInvisible(c: Context<AppEnv>, id: string, audit: { action: string; subjectType: string }): Promise<never> {
  await recordAudit(c.var.deps.db, { ...auditContext(c), action: audit.action, outcome: 'denied', subjectType: audit.subjectType, subjectId: id.slice(0, 100) });
  throw new AppError('not_found', `No ${audit.subjectType} with this id.`);
}

/**
 * Creating and editing dossiers and linking guardians: school staff and admins (DESIGN, roles).
 * Coordinators of the partnership work on hulpvragen, statuses and attachments, not on dossiers.
 * After `requireAuth`; a refusal is recorded and answered 403.
 */
export const dossierEditorsOnly = createMiddleware<AppEnv>(async (c, next) => {
  if (c.var.user.role !== 'school' && c.var.user.role !== 'admin') {
    await recordAudit(c.var.deps.db, { ...auditContext(c), action: `${c.req.method} ${c.req.routePath}`, outcome: 'denied', subjectType: 'route', detail: { reason: 'role' } });
    throw new AppError('forbidden', c.var.user.role === 'parent' ? 'Your role may not do this.' : 'Dossiers and guardians are managed by school staff and admins.');
  }
  await next();
});

/** `requireStaff`, with the refusal recorded in the audit log first. Use after `requireAuth`. */
export const staffOnly = createMiddleware<AppEnv>(async (c, next) => {
  if (!isStaff(c.var.user)) {
    await recordAudit(c.var.deps.db, { ...auditContext(c), action: `${c.req.method} ${c.req.routePath}`, outcome: 'denied', subjectType: 'route', detail: { reason: 'role' } });
  }
  return requireStaff(c, next);
});

/** Only these roles pass; a refusal is recorded in the audit log and answered 403. Use after `requireAuth`. */
export function rolesOnly(...roles: AuthUser['role'][]) {
  return createMiddleware<AppEnv>(async (c, next) => {
    if (!roles.includes(c.var.user.role)) {
      await recordAudit(c.var.deps.db, { ...auditContext(c), action: `${c.req.method} ${c.req.routePath}`, outcome: 'denied', subjectType: 'route', detail: { reason: 'role' } });
      throw new AppError('forbidden', 'Your role may not do this.');
    }
    await next();
  });
}

export const adminOnly = rolesOnly('admin');

/** A refused action on something the caller can see (403), recorded in the audit log. */
export async function refuse(c: Context<AppEnv>, action: string, subject: { type: string; id: string; dossierId?: string }, detail: string): Promise<never> {
  await recordAudit(c.var.deps.db, { ...auditContext(c), action, outcome: 'denied', subjectType: subject.type, subjectId: subject.id, dossierId: subject.dossierId ?? null, detail: { reason: detail } });
  throw new AppError('forbidden', detail);
}
