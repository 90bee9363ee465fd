import { and, asc, count, eq, gt, inArray, isNull, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.ts';
import { apiTokens, dossiers, guardians, hulpvragen, schools, staffSchools, users, type Role } from '../../db/schema/index.ts';
import { dossierGrants, parentsSeeOnlyShared, visibleDossiers, visibleUsers, type DossierGrant, type Principal } from '../../authz/index.ts';
import { scopes, type Scope } from '../../authz/principal.ts';
import { actions, can, type Judged } from '../../authz/rules.ts';
import { isUuid } from '../../lib/openapi.ts';
import type { DossierRight, DossierRights, UserRights } from './schemas.ts';

/**
 * Rechten inzien (issue 11): who sees a dossier and why, and what an account sees and why. Not a
 * second copy of the rules: the grant of each role is `dossierGrants` (authz/visibility.ts, the
 * same table `visibleDossiers` filters with), read backwards; whether a principal may read a
 * dossier at all is `can(…, 'dossier.read')` (authz/rules.ts); which items a parent sees
 * is `parentsSeeOnlyShared`. Accounts that cannot sign in (invited, deactivated) see nothing and
 * are left out; so are revoked and expired API tokens.
 */

/** A person's session holds every scope; only the role limits it. */
const person = (role: Role): Judged => ({ kind: 'session', role, scopes });
const mayReadDossiers = (who: Judged) => can(who, 'dossier.read');
const onlyShared = (role: Principal['role']) => parentsSeeOnlyShared({ role }, hulpvragen.visibleToParents) !== undefined;

/** The person roles whose grant is `grant` and that may read dossiers at all. */
const rolesWith = (grant: DossierGrant): Role[] =>
  (Object.keys(dossierGrants) as Principal['role'][]).filter((r): r is Role => r !== 'service' && dossierGrants[r] === grant && mayReadDossiers(person(r)));

const personColumns = { id: users.id, displayName: users.displayName, role: users.role };

export async function dossierRights(db: DbOrTx, organisationId: string, dossierId: string, now: Date): Promise<DossierRights | null> {
  const [d] = await db
    .select({ id: dossiers.id, firstName: dossiers.firstName, lastName: dossiers.lastName, schoolId: dossiers.schoolId, brin: schools.brin, schoolName: schools.name })
    .from(dossiers)
    .innerJoin(schools, eq(schools.id, dossiers.schoolId))
    .where(and(eq(dossiers.id, dossierId), eq(dossiers.organisationId, organisationId)));
  if (!d) return null;
  const school = { brin: d.brin, name: d.schoolName };
  const active = and(eq(users.organisationId, organisationId), eq(users.status, 'active'));
  const byRole = (rs: Role[]) => (rs.length ? inArray(users.role, rs) : sql`false`);

  const [linked, staff, organisation, tokens] = await Promise.all([
    db.select(personColumns).from(users).innerJoin(guardians, eq(guardians.userId, users.id))
      .where(and(active, byRole(rolesWith('guardian')), eq(guardians.dossierId, d.id))).orderBy(asc(users.displayName)),
    db.select(personColumns).from(users).innerJoin(staffSchools, eq(staffSchools.userId, users.id))
      .where(and(active, byRole(rolesWith('school')), eq(staffSchools.schoolId, d.schoolId))).orderBy(asc(users.displayName)),
    db.select(personColumns).from(users).where(and(active, byRole(rolesWith('organisation')))).orderBy(asc(users.role), asc(users.displayName)),
    dossierGrants.service === 'organisation'
      ? db.select({ id: apiTokens.id, name: apiTokens.name, scopes: apiTokens.scopes }).from(apiTokens)
        .where(and(eq(apiTokens.organisationId, organisationId), isNull(apiTokens.revokedAt), gt(apiTokens.expiresAt, now))).orderBy(asc(apiTokens.name))
      : Promise.resolve([]),
  ]);

  const people = (rows: typeof linked, grant: DossierGrant): DossierRight[] =>
    rows.map((u) => ({ kind: 'user', id: u.id, displayName: u.displayName, role: u.role, grant, school: grant === 'school' ? school : null, scopes: null, onlyShared: onlyShared(u.role) }));
  const items: DossierRight[] = [
    ...people(linked, 'guardian'),
    ...people(staff, 'school'),
    ...people(organisation, 'organisation'),
    ...tokens
      .filter((t) => mayReadDossiers({ kind: 'token', role: 'service', scopes: t.scopes as Scope[] }))
      .map((t): DossierRight => ({ kind: 'token', id: t.id, displayName: t.name, role: 'service', grant: dossierGrants.service, school: null, scopes: t.scopes as Scope[], onlyShared: onlyShared('service') })),
  ];
  return { dossier: { id: d.id, name: `${d.firstName} ${d.lastName}`, school }, items };
}

/** What an account the viewer may see sees, and why (null: no such account, or not the viewer's to see). */
export async function userRights(db: DbOrTx, viewer: Principal, userId: string): Promise<UserRights | null> {
  if (!isUuid(userId)) return null;
  const [u] = await db.select().from(users).where(and(eq(users.id, userId), await visibleUsers(db, viewer)));
  if (!u || u.role === 'service') return null;
  const role = u.role;
  const seer = { role, organisationId: u.organisationId, user: { id: u.id } };
  const grant = dossierGrants[role];
  const readsDossiers = mayReadDossiers(person(role));
  const where = readsDossiers ? visibleDossiers(seer) : sql`false`;
  const [[total], listed, own] = await Promise.all([
    db.select({ n: count() }).from(dossiers).where(where),
    grant === 'organisation'
      ? Promise.resolve([])
      : db.select({ id: dossiers.id, firstName: dossiers.firstName, lastName: dossiers.lastName, birthDate: dossiers.birthDate, brin: schools.brin, schoolName: schools.name })
        .from(dossiers).innerJoin(schools, eq(schools.id, dossiers.schoolId)).where(where).orderBy(asc(dossiers.lastName), asc(dossiers.firstName)),
    grant === 'school'
      ? db.select({ brin: schools.brin, name: schools.name }).from(staffSchools).innerJoin(schools, eq(schools.id, staffSchools.schoolId)).where(eq(staffSchools.userId, u.id)).orderBy(asc(schools.name))
      : Promise.resolve([]),
  ]);
  return {
    user: { id: u.id, displayName: u.displayName, username: u.username, role, status: u.status },
    grant,
    schools: own,
    dossierCount: total?.n ?? 0,
    dossiers: listed.map((r) => ({ id: r.id, name: `${r.firstName} ${r.lastName}`, birthDate: r.birthDate, school: { brin: r.brin, name: r.schoolName } })),
    onlyShared: onlyShared(role),
    actions: actions.filter((a) => can(person(role), a)),
    canSignIn: u.status === 'active',
  };
}

const roleNames: Record<Principal['role'], string> = { parent: 'ouder/verzorger', school: 'schoolmedewerker', coordinator: 'coördinator', admin: 'beheerder', service: 'API-token' };

/** Why, in the staff's words (for the CSV; the panel words it itself, in its language). */
export function reasonOf(r: Pick<DossierRight, 'grant' | 'role' | 'school' | 'scopes'>): string {
  switch (r.grant) {
    case 'guardian': return 'gekoppeld als ouder/verzorger van dit kind';
    case 'school': return `medewerker van ${r.school ? `${r.school.name} (${r.school.brin})` : 'de school'}`;
    case 'organisation': return r.scopes ? `API-token met scope ${r.scopes.join(', ')}` : `rol ${roleNames[r.role]} in de organisatie`;
  }
}

export const roleName = (role: Principal['role']) => roleNames[role];
