import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sessionPrincipal, type Principal } from '../../authz/index.ts';
import type { Database } from '../../db/client.ts';
import { createTestDatabase } from '../../../test/db.ts';
import { explain } from '../../../test/explain.ts';
import { makeDossier, makeOrganisation, makeSchool, makeUser } from '../../../test/fixtures.ts';
import { dossierPageQueryFor, listDossiers } from './service.ts';

/**
 * The staff's free search `q` (`ILIKE '%term%'` on first name, last name and school name, or the
 * BRIN) must read the trigram indexes of the names (pg_trgm, GIN) — not every dossier of the
 * organisation, which cost ≈230 ms of PostgreSQL CPU per search at 100 000 dossiers. Runs on PGlite
 * and PostgreSQL (the same planner; PGlite loads pg_trgm when it opens).
 */
let database: Database;
const testSession = { id: '00000000-0000-4000-8000-000000000000', createdAt: new Date(), lastSeenAt: new Date(), expiresAt: new Date(), idleExpiresAt: new Date() };
let coordinator: Principal;
let school: Principal;
let brin: string;

const principal = (user: Awaited<ReturnType<typeof makeUser>>, org: Awaited<ReturnType<typeof makeOrganisation>>) =>
  sessionPrincipal({ id: user.id, username: user.username, displayName: user.displayName, email: user.email, role: user.role, organisationId: org.id, organisation: { code: org.code, name: org.name } }, testSession);

beforeAll(async () => {
  database = await createTestDatabase();
  const { db } = database;
  const org = await makeOrganisation(db);
  const other = await makeOrganisation(db);
  const schoolA = await makeSchool(db, org.id, { name: 'Basisschool De Regenboog' });
  const schoolB = await makeSchool(db, org.id, { name: 'Kindcentrum Het Anker' });
  const otherSchool = await makeSchool(db, other.id, { name: 'Regenboog elders' });
  brin = schoolB.brin;
  // 20 000 dossiers with names of random letters (realistic trigram spread), and a few to find.
  await db.execute(sql`insert into dossiers (organisation_id, school_id, first_name, last_name, birth_date)
    select ${org.id}, case when g % 50 = 0 then ${schoolA.id}::uuid else ${schoolB.id}::uuid end,
      initcap(substr(md5(g::text), 1, 6)), initcap(substr(md5((g * 7)::text), 1, 9)), date '2012-01-01' + (g % 3000)
    from generate_series(1, 20000) g`);
  for (const [firstName, lastName] of [['Daan', 'de Vries'], ['Vera', 'Fries-Jansen'], ['Vries', 'Bakker']]) await makeDossier(db, org.id, schoolB.id, { firstName, lastName });
  await makeDossier(db, other.id, otherSchool.id, { firstName: 'Anne', lastName: 'de Vries' }); // another organisation
  const staff = await makeUser(db, org.id, 'school');
  await db.execute(sql`insert into staff_schools (user_id, school_id) values (${staff.id}, ${schoolA.id})`);
  school = principal(staff, org);
  coordinator = principal(await makeUser(db, org.id, 'coordinator'), org);
  await db.execute(sql`vacuum analyze`);
}, 180_000);

afterAll(() => database?.close());

const search = (who: Principal, q: string) => listDossiers(database.db, who, { q }, { page: 1, pageSize: 20 });

describe('dossier search `q` query plan', () => {
  it.each([['vries'], ['Jansen'], ['de v']])('"%s" reads the trigram indexes of both names, never every dossier', async (q) => {
    const { query } = await dossierPageQueryFor(database.db, coordinator, { q }, { page: 1, pageSize: 20 });
    const text = await explain(database, query);
    expect(text).toContain('dossiers_first_name_trgm_idx');
    expect(text).toContain('dossiers_last_name_trgm_idx');
    expect(text).toMatch(/BitmapOr/);
    expect(text).not.toMatch(/Seq Scan on dossiers/);
  });

  it('a term that matches a school adds its dossiers by `dossiers_school_idx` to the same BitmapOr', async () => {
    const { query } = await dossierPageQueryFor(database.db, coordinator, { q: 'regenboog' }, { page: 1, pageSize: 20 });
    const text = await explain(database, query);
    expect(text).toMatch(/BitmapOr/);
    expect(text).toContain('dossiers_school_idx');
    expect(text).toContain('dossiers_last_name_trgm_idx');
    expect(text).not.toMatch(/Seq Scan on dossiers/);
  });
});

describe('dossier search `q` results (as before the indexes)', () => {
  it('matches part of a first or last name in any case, within the organisation', async () => {
    const found = await search(coordinator, 'VRIES');
    expect([found.total, found.items.map((d) => `${d.firstName} ${d.lastName}`)]).toEqual([2, ['Vries Bakker', 'Daan de Vries']]);
    expect((await search(coordinator, 'ies-jan')).items.map((d) => d.lastName)).toEqual(['Fries-Jansen']);
    expect((await search(coordinator, 'vries jansen')).total).toBe(0); // one term, not words
  });

  it('matches the school by part of its name or its whole BRIN, and short terms by a scan', async () => {
    expect((await search(coordinator, 'regenboog')).total).toBe(400); // every 50th of the 20 000; not the other organisation's school
    const byBrin = (await search(coordinator, brin.toLowerCase())).total; // all of school B (and a name that might contain it)
    expect(byBrin).toBeGreaterThanOrEqual(20000 - 400 + 3);
    expect(byBrin).toBeLessThan(20000);
    expect((await search(school, 'regenboog')).total).toBe(400);
    expect((await search(school, 'vries')).total).toBe(0); // school staff: their own school only
    const short = await search(coordinator, 'ba');
    const expected = await database.db.execute(sql`select count(*)::int as n from dossiers d join schools s on s.id = d.school_id
      where d.organisation_id = ${coordinator.organisationId} and (d.first_name ilike '%ba%' or d.last_name ilike '%ba%' or s.name ilike '%ba%')`);
    const n = ((expected as unknown as { rows?: { n: number }[] }).rows ?? (expected as unknown as { n: number }[]))[0]!.n;
    expect(n).toBeGreaterThan(400);
    expect(short.total).toBe(n);
  });
});
