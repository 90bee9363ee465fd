// Dossier search at 100 000 dossiers, as the staff panel asks it (name prefix, birth date, school),
// through the real service function `listDossiers` (policy, page and total). Baseline in the same
// run: the same searches after dropping the search indexes this work added. Prints the query plan.
// Run: DATABASE_URL=postgres://postgres@127.0.0.1:5432/test npx tsx bench/dossier-search.bench.ts
// (without DATABASE_URL: embedded PGlite in a temp dir).
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { sql } from 'drizzle-orm';
import type { AuthUser } from '../server/src/app-env.ts';
import { sessionPrincipal } from '../server/src/authz/index.ts';
import { openPglite, openPostgres, type Database } from '../server/src/db/client.ts';
import { migrateDatabase } from '../server/src/db/migrate.ts';
import { listDossiers, type DossierFilters } from '../server/src/features/dossiers/service.ts';
import { createScratchDatabase } from './lib/scratch-database.ts';

const DOSSIERS = Number(process.env.BENCH_DOSSIERS ?? 100_000);
const RUNS = 25;
const INDEXES = ['dossiers_org_last_name_prefix_idx', 'dossiers_org_first_name_prefix_idx', 'dossiers_org_birth_date_idx'];

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function seed(database: Database) {
  const { db } = database;
  const [org] = (await db.execute(sql`insert into organisations (code, name) values ('PO2507', 'Stromenland') returning id`)) as unknown as { id: string }[] & { rows?: { id: string }[] };
  const orgId = (org ?? (await db.execute(sql`select id from organisations limit 1`) as unknown as { rows: { id: string }[] }).rows[0])!.id;
  await db.execute(sql`insert into schools (organisation_id, brin, name, city)
    select ${orgId}, lpad(g::text, 2, '0') || 'AB00', 'School ' || g, 'Nijmegen' from generate_series(1, 40) g`);
  // Realistic Dutch-ish names: 60 first names × 80 last names, spread over 40 schools and 12 birth years.
  await db.execute(sql`
    with first as (select array['Sam','Noa','Daan','Emma','Lucas','Julia','Finn','Mila','Levi','Sara','Jesse','Tess','Bram','Zoë','Luuk','Anna','Milan','Evi','Thijs','Lotte',
      'Ruben','Nora','Sem','Fleur','Lars','Sophie','Max','Lieke','Tim','Isa','Gijs','Roos','Jens','Eva','Stijn','Yara','Koen','Liv','Teun','Saar',
      'Joep','Fenna','Mees','Nina','Niels','Jasmijn','Siem','Lina','Olivier','Floor','Hugo','Vera','Cas','Ilse','Boaz','Puck','Ties','Elin','Jurre','Maud'] as a),
         last as (select array['de Vries','Jansen','de Jong','Bakker','Visser','Smit','Meijer','de Boer','Mulder','de Groot','Bos','Vos','Peters','Hendriks','van Leeuwen','Dekker',
      'Brouwer','de Wit','Dijkstra','Smits','de Graaf','van der Meer','van der Linden','Kok','Jacobs','de Haan','Vermeulen','van den Berg','van der Heijden','Schouten',
      'van Beek','Willems','van Vliet','van de Ven','Hoekstra','Maas','Verhoeven','Koster','van Dam','van der Wal','Prins','Blom','Huisman','Peeters','de Bruijn',
      'van Dijk','Kuipers','Veenstra','Kramer','van den Broek','Post','Scholten','Wijnands','Vink','Postma','Martens','van Wijk','Timmermans','Groen','Gerritsen',
      'Vermeer','Evers','van Rijn','Jonker','Willemsen','Molenaar','Kuijpers','Wouters','Sanders','Koning','Hermans','van Doorn','Boer','Schipper','Lammers',
      'Heijnen','Verbeek','Zwart','Sluiter','Aydin'] as a)
    insert into dossiers (organisation_id, school_id, first_name, last_name, birth_date)
    select ${orgId},
      (select id from schools where brin = lpad((1 + g % 40)::text, 2, '0') || 'AB00'),
      (select a[1 + (g * 7) % 60] from first), (select a[1 + (g * 13) % 80] from last),
      date '2010-01-01' + ((g * 37) % 4380)
    from generate_series(1, ${DOSSIERS}) g`);
  await db.execute(sql`analyze dossiers`);
  return orgId;
}

async function main() {
  mkdirSync(resolve('bench/results'), { recursive: true });
  const url = process.env.DATABASE_URL;
  const scratch = url ? await createScratchDatabase(url, 'bench_search') : null;
  const dataDir = url ? null : mkdtempSync(join(tmpdir(), 'kindkans-bench-search-'));
  const database = scratch ? openPostgres(scratch.url, { max: 4 }) : await openPglite(dataDir!);
  try {
    await migrateDatabase(database);
    const started = Date.now();
    const orgId = await seed(database);
    console.log(`seeded ${DOSSIERS} dossiers in ${((Date.now() - started) / 1000).toFixed(1)} s (${url ? 'PostgreSQL' : 'PGlite'})`);
    const admin: AuthUser = { id: '00000000-0000-4000-8000-000000000000', username: 'bench', displayName: 'Bench', email: 'b@example.org', role: 'admin', organisationId: orgId, organisation: { code: 'PO2507', name: 'Stromenland' } };
    const now = new Date();
    const principal = sessionPrincipal(admin, { id: admin.id, createdAt: now, lastSeenAt: now, expiresAt: now, idleExpiresAt: now });
    const searches: [string, DossierFilters][] = [
      ['name "jan"', { name: 'jan' }],
      ['name "daan de v"', { name: 'daan de v' }],
      ['birth date', { birthDate: '2014-05-06' }],
      ['school + name "s"', { school: '07AB00', name: 's' }],
    ];
    const time = async (filters: DossierFilters) => {
      const ms: number[] = [];
      let total = 0;
      for (let i = 0; i < RUNS + 2; i++) {
        const t0 = performance.now();
        total = (await listDossiers(database.db, principal, filters, { page: 1, pageSize: 25 })).total;
        if (i >= 2) ms.push(performance.now() - t0);
      }
      return { medianMs: Math.round(median(ms) * 10) / 10, total };
    };
    const explain = async () => {
      const q = sql`explain select d.id from dossiers d join schools s on s.id = d.school_id
        where d.organisation_id = ${orgId} and (lower(d.first_name) like 'jan%' or lower(d.last_name) like 'jan%')
        order by d.last_name || '', d.first_name, d.id limit 25`;
      const res = (await database.db.execute(q)) as unknown as { rows?: Record<string, string>[] } & Record<string, string>[];
      return (res.rows ?? res).map((r) => Object.values(r)[0]).join('\n');
    };
    const withIndex: Record<string, { medianMs: number; total: number }> = {};
    for (const [label, f] of searches) withIndex[label] = await time(f);
    const planWith = await explain();
    for (const name of INDEXES) await database.db.execute(sql.raw(`drop index ${name}`));
    await database.db.execute(sql`analyze dossiers`);
    const without: Record<string, { medianMs: number; total: number }> = {};
    for (const [label, f] of searches) without[label] = await time(f);
    const planWithout = await explain();

    console.log(`\nquery plan of the name search (with the indexes):\n${planWith}\n\nwithout them:\n${planWithout}\n`);
    console.log(`${'search'.padEnd(20)} ${'matches'.padStart(8)} ${'with indexes'.padStart(14)} ${'baseline (none)'.padStart(16)}`);
    for (const [label] of searches) {
      console.log(`${label.padEnd(20)} ${String(withIndex[label]!.total).padStart(8)} ${`${withIndex[label]!.medianMs} ms`.padStart(14)} ${`${without[label]!.medianMs} ms`.padStart(16)}`);
    }
    writeFileSync(resolve('bench/results/dossier-search.json'), `${JSON.stringify({ dossiers: DOSSIERS, database: url ? 'postgres' : 'pglite', runs: RUNS, withIndex, without, planWith, planWithout }, null, 2)}\n`);
  } finally {
    await database.close();
    await scratch?.drop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  }
}

await main();
