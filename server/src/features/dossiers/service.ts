import { and, asc, count, eq, ilike, inArray, or, sql, type SQL } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.ts';
import { dossiers, guardians, schools, users } from '../../db/schema/index.ts';
import { AppError } from '../../lib/errors.ts';
import type { Page, PageQuery } from '../../lib/openapi.ts';
import { mayLinkParent, visibleDossiers, type Actor, type Principal } from '../../authz/index.ts';
import type { Dossier, DossierCreate, DossierPatch, DossierSummary } from './schemas.ts';

export interface DossierFilters { q?: string | undefined; name?: string | undefined; birthDate?: string | undefined; school?: string | undefined }

/** `%`, `_` and `\` in a search term are literal. */
export const likePattern = (q: string) => `%${q.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;

const summaryColumns = {
  id: dossiers.id,
  firstName: dossiers.firstName,
  lastName: dossiers.lastName,
  birthDate: dossiers.birthDate,
  school: { brin: schools.brin, name: schools.name },
  anonymised: sql<boolean>`${dossiers.anonymisedAt} is not null`,
};

/** The conditions of a search or list: visibility first, then each filter given. */
async function dossierConditions(db: DbOrTx, user: Principal, filters: DossierFilters): Promise<SQL | undefined> {
  const conditions: SQL[] = [visibleDossiers(user)];
  const term = filters.q?.trim();
  if (term) {
    // Part of the first or last name (any case), served by their trigram indexes from 3 characters
    // on (shorter terms scan); or part of the school's name, or its BRIN. The few matching schools
    // are looked up first, so the planner sees their ids (usually none): a subquery's array of
    // unknown length is estimated at a quarter of the dossiers, and the search planned as a scan.
    const p = likePattern(term);
    const matchingSchools = await db.select({ id: schools.id }).from(schools)
      .where(and(eq(schools.organisationId, user.organisationId), or(ilike(schools.name, p), eq(schools.brin, term.toUpperCase()))));
    const bySchool = matchingSchools.length ? [inArray(dossiers.schoolId, matchingSchools.map((s) => s.id))] : [];
    conditions.push(or(ilike(dossiers.firstName, p), ilike(dossiers.lastName, p), ...bySchool)!);
  }
  // Each word starts the first or the last name: `lower(..) like 'w%'` uses the prefix indexes.
  for (const word of (filters.name ?? '').toLowerCase().split(/\s+/).filter(Boolean)) {
    const p = `${word.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;
    conditions.push(or(sql`lower(${dossiers.firstName}) like ${p}`, sql`lower(${dossiers.lastName}) like ${p}`)!);
  }
  if (filters.birthDate) conditions.push(eq(dossiers.birthDate, filters.birthDate));
  // The school as a value known before the scan (an InitPlan), so `dossiers_school_idx` serves it.
  if (filters.school?.trim()) {
    conditions.push(sql`${dossiers.schoolId} = (select s.id from schools s where s.organisation_id = ${user.organisationId} and s.brin = ${filters.school.trim().toUpperCase()})`);
  }
  return and(...conditions);
}

/**
 * One page of dossiers in name order, for these conditions. With a search `q` each row carries the
 * total of the matches (a window count): a search reads its matches anyway, so ONE query gives page
 * and total.
 */
function dossierPageQuery(db: DbOrTx, filters: DossierFilters, where: SQL | undefined, page: PageQuery) {
  // With a selective filter, sort the few matches (`|| ''` hides the name order of the index);
  // otherwise PostgreSQL walks the name index hoping for early matches — slow for "Jansen" at 100 000.
  const selective = Boolean(filters.q?.trim() || filters.name?.trim() || filters.birthDate);
  const byLastName = selective ? sql`${dossiers.lastName} || ''` : dossiers.lastName;
  const windowTotal = filters.q?.trim() ? sql<number>`count(*) over ()` : sql<number>`null`;
  return db.select({ ...summaryColumns, total: windowTotal }).from(dossiers).innerJoin(schools, eq(schools.id, dossiers.schoolId)).where(where)
    .orderBy(asc(byLastName), asc(dossiers.firstName), asc(dossiers.id))
    .limit(page.pageSize).offset((page.page - 1) * page.pageSize);
}

/** The page query of a search or list, not run (for `EXPLAIN` in the plan check). */
export async function dossierPageQueryFor(db: DbOrTx, user: Principal, filters: DossierFilters, page: PageQuery) {
  return { query: dossierPageQuery(db, filters, await dossierConditions(db, user, filters), page) };
}

export async function listDossiers(db: DbOrTx, user: Principal, filters: DossierFilters, page: PageQuery): Promise<Page<DossierSummary>> {
  const where = await dossierConditions(db, user, filters);
  let rows: Awaited<ReturnType<typeof dossierPageQuery>>;
  let total: number;
  if (filters.q?.trim()) {
    rows = await dossierPageQuery(db, filters, where, page);
    // Only a page past the end has no row to carry the total.
    total = rows[0] ? Number(rows[0].total) : page.page > 1 ? await countDossiers(db, where) : 0;
  } else {
    [rows, total] = await Promise.all([dossierPageQuery(db, filters, where, page), countDossiers(db, where)]);
  }
  return { items: rows.map(({ total: _, ...item }) => item), page: page.page, pageSize: page.pageSize, total };
}

async function countDossiers(db: DbOrTx, where: SQL | undefined): Promise<number> {
  const [row] = await db.select({ n: count() }).from(dossiers).innerJoin(schools, eq(schools.id, dossiers.schoolId)).where(where);
  return row?.n ?? 0;
}

/** One dossier by id (the caller has passed the policy already). */
export async function getDossier(db: DbOrTx, id: string): Promise<Dossier> {
  const [row] = await db.select({ ...summaryColumns, schoolGroup: dossiers.schoolGroup, contactName: dossiers.contactName, contactEmail: dossiers.contactEmail }).from(dossiers).innerJoin(schools, eq(schools.id, dossiers.schoolId)).where(eq(dossiers.id, id));
  if (!row) throw new AppError('not_found', 'No dossier with this id.');
  const linked = await db
    .select({ id: users.id, displayName: users.displayName })
    .from(guardians)
    .innerJoin(users, eq(users.id, guardians.userId))
    .where(eq(guardians.dossierId, id))
    .orderBy(asc(users.displayName), asc(users.id));
  return { ...row, guardians: linked };
}

/** The school with this BRIN in the user's organisation, or 400. */
export async function findSchoolByBrin(db: DbOrTx, user: Actor, brin: string) {
  const [school] = await db.select().from(schools).where(and(eq(schools.organisationId, user.organisationId), eq(schools.brin, brin.toUpperCase()))).limit(1);
  if (!school) throw new AppError('validation_failed', 'schoolBrin: no school with this BRIN in your organisation.', { errors: [{ path: 'schoolBrin', message: 'unknown school' }] });
  return school;
}

export async function createDossier(db: DbOrTx, user: Actor, schoolId: string, input: DossierCreate): Promise<Dossier> {
  const [row] = await db
    .insert(dossiers)
    .values({
      organisationId: user.organisationId, schoolId, firstName: input.firstName, lastName: input.lastName, birthDate: input.birthDate,
      schoolGroup: input.schoolGroup ?? '', contactName: input.contactName ?? '', contactEmail: input.contactEmail ?? '',
    })
    .returning({ id: dossiers.id });
  return getDossier(db, row!.id);
}

export async function updateDossier(db: DbOrTx, id: string, schoolId: string | undefined, input: DossierPatch, now: Date): Promise<Dossier> {
  const { schoolBrin: _, ...fields } = input;
  await db.update(dossiers).set({ ...fields, ...(schoolId ? { schoolId } : {}), updatedAt: now }).where(eq(dossiers.id, id));
  return getDossier(db, id);
}

/**
 * Links a parent of the same organisation; linking twice is a no-op. School staff may link only a
 * parent who is a guardian nowhere yet or already at one of their schools (authz `mayLinkParent`);
 * any other parent — and, for them, an unknown id — is 404, so nothing tells that the parent exists.
 */
export async function linkGuardian(db: DbOrTx, principal: Principal, dossierId: string, userId: string): Promise<void> {
  const [parent] = await db
    .select({ id: users.id })
    .from(users)
    .where(and(eq(users.id, userId), eq(users.organisationId, principal.organisationId), eq(users.role, 'parent')))
    .limit(1);
  if (principal.role === 'school' && !(parent && (await mayLinkParent(db, principal, parent.id)))) throw new AppError('not_found', 'userId: no parent with this id that you may link.');
  if (!parent) throw new AppError('validation_failed', 'userId: no parent account with this id in your organisation.', { errors: [{ path: 'userId', message: 'not a parent of this organisation' }] });
  await db.insert(guardians).values({ dossierId, userId }).onConflictDoNothing();
}

/** Unlinks a guardian; 404 when they were not linked. Effective on the very next request (no cache). */
export async function unlinkGuardian(db: DbOrTx, dossierId: string, userId: string): Promise<void> {
  const removed = await db.delete(guardians).where(and(eq(guardians.dossierId, dossierId), eq(guardians.userId, userId))).returning({ userId: guardians.userId });
  if (removed.length === 0) throw new AppError('not_found', 'This parent is not linked to the dossier.');
}
