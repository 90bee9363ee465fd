import { sql, type SQL } from 'drizzle-orm';
import { PgDialect } from 'drizzle-orm/pg-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../db/client.ts';
import { createTestDatabase } from '../../../test/db.ts';
import { explain } from '../../../test/explain.ts';
import { makeOrganisation, makeSchool } from '../../../test/fixtures.ts';
import { recomputeStatusFacts } from '../hulpvragen/status-facts.ts';
import { byStatusQuery, bySchoolQuery, doorlooptijdQuery, perMonthQuery, resolveFilters, tlvExpiringQuery, type Filters } from './service.ts';

/**
 * The Kengetallen must stay set-based and read their indexes: an organisation with 20 000
 * hulpvragen over ten years (three rows of Status informatie each, their facts on the hulpvraag) and a second organisation
 * as large, so that a lost index or an organisation filter applied too late shows in the plan.
 * (bench/kengetallen.bench.ts times the same queries at 1 000 000.) PGlite and PostgreSQL.
 */
let database: Database;
let all: Filters;
let oneSchool: Filters;
const dialect = new PgDialect();
const plan = (query: SQL) => explain(database, { toSQL: () => dialect.sqlToQuery(query) });

beforeAll(async () => {
  database = await createTestDatabase();
  const { db } = database;
  const now = new Date('2026-01-15T09:00:00Z');
  for (const [i, org] of [await makeOrganisation(db), await makeOrganisation(db)].entries()) {
    const schoolIds = [];
    for (let s = 0; s < 20; s++) schoolIds.push((await makeSchool(db, org.id)).id);
    await db.execute(sql`with s as (select id, row_number() over (order by id) - 1 as n from schools where organisation_id = ${org.id})
      insert into dossiers (organisation_id, school_id, first_name, last_name, birth_date)
      select ${org.id}, s.id, 'Kind', 'Nummer ' || g, date '2014-01-01' + g % 2000 from generate_series(1, 5000) g join s on s.n = g % 20`);
    await db.execute(sql`with d as (select id, row_number() over (order by id) - 1 as n from dossiers where organisation_id = ${org.id})
      insert into hulpvragen (organisation_id, dossier_id, date, title, status)
      select ${org.id}, d.id, date '2016-01-01' + (g * 7919) % 3650, 'Hulpvraag', case when g % 3 = 0 then 'aanmelding' else 'afgerond' end
      from generate_series(1, 20000) g join d on d.n = g % 5000`);
    await db.execute(sql`insert into hulpvraag_status_history (hulpvraag_id, from_status, to_status, changed_at)
      select h.id, null, 'aanmelding', h.date::timestamp at time zone 'UTC' from hulpvragen h where h.organisation_id = ${org.id}
      union all select h.id, 'aanmelding', 'in behandeling', (h.date + 3)::timestamp at time zone 'UTC' from hulpvragen h where h.organisation_id = ${org.id}
      union all select h.id, 'in behandeling', 'afgerond', (h.date + 40)::timestamp at time zone 'UTC' from hulpvragen h where h.organisation_id = ${org.id} and h.status = 'afgerond'`);
    await recomputeStatusFacts(db, org.id); // the facts the status writes keep, from the history written by hand above
    await db.execute(sql`insert into dossier_entries (organisation_id, dossier_id, kind, date, tlv_type, tlv_status, end_date)
      select ${org.id}, d.id, 'tlv', date '2020-08-01', 'sbo', 'toegekend', date '2020-08-01' + (row_number() over ())::int % 3000
      from dossiers d where d.organisation_id = ${org.id}`);
    if (i === 0) {
      all = await resolveFilters(db, org.id, {}, now);
      const [school] = await db.execute(sql`select brin from schools where id = ${schoolIds[0]}`).then((r) => (Array.isArray(r) ? r : (r as { rows: { brin: string }[] }).rows) as { brin: string }[]);
      oneSchool = await resolveFilters(db, org.id, { school: school!.brin }, now);
    }
  }
  await db.execute(sql`vacuum analyze`);
}, 240_000);

afterAll(() => database?.close());

describe('Kengetallen query plans', () => {
  it.each([['the organisation', () => all], ['one school', () => oneSchool]] as const)('count a period of hulpvragen from the index alone (%s)', async (_, filters) => {
    for (const query of [byStatusQuery(filters()), perMonthQuery(filters()), bySchoolQuery(filters())]) {
      const text = await plan(query);
      // Either index on (organisation, date) serves a period: the per-month count needs nothing
      // else, so the planner may take the staff list's `hulpvragen_org_date_idx` just as well.
      expect(text).toMatch(/hulpvragen_org_(period|date)_idx/);
      expect(text).not.toMatch(/Seq Scan on hulpvragen/);
    }
  });

  it('reads the first closings of the period from the hulpvraag index alone, never the history', async () => {
    const text = await plan(doorlooptijdQuery(all));
    expect(text).toMatch(/Index Only Scan using hulpvragen_org_first_closed_idx/);
    expect(text).not.toContain('hulpvraag_status_history');
    // One school: the same range, its dossiers as a semi-join (never a scan of all hulpvragen).
    const school = await plan(doorlooptijdQuery(oneSchool));
    expect(school).toContain('hulpvragen_org_first_closed_idx');
    expect(school).not.toMatch(/Seq Scan on hulpvragen|hulpvraag_status_history/);
  });

  it('reads the TLVs ending soon from their index', async () => {
    const text = await plan(tlvExpiringQuery(all, 500));
    expect(text).toContain('dossier_entries_tlv_end_idx');
    expect(text).not.toMatch(/Seq Scan on dossier_entries/);
  });
});
