import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sessionPrincipal, type Principal } from '../../authz/index.ts';
import type { Database } from '../../db/client.ts';
import { createTestDatabase } from '../../../test/db.ts';
import { explain } from '../../../test/explain.ts';
import { seedStatuses } from '../statuses/service.ts';
import { linkGuardian, makeDossier, makeOrganisation, makeSchool, makeUser } from '../../../test/fixtures.ts';
import { visibleHulpvragenPageQuery } from './service.ts';
import { sessionStatementSql, tokenStatementSql } from './hot-list.ts';
import { sessionStaffListStatement, staffListCall, type StaffListQuery } from './staff-list.ts';

/**
 * The parents' hulpvragen list must read one page of `hulpvragen_dossier_date_idx` and never sort
 * the dossier's rows: a dossier with thousands of hulpvragen (the worst real case) makes a
 * forgotten `NULLS LAST` or a window count visible in the plan. Runs on PGlite and PostgreSQL
 * (both use PostgreSQL's planner).
 */
let database: Database;
const testSession = { id: '00000000-0000-4000-8000-000000000000', createdAt: new Date(), lastSeenAt: new Date(), expiresAt: new Date(), idleExpiresAt: new Date() };
let parent: Principal;
let coordinator: Principal;
let schoolStaff: Principal;
let dossierId: string;

beforeAll(async () => {
  database = await createTestDatabase();
  const { db } = database;
  const org = await makeOrganisation(db);
  const school = await makeSchool(db, org.id);
  const user = await makeUser(db, org.id, 'parent');
  const dossier = await makeDossier(db, org.id, school.id);
  const other = await makeDossier(db, org.id, school.id);
  await linkGuardian(db, dossier.id, user.id);
  dossierId = dossier.id;
  parent = sessionPrincipal({ id: user.id, username: user.username, displayName: user.displayName, email: user.email, role: 'parent', organisationId: org.id, organisation: { code: org.code, name: org.name } }, testSession);
  const staff = await makeUser(db, org.id, 'coordinator');
  coordinator = sessionPrincipal({ id: staff.id, username: staff.username, displayName: staff.displayName, email: staff.email, role: 'coordinator', organisationId: org.id, organisation: { code: org.code, name: org.name } }, testSession);
  const teacher = await makeUser(db, org.id, 'school');
  await db.execute(sql`insert into staff_schools (user_id, school_id) values (${teacher.id}, ${school.id})`);
  schoolStaff = sessionPrincipal({ id: teacher.id, username: teacher.username, displayName: teacher.displayName, email: teacher.email, role: 'school', organisationId: org.id, organisation: { code: org.code, name: org.name } }, testSession);
  await seedStatuses(db, org.id);
  for (const [id, n] of [[dossier.id, 5000], [other.id, 5000]] as const) {
    await db.execute(sql`insert into hulpvragen (organisation_id, dossier_id, date, title, status)
      select ${org.id}, ${id}, date '2020-01-01' + (g % 1500), 'Hulpvraag ' || g, (array['aanmelding','in behandeling','advies','afgerond'])[1 + g % 4]
      from generate_series(1, ${n}) g`);
  }
  // Staff hide some from parents: the parent's total must count the others from an index alone.
  await db.execute(sql`update hulpvragen set visible_to_parents = false where title like '%7'`);
  await db.execute(sql`vacuum analyze`);
}, 180_000);

afterAll(() => database?.close());

const plan = (page: number) => explain(database, visibleHulpvragenPageQuery(database.db, parent, dossierId, { page, pageSize: 20 }));

describe('hulpvragen list query plan', () => {
  it.each([1, 10])('page %i reads the index in order, with no sort and no window', async (page) => {
    const text = await plan(page);
    expect(text).toContain('hulpvragen_dossier_date_idx');
    expect(text).not.toMatch(/\bSort\b/);
    expect(text).not.toMatch(/WindowAgg/);
  });
});

describe("the parent's total", () => {
  it('is an index-only count of the hulpvragen parents may see', async () => {
    const text = await plan(1);
    expect(text).toContain('Index Only Scan using hulpvragen_dossier_parents_idx');
  });
});

describe('the one-statement list (hot-list.ts): page in index order; the total from the partial indexes alone', () => {
  const now = new Date().toISOString();
  const at = (sql: string, params: unknown[]) => explain(database, { toSQL: () => ({ sql, params }) });
  it.each([
    ['session', () => at(sessionStatementSql, ['no-such-token-hash', now, now, now, dossierId, 20, 0])],
    ['API token', () => at(tokenStatementSql, ['no-such-token-hash', now, now, '203.0.113.1', now, 0, 600, true, dossierId, 'dossiers:read', 20, 0])],
  ])('%s', async (_, plan) => {
    const text = await plan();
    expect(text).toContain('Index Scan using hulpvragen_dossier_date_idx on hulpvragen h');
    expect(text).not.toMatch(/\bSort\b/);
    expect(text).toContain('Index Only Scan using hulpvragen_dossier_parents_idx on hulpvragen c');
    expect(text).toContain('Index Only Scan using hulpvragen_dossier_hidden_idx on hulpvragen c');
    expect(text).not.toContain('Index Only Scan using hulpvragen_dossier_date_idx on hulpvragen c');
  });
});

/** Executions of `text` as a named prepared statement: how many used the cached generic plan, how many were planned anew. */
async function planCounts(name: string, text: string, literals: string): Promise<{ generic: number; custom: number }> {
  return database.db.transaction(async (tx) => {
    await tx.execute(sql.raw(`prepare ${name} as ${text}`));
    for (let i = 0; i < 8; i++) await tx.execute(sql.raw(`execute ${name}(${literals})`));
    const result = (await tx.execute(sql.raw(`select generic_plans::int as generic, custom_plans::int as custom from pg_prepared_statements where name = '${name}'`))) as unknown;
    await tx.execute(sql.raw(`deallocate ${name}`));
    return ((Array.isArray(result) ? result : (result as { rows: unknown[] }).rows) as { generic: number; custom: number }[])[0]!;
  });
}

describe('the one-statement lists are planned once per connection (no custom plan per execution)', () => {
  const now = new Date().toISOString();
  it.each([
    ['session', () => planCounts('session_plan_check', sessionStatementSql, `'no-such-token-hash', '${now}', '${now}', '${now}', '${dossierId}', 20, 0`)],
    ['API token', () => planCounts('token_plan_check', tokenStatementSql, `'no-such-token-hash', '${now}', '${now}', '203.0.113.1', '${now}', 0, 600, true, '${dossierId}', 'dossiers:read', 20, 0`)],
  ])('%s', async (_, counts) => {
    const { generic, custom } = await counts();
    expect(generic).toBeGreaterThanOrEqual(3);
    expect(custom).toBeLessThanOrEqual(5);
  });
});

/** EXPLAIN of the staff list's prepared statement for this caller and these filters. */
const staffPlan = (user: Principal, query: StaffListQuery) => {
  const { text, params } = staffListCall(user, query);
  return explain(database, { toSQL: () => ({ sql: text, params }) });
};

describe('staff list query plan (GET /hulpvragen, one prepared statement per role and filter)', () => {
  it.each([['in behandeling'], [undefined]])('status %s: one page in index order, no sort; the total does not join the dossiers', async (status) => {
    const text = await staffPlan(coordinator, { page: 3, pageSize: 20, status });
    expect(text).toMatch(new RegExp(`Index Scan using ${status ? 'hulpvragen_org_status_date_idx' : 'hulpvragen_org_date_idx'} on hulpvragen h`));
    expect(text).not.toMatch(/\bSort\b/);
    // The page joins the dossiers once; the count never (a whole organisation's worth of joins).
    expect(text.match(/ on dossiers /g)).toHaveLength(1);
    // With a status: an index-only count; without, the whole organisation (here the whole table,
    // so a sequential scan is right).
    if (status) expect(text).toContain('Index Only Scan using hulpvragen_org_status_date_idx on hulpvragen c');
  });

  it.each([['in behandeling'], [undefined]])('school staff, status %s: one page in index order, no sort', async (status) => {
    const text = await staffPlan(schoolStaff, { page: 3, pageSize: 20, status });
    expect(text).toMatch(new RegExp(`Index Scan using ${status ? 'hulpvragen_org_status_date_idx' : 'hulpvragen_org_date_idx'} on hulpvragen h`));
    expect(text).not.toMatch(/\bSort\b/);
  });

  it.each([['in behandeling'], [undefined]])('with the session check in the statement, status %s: the same index in order, no sort', async (status) => {
    const now = new Date();
    const params = ['no-such-token-hash', now.toISOString(), now.toISOString(), now.toISOString(), 20, 40, ...(status ? [status] : [])];
    const text = await explain(database, { toSQL: () => ({ sql: sessionStaffListStatement({ status: status !== undefined, mine: false }), params }) });
    expect(text).toMatch(new RegExp(`Index Scan using ${status ? 'hulpvragen_org_status_date_idx' : 'hulpvragen_org_date_idx'} on hulpvragen h`));
    expect(text).not.toMatch(/\bSort\b/);
    if (status) expect(text).toContain('Index Only Scan using hulpvragen_org_status_date_idx on hulpvragen c');
  });

  it('is planned once per connection: PostgreSQL keeps the generic plan (no custom plan per execution)', async () => {
    // A bare `limit $n` made every execution a custom plan (0.8 ms of planning each, staff-list.ts).
    const rows = await database.db.transaction(async (tx) => {
      await tx.execute(sql.raw(`prepare staff_plan_check as ${sessionStaffListStatement({ status: true, mine: false })}`));
      const now = new Date().toISOString();
      for (let i = 0; i < 8; i++) await tx.execute(sql.raw(`execute staff_plan_check('no-such-token-hash', '${now}', '${now}', '${now}', 20, 40, 'in behandeling')`));
      const result = (await tx.execute(sql`select generic_plans::int as generic, custom_plans::int as custom from pg_prepared_statements where name = 'staff_plan_check'`)) as unknown;
      await tx.execute(sql`deallocate staff_plan_check`);
      return (Array.isArray(result) ? result : (result as { rows: unknown[] }).rows) as { generic: number; custom: number }[];
    });
    expect(rows[0]!.generic).toBeGreaterThanOrEqual(3);
    expect(rows[0]!.custom).toBeLessThanOrEqual(5);
  });
});
