// Kengetallen at 1 000 000 hulpvragen in one organisation, through the real service functions
// (`resolveFilters` + `kengetallen`, the whole screen's answer, and each table's query alone).
// Before/after in the same run: the database is migrated up to the migration before
// `hulpvraag_first_closed_at` and seeded; the figures are taken with the doorlooptijd as it was
// (derived from the Status informatie per hulpvraag, `doorlooptijdFromHistory`, server/test); then the
// rest of the migrations run (timed: their backfill of `first_closed_at` at this size) and the
// figures are taken again. BENCH_DROP_INDEXES=1 adds the older baseline: the figures after
// dropping the Kengetallen' indexes.
// Run: DATABASE_URL=postgres://postgres@127.0.0.1:5432/test npx tsx bench/kengetallen.bench.ts
// (a scratch database of its own, dropped afterwards; without DATABASE_URL: embedded PGlite in a
// temp dir — give it BENCH_HULPVRAGEN=100000, seeding a million there takes very long).
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { sql, type SQL } from 'drizzle-orm';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { migrate as migratePostgres } from 'drizzle-orm/postgres-js/migrator';
import { openPglite, openPostgres, type Database } from '../server/src/db/client.ts';
import { migrateDatabase, migrationsFolder } from '../server/src/db/migrate.ts';
import { createOrganisation } from '../server/src/features/organisations/service.ts';
import {
  byStatusQuery, bySchoolQuery, doorlooptijdQuery, kengetallen, perMonthQuery, resolveFilters, tlvExpiringQuery, type Filters,
} from '../server/src/features/kengetallen/service.ts';
import { createScratchDatabase } from './lib/scratch-database.ts';
import { doorlooptijdFromHistory } from '../server/test/doorlooptijd-from-history.ts';

const HULPVRAGEN = Number(process.env.BENCH_HULPVRAGEN ?? 1_000_000);
const DOSSIERS = Math.max(1, Math.round(HULPVRAGEN / 4));
const SCHOOLS = 200;
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
// The ten-year period over the whole organisation takes minutes per run at 1M: only on request.
const TEN_YEARS = process.env.BENCH_TEN_YEARS === '1';
const DROP_INDEXES = process.env.BENCH_DROP_INDEXES === '1';
const INDEXES = ['hulpvragen_org_period_idx', 'hulpvragen_org_first_closed_idx', 'dossier_entries_tlv_end_idx'];
const NOW = new Date('2026-01-15T09:00:00Z');

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const rows = async <T>(database: Database, q: SQL) => {
  const r = (await database.db.execute(q)) as unknown as T[] | { rows: T[] };
  return Array.isArray(r) ? r : r.rows;
};

/** The migrations folder as it was before `tagSuffix`'s migration (a copy with a shorter journal). */
function migrationsBefore(tagSuffix: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'kk-bench-migrations-'));
  cpSync(migrationsFolder, dir, { recursive: true });
  const journalPath = join(dir, 'meta', '_journal.json');
  const journal = JSON.parse(readFileSync(journalPath, 'utf8')) as { entries: { tag: string }[] };
  const at = journal.entries.findIndex((e) => e.tag.endsWith(tagSuffix));
  if (at < 1) throw new Error(`no migration ${tagSuffix}`);
  writeFileSync(journalPath, JSON.stringify({ ...journal, entries: journal.entries.slice(0, at) }));
  return dir;
}

/**
 * One organisation: 200 schools, a dossier per 4 hulpvragen, hulpvragen spread evenly over ten
 * years (2016–2025, so about 100 000 in any 12 months), each with Status informatie: aanmelding,
 * in behandeling 1–14 days later, and for three in four afgerond 5–124 days after that; one in
 * twenty of those re-opened and closed again. A TLV per dossier, end dates over six years.
 * A second organisation with a tenth as much, which must not be counted.
 */
async function seed(database: Database, code: string, hulpvragen: number) {
  const { db } = database;
  const org = await createOrganisation(db, { code, name: `Bench ${code}` });
  const dossiers = Math.max(1, Math.round(hulpvragen / 4));
  await db.execute(sql`insert into schools (organisation_id, brin, name, city)
    select ${org.id}, ${code.slice(-2)} || lpad(g::text, 3, '0') || 'X', 'School ' || g, 'Nijmegen' from generate_series(1, ${SCHOOLS}) g`);
  await db.execute(sql`with s as (select id, row_number() over (order by brin) - 1 as n from schools where organisation_id = ${org.id})
    insert into dossiers (organisation_id, school_id, first_name, last_name, birth_date)
    select ${org.id}, s.id, 'Kind', 'Nummer ' || g, date '2010-01-01' + (g * 37) % 4380 from generate_series(1, ${dossiers}) g join s on s.n = g % ${SCHOOLS}`);
  await db.execute(sql`with d as (select id, row_number() over (order by id) - 1 as n from dossiers where organisation_id = ${org.id})
    insert into hulpvragen (organisation_id, dossier_id, date, title, status)
    select ${org.id}, d.id, date '2016-01-01' + ((g::bigint * 7919) % 3652)::int, 'Hulpvraag ' || g,
      case when g % 4 = 0 then (array['aanmelding', 'in behandeling', 'advies'])[1 + g % 3] else 'afgerond' end
    from generate_series(1, ${hulpvragen}) g join d on d.n = g % ${dossiers}`);
  // Status informatie, set-based: k1, k2 are the pseudo-random day offsets of each hulpvraag.
  await db.execute(sql`insert into hulpvraag_status_history (hulpvraag_id, from_status, to_status, changed_at)
    with h as (select id, status, date::timestamp at time zone 'UTC' + interval '8 hours' as t0,
                 1 + (abs(hashtext(id::text)) % 14) as k1, 5 + (abs(hashtext(id::text || 'x')) % 120) as k2, abs(hashtext(id::text || 'y')) % 20 = 0 as reopened
               from hulpvragen where organisation_id = ${org.id})
    select id, null, 'aanmelding', t0 from h
    union all select id, 'aanmelding', 'in behandeling', t0 + k1 * interval '1 day' from h
    union all select id, 'in behandeling', 'afgerond', t0 + (k1 + k2) * interval '1 day' from h where status = 'afgerond'
    union all select id, 'afgerond', 'in behandeling', t0 + (k1 + k2 + 10) * interval '1 day' from h where status = 'afgerond' and reopened
    union all select id, 'in behandeling', 'afgerond', t0 + (k1 + k2 + 30) * interval '1 day' from h where status = 'afgerond' and reopened`);
  await db.execute(sql`insert into dossier_entries (organisation_id, dossier_id, kind, date, tlv_type, tlv_status, start_date, end_date)
    select ${org.id}, d.id, 'tlv', date '2022-08-01', 'sbo', case when n % 10 = 0 then 'aangevraagd' else 'toegekend' end, date '2022-08-01', date '2023-01-01' + ((n * 13) % 2190)::int
    from (select id, row_number() over (order by id) as n from dossiers where organisation_id = ${org.id}) d`);
  return org.id;
}

async function main() {
  mkdirSync(resolve('bench/results'), { recursive: true });
  const url = process.env.DATABASE_URL;
  const scratch = url ? await createScratchDatabase(url, 'bench_kengetallen') : null;
  const dataDir = url ? null : mkdtempSync(join(tmpdir(), 'kindkans-bench-kengetallen-'));
  const database = scratch ? openPostgres(scratch.url, { max: 4 }) : await openPglite(dataDir!);
  const before = migrationsBefore('_hulpvraag_first_closed_at');
  try {
    if (database.kind === 'pglite') await migratePglite(database.db as never, { migrationsFolder: before });
    else await migratePostgres(database.db as never, { migrationsFolder: before });
    let started = Date.now();
    const orgId = await seed(database, 'PO2507', HULPVRAGEN);
    await seed(database, 'PO9999', Math.round(HULPVRAGEN / 10));
    await database.db.execute(sql`vacuum analyze`);
    const [counts] = await rows<{ h: number; s: number; t: number }>(database, sql`select (select count(*) from hulpvragen)::int as h, (select count(*) from hulpvraag_status_history)::int as s, (select count(*) from dossier_entries)::int as t`);
    console.log(`seeded ${counts!.h} hulpvragen (${HULPVRAGEN} in the measured organisation), ${counts!.s} status rows, ${counts!.t} TLVs in ${((Date.now() - started) / 1000).toFixed(0)} s (${url ? 'PostgreSQL' : 'PGlite'})`);

    const [school] = await rows<{ brin: string }>(database, sql`select brin from schools where organisation_id = ${orgId} order by brin offset 7 limit 1`);
    const cases: [string, Filters][] = [
      ['default (12 months)', await resolveFilters(database.db, orgId, {}, NOW)],
      ['one school, 12 months', await resolveFilters(database.db, orgId, { school: school!.brin }, NOW)],
      ...(TEN_YEARS ? [['ten years', await resolveFilters(database.db, orgId, { from: '2016-01', to: '2025-12' }, NOW)] as [string, Filters]] : []),
    ];
    const partsWith = (doorlooptijd: (f: Filters) => SQL): [string, (f: Filters) => SQL][] => [
      ['byStatus', byStatusQuery], ['bySchool', bySchoolQuery], ['perMonth', perMonthQuery], ['doorlooptijd', doorlooptijd], ['tlvExpiring', (f) => tlvExpiringQuery(f, 500)],
    ];
    const time = async (run: () => Promise<unknown>) => {
      const ms: number[] = [];
      for (let i = 0; i < RUNS + 1; i++) {
        const t0 = performance.now();
        await run();
        if (i > 0) ms.push(performance.now() - t0);
      }
      return Math.round(median(ms));
    };
    // `all`: the five queries one after the other, as `kengetallen` runs them (before the
    // migration the service's own doorlooptijd query has no columns to read yet).
    const measure = async (parts: [string, (f: Filters) => SQL][]) => {
      const out: Record<string, Record<string, number>> = {};
      for (const [label, f] of cases) {
        out[label] = { all: await time(async () => { for (const [, q] of parts) await database.db.execute(q(f)); }) };
        for (const [part, q] of parts) out[label]![part] = await time(() => database.db.execute(q(f)));
      }
      return out;
    };
    const explain = async (q: SQL) => (await rows<Record<string, string>>(database, sql`explain (analyze, costs off) ${q}`)).map((r) => Object.values(r)[0]).join('\n');
    const answerOf = (r: { count: number; median: number | null }) => `median ${r.median} days over ${r.count}`;

    const [old] = await rows<{ count: number; median: number | null }>(database, doorlooptijdFromHistory(cases[0]![1]));
    console.log(`before the migration, default period: ${answerOf(old!)}`);
    const fromHistory = await measure(partsWith(doorlooptijdFromHistory));
    const planFromHistory = await explain(doorlooptijdFromHistory(cases[0]![1]));

    started = Date.now();
    if (database.kind === 'pglite') await migrateDatabase(database);
    else await migratePostgres(database.db as never, { migrationsFolder });
    const migrationSeconds = (Date.now() - started) / 1000;
    await database.db.execute(sql`vacuum analyze hulpvragen`);
    console.log(`migration hulpvraag_first_closed_at (columns, backfill, index) at ${counts!.h} hulpvragen: ${migrationSeconds.toFixed(1)} s`);

    const answer = await kengetallen(database.db, cases[0]![1]);
    console.log(`default answer: ${answer.byStatus.map((s) => `${s.status} ${s.count}`).join(', ')}; ${answer.perMonth.length} months; median ${answer.doorlooptijd.medianDays} days over ${answer.doorlooptijd.count}; ${answer.tlvExpiring.count} TLVs ending`);
    if (answer.doorlooptijd.count !== Number(old!.count) || answer.doorlooptijd.medianDays !== (old!.median === null ? null : Number(old!.median))) throw new Error('the doorlooptijd differs from the one derived from the history');
    const parts = partsWith(doorlooptijdQuery);
    const withFacts = await measure(parts);
    for (const [label, f] of cases) withFacts[label]!.service = await time(() => kengetallen(database.db, f));
    const plans = { byStatus: await explain(byStatusQuery(cases[0]![1])), doorlooptijd: await explain(doorlooptijdQuery(cases[0]![1])), doorlooptijdFromHistory: planFromHistory };

    let without: Record<string, Record<string, number>> | null = null;
    if (DROP_INDEXES) {
      for (const name of INDEXES) await database.db.execute(sql.raw(`drop index ${name}`));
      await database.db.execute(sql`analyze`);
      without = await measure(parts);
    }

    console.log(`\nplans (default period), the doorlooptijd before:\n${plans.doorlooptijdFromHistory}\n\nafter:\n${plans.doorlooptijd}\n\n${plans.byStatus}\n`);
    console.log(`median of ${RUNS} runs, ms: after (first_closed_at) / before (from the Status informatie)${without ? ' / after, indexes dropped' : ''}`);
    const columns = ['all', ...parts.map(([p]) => p)];
    console.log(`${'case'.padEnd(24)} ${columns.map((p) => p.padStart(20)).join('')}   kengetallen()`);
    for (const [label] of cases) {
      console.log(`${label.padEnd(24)} ${columns.map((p) => `${withFacts[label]![p]} / ${fromHistory[label]![p]}${without ? ` / ${without[label]![p]}` : ''}`.padStart(20)).join('')}   ${withFacts[label]!.service}`);
    }
    writeFileSync(resolve('bench/results/kengetallen.json'), `${JSON.stringify({ hulpvragen: HULPVRAGEN, dossiers: DOSSIERS, database: url ? 'postgres' : 'pglite', runs: RUNS, migrationSeconds, withFacts, fromHistory, without, plans }, null, 2)}\n`);
  } finally {
    await database.close();
    await scratch?.drop();
    rmSync(before, { recursive: true, force: true });
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  }
}

await main();
