// Search dossiers by name with 8 concurrent keep-alive connections: our route (node:http + Hono +
// session + policy + page + total + audit) against a baseline in the same run — bare node:http plus
// ONE prepared postgres.js query returning the same page and total. 100 000 dossiers in 40 schools,
// a coordinator (sees the whole organisation), a term that matches 11 of them. The baseline query has
// the route's indexed form: the names by their trigram indexes (pg_trgm), the schools as an InitPlan
// array, in one BitmapOr; the matches sorted (`|| ''`), not the name index walked.
// Run: DATABASE_URL=postgres://postgres@127.0.0.1:5432/test npx tsx bench/dossier-search.bench.ts
// (without DATABASE_URL: embedded PGlite). Prints the goal of issue 12 next to the ratio and exits
// non-zero when it is missed.
import { startChild as startChildServer, stopChild } from './lib/child-server.ts';
import { atLeast, finishGoals } from './lib/goals.ts';
import { MEASURE_MS, cpuMeter, load, type LoadResult } from './lib/http-load.ts';
import { createScratchDatabase } from './lib/scratch-database.ts';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'drizzle-orm';
import postgres from 'postgres';

const DOSSIERS = 100_000;
const TERM = 'Achternaam 4242'; // 4242 and 42420–42429: 11 dossiers
const HITS = 11;
const GOAL_RPS = 0.6;
/** A search scans every visible dossier: 8 at once, not the 64 of the list benches. */
const CONNECTIONS = 8;
const SELF = fileURLToPath(import.meta.url);
const SECRET = 'bench-secret-bench-secret-bench-secret-0123456789';

interface Target { url?: string; dataDir?: string; organisationId: string }

async function serveChild(kind: 'app' | 'baseline', target: Target) {
  const { openPglite, openPostgres } = await import('../server/src/db/client.ts');
  const database = target.url ? openPostgres(target.url, { max: 10 }) : await openPglite(target.dataDir);
  let handler: (req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse) => void;
  if (kind === 'app') {
    const { getRequestListener } = await import('@hono/node-server');
    const { createApp } = await import('../server/src/app.ts');
    const { parseEnv } = await import('../server/src/env.ts');
    const { createLogMailer } = await import('../server/test/mailer.ts');
    const { silentLogger } = await import('../server/src/lib/logger.ts');
    const env = parseEnv({ NODE_ENV: 'production', APP_SECRET: SECRET, DATA_DIR: target.dataDir ?? tmpdir(), LOG_LEVEL: 'silent', ...(target.url ? { DATABASE_URL: target.url } : {}) });
    const app = createApp({ db: database.db, database, env, mailer: createLogMailer(silentLogger), logger: silentLogger });
    handler = getRequestListener(app.fetch);
  } else {
    const query = `select d.id, d.first_name as "firstName", d.last_name as "lastName", to_char(d.birth_date, 'YYYY-MM-DD') as "birthDate",
        json_build_object('brin', s.brin, 'name', s.name) as school, count(*) over ()::int as total
      from dossiers d join schools s on s.id = d.school_id
      where d.organisation_id = $1 and (d.first_name ilike $2 or d.last_name ilike $2
        or d.school_id = any(array(select id from schools where organisation_id = $1 and (name ilike $2 or brin = $3))))
      order by d.last_name || '', d.first_name, d.id limit 20`;
    type Row = { total: number } & Record<string, unknown>;
    let run: (params: unknown[]) => Promise<Row[]>;
    if (target.url) {
      const client = postgres(target.url, { max: 10, onnotice: () => {} });
      run = (params) => client.unsafe(query, params as string[], { prepare: true }) as unknown as Promise<Row[]>;
    } else {
      const pg = (database.db as unknown as { $client: { query: (q: string, p: unknown[]) => Promise<{ rows: Row[] }> } }).$client;
      run = async (params) => (await pg.query(query, params)).rows;
    }
    handler = (req, res) => {
      const q = new URL(req.url ?? '/', 'http://x').searchParams.get('q') ?? '';
      run([target.organisationId, `%${q}%`, q.toUpperCase()]).then(
        (rows) => {
          const body = JSON.stringify({ items: rows.map(({ total: _, ...r }) => r), page: 1, pageSize: 20, total: rows[0]?.total ?? 0 });
          res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' }).end(body);
        },
        () => res.writeHead(500).end(),
      );
    };
  }
  const server = createServer(handler).listen(0, '127.0.0.1', () => {
    process.stdout.write(`PORT ${(server.address() as AddressInfo).port}\n`);
  });
  process.on('SIGTERM', () => server.close(() => database.close().then(() => process.exit(0))));
}

async function main() {
  const { openPglite, openPostgres } = await import('../server/src/db/client.ts');
  const { migrateDatabase } = await import('../server/src/db/migrate.ts');
  const { createSession } = await import('../server/src/features/auth/session.ts');
  const baseUrl = process.env.DATABASE_URL;
  const scratch = baseUrl ? await createScratchDatabase(baseUrl, 'kk_bench_ds') : null;
  const dataDir = scratch ? '' : mkdtempSync(join(tmpdir(), 'kk-bench-ds-'));
  const results: Record<string, unknown>[] = [];
  try {
    const database = scratch ? openPostgres(scratch.url, { max: 2 }) : await openPglite(dataDir);
    await migrateDatabase(database);
    const { db } = database;
    const one = async <T extends Record<string, unknown>>(q: ReturnType<typeof sql>): Promise<T> => {
      const result = (await db.execute<T>(q)) as T[] | { rows: T[] };
      return (Array.isArray(result) ? result : result.rows)[0]!;
    };
    const t0 = performance.now();
    const org = await one<{ id: string }>(sql`insert into organisations (code, name) values ('BENCH', 'Bench') returning id`);
    await db.execute(sql`insert into schools (organisation_id, brin, name) select ${org.id}, lpad(g::text, 2, '0') || 'ZZ00', 'Basisschool ' || g from generate_series(1, 40) g`);
    await db.execute(sql`insert into dossiers (organisation_id, school_id, first_name, last_name, birth_date)
      select ${org.id}, s.id, 'Kind', 'Achternaam ' || g, date '2012-01-01' + (g % 3000)
      from generate_series(1, ${DOSSIERS}::int) g join (select id, row_number() over (order by brin) - 1 as n from schools) s on s.n = g % 40`);
    const user = await one<{ id: string }>(sql`insert into users (organisation_id, username, email, display_name, role, status) values (${org.id}, 'bench', 'bench@example.org', 'Bench Coördinator', 'coordinator', 'active') returning id`);
    await db.execute(sql`vacuum analyze`);
    const { token } = await createSession(db, user.id, new Date(), { idleMinutes: 24 * 60, maxHours: 24 });
    await database.close();
    console.log(`seeded ${DOSSIERS} dossiers in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

    const target: Target = { ...(scratch ? { url: scratch.url } : { dataDir }), organisationId: org.id };
    const path = `/api/v1/dossiers?q=${encodeURIComponent(TERM)}&page=1&pageSize=20`;
    const measured: Record<string, LoadResult> = {};
    for (const kind of ['baseline', 'app'] as const) {
      const { child, port } = await startChildServer(SELF, kind, target);
      const meter = cpuMeter(child.pid!, target.url);
      try {
        measured[kind] = await load(port, path, token, HITS, meter, CONNECTIONS);
      } finally {
        await meter.close();
        await stopChild(child);
      }
    }
    const { app, baseline } = measured as Record<'app' | 'baseline', LoadResult>;
    const dbKind = scratch ? 'postgresql' : 'pglite';
    const row = { dossiers: DOSSIERS, database: dbKind, connections: CONNECTIONS, seconds: MEASURE_MS / 1000, app, baseline, rpsRatio: app.rps / baseline.rps };
    results.push(row);
    const cpu = (r: LoadResult) => `CPU/req node ${r.nodeCpuMs.toFixed(2)} ms${r.pgCpuMs === null ? '' : ` + pg ${r.pgCpuMs.toFixed(2)} ms`}`;
    console.log(
      `dossier search, ${DOSSIERS} dossiers (${dbKind}): route ${app.rps.toFixed(0)} req/s p99 ${app.p99.toFixed(1)} ms, ${cpu(app)} | ` +
        `baseline ${baseline.rps.toFixed(0)} req/s p99 ${baseline.p99.toFixed(1)} ms, ${cpu(baseline)}` + (app.errors + baseline.errors ? ` | errors ${app.errors}/${baseline.errors}` : ''),
    );
    atLeast(`dossier search (${dbKind}) req/s ÷ baseline`, row.rpsRatio, GOAL_RPS);
  } finally {
    await scratch?.drop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  }
  mkdirSync(resolve('bench/results'), { recursive: true });
  writeFileSync(resolve('bench/results/dossier-search.json'), `${JSON.stringify({ at: new Date().toISOString(), results }, null, 2)}\n`);
  finishGoals();
}

const serveAt = process.argv.indexOf('--serve');
if (serveAt >= 0) await serveChild(process.argv[serveAt + 1] as 'app' | 'baseline', JSON.parse(process.argv[serveAt + 2]!) as Target);
else await main();
