// List hulpvragen with 64 concurrent keep-alive connections: our route (node:http + Hono + auth +
// policy + audit) against a baseline in the same run — bare node:http plus ONE prepared
// postgres.js query returning the same JSON. A parent's session; a dossier with 20 hulpvragen and
// one with 10 000 (a missing index or a sort shows there, not at 20); at 20 thousand and at
// 1 million hulpvragen in the database. The route is measured with the parent's session and with
// an API token (dossiers:read; the per-token limit is raised for the run so that it counts every
// request but refuses none). Then the staff list (GET /hulpvragen?status=…, a coordinator's session)
// over every hulpvraag of the organisation against a bare prepared query with page and total.
// Prints the goal of issue 12 next to each ratio and exits non-zero
// when one is missed.
// Run: DATABASE_URL=postgres://postgres@127.0.0.1:5432/test npx tsx bench/hulpvragen.bench.ts
// (without DATABASE_URL: embedded PGlite, 10 thousand only). Servers run as child processes on
// 127.0.0.1; the database is a fresh one of its own, dropped afterwards.
import { startChild as startChildServer, stopChild } from './lib/child-server.ts';
import { atLeast, atMost, finishGoals } from './lib/goals.ts';
import { CONNECTIONS, MEASURE_MS, cpuMeter, load, type LoadResult } from './lib/http-load.ts';
import { createScratchDatabase } from './lib/scratch-database.ts';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'drizzle-orm';
import { seedStatuses } from '../server/src/features/statuses/service.ts';
import postgres from 'postgres';

const PER_DOSSIER = 20;
/** The one large dossier: the worst real case of a long history. */
const BIG_DOSSIER = 10_000;
/** Issue 12: route ÷ bare baseline, same run. */
const GOAL_RPS = 0.6;
const GOAL_P99 = 3;
const GOAL_TOKEN_RPS = 0.7;
const SELF = fileURLToPath(import.meta.url);
const SECRET = 'bench-secret-bench-secret-bench-secret-0123456789';
/** PostgreSQL connections of each server process, the app's and the baseline's alike (`BENCH_POOL`). */
const POOL = Number(process.env.BENCH_POOL ?? 10);

interface Target { url?: string; dataDir?: string }

// ---------- child: one server, app or baseline ----------
async function serveChild(kind: 'app' | 'baseline', target: Target) {
  const { openPglite, openPostgres } = await import('../server/src/db/client.ts');
  const database = target.url ? openPostgres(target.url, { max: POOL }) : await openPglite(target.dataDir);
  let handler: (req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse) => void;
  if (kind === 'app') {
    const { getRequestListener } = await import('@hono/node-server');
    const { createApp } = await import('../server/src/app.ts');
    const { parseEnv } = await import('../server/src/env.ts');
    const { createLogMailer } = await import('../server/test/mailer.ts');
    const { silentLogger } = await import('../server/src/lib/logger.ts');
    const env = parseEnv({ NODE_ENV: 'production', APP_SECRET: SECRET, DATA_DIR: target.dataDir ?? tmpdir(), LOG_LEVEL: 'silent', API_TOKEN_RATE_PER_MINUTE: '1000000', ...(target.url ? { DATABASE_URL: target.url } : {}) });
    const app = createApp({ db: database.db, database, env, mailer: createLogMailer(silentLogger), logger: silentLogger });
    handler = getRequestListener(app.fetch);
    // The audit group commit's batches over this server's life (group-commit.ts: a batch's commit
    // costs PostgreSQL far more than its rows, so the average batch explains part of the pg CPU).
    const { auditBatchStats } = await import('../server/src/features/audit/group-commit.ts');
    process.once('SIGTERM', () => {
      const { batches, rows } = auditBatchStats(database.db);
      if (batches) process.stderr.write(`  (app: ${rows} audit rows in ${batches} commits, ${(rows / batches).toFixed(1)} a batch)\n`);
    });
  } else {
    // Prepared as the route's statements are (db/prepared.ts: postgres.js `prepare: true`; PGlite
    // PREPARE/EXECUTE), with LIMIT/OFFSET as scalar subqueries so PostgreSQL keeps the generic
    // plan: a fair baseline does no planning per request either.
    const { preparedStatement } = await import('../server/src/db/prepared.ts');
    const query = `select h.id, to_char(h.date, 'YYYY-MM-DD') as date, h.title, h.status,
        (select count(*)::int from attachments a where a.hulpvraag_id = h.id) as "attachmentCount",
        (select count(*)::int from hulpvragen c where c.dossier_id = $1) as total
      from hulpvragen h where h.dossier_id = $1
      order by h.date desc nulls last, h.created_at desc nulls last, h.id desc nulls last limit (select $2::int) offset (select $3::int)`;
    type Row = { id: string; date: string; title: string; status: string; attachmentCount: number; total: number };
    let run: (params: unknown[]) => Promise<Row[]>;
    if (target.url) {
      const client = postgres(target.url, { max: POOL, onnotice: () => {} });
      run = (params) => client.unsafe(query, params as string[], { prepare: true }) as unknown as Promise<Row[]>;
    } else {
      const statement = preparedStatement<Row>(query);
      run = (params) => statement(database.db, params);
    }
    // The staff list (GET /hulpvragen?status=…, a coordinator): page and total in one prepared query.
    const staffQuery = `select h.id, to_char(h.date, 'YYYY-MM-DD') as date, h.title, h.status,
        json_build_object('id', d.id, 'firstName', d.first_name, 'lastName', d.last_name) as dossier,
        case when u.id is null then null else json_build_object('id', u.id, 'displayName', u.display_name) end as coordinator,
        (select count(*)::int from hulpvragen c where c.organisation_id = $1 and c.status = $2) as total
      from hulpvragen h join dossiers d on d.id = h.dossier_id left join users u on u.id = h.coordinator_id
      where h.organisation_id = $1 and h.status = $2
      order by h.date desc nulls last, h.created_at desc nulls last, h.id desc nulls last limit (select $3::int) offset (select $4::int)`;
    const runStaff = target.url
      ? (() => { const client = postgres(target.url, { max: POOL, onnotice: () => {} }); return (params: unknown[]) => client.unsafe(staffQuery, params as string[], { prepare: true }) as unknown as Promise<Row[]>; })()
      : (() => { const statement = preparedStatement<Row>(staffQuery); return (params: unknown[]) => statement(database.db, params); })();
    const orgRows = await runStaffOrg(database);
    handler = (req, res) => {
      const staff = /^\/api\/v1\/hulpvragen\?status=([^&]+)/.exec(req.url ?? '');
      if (staff) {
        runStaff([orgRows, decodeURIComponent(staff[1]!), 20, 0]).then(
          (rows) => {
            const body = JSON.stringify({ items: rows.map(({ total: _, ...r }) => r), page: 1, pageSize: 20, total: rows[0]?.total ?? 0 });
            res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' }).end(body);
          },
          () => res.writeHead(500).end(),
        );
        return;
      }
      const m = /^\/api\/v1\/dossiers\/([0-9a-f-]{36})\/hulpvragen/.exec(req.url ?? '');
      if (!m) {
        res.writeHead(404).end();
        return;
      }
      run([m[1], 20, 0]).then(
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

/** The bench organisation's id (the baseline's staff list is for it). */
async function runStaffOrg(database: { db: { execute(q: ReturnType<typeof sql>): Promise<unknown> } }): Promise<string> {
  const result = (await database.db.execute(sql`select id from organisations where code = 'BENCH'`)) as { id: string }[] | { rows: { id: string }[] };
  return (Array.isArray(result) ? result : result.rows)[0]!.id;
}

/**
 * PostgreSQL: a CHECKPOINT after seeding, so that the pages the seed dirtied are written before the
 * measurement, not during it. The 1M fill writes about 1 GB of WAL, which starts a checkpoint
 * (`max_wal_size`) that is spread over minutes (`checkpoint_completion_target`) — over every 1M
 * case: its writes slowed the WAL flushes the route's audit rows wait for, which the read-only
 * baseline never does. Needs superuser or `pg_checkpoint`; without, it is skipped.
 */
async function settleWrites(database: { kind: string; db: { execute(q: ReturnType<typeof sql>): Promise<unknown> } }) {
  if (database.kind !== 'postgres') return;
  await database.db.execute(sql`checkpoint`).catch(() => console.log('(no CHECKPOINT: not permitted; the seed may still be written during the run)'));
}

// ---------- parent: database, seeding, load ----------
const startChild = (kind: 'app' | 'baseline', target: Target) =>
  startChildServer(SELF, kind, target, process.env.BENCH_PROFILE && kind === 'app' ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROFILE}`] : []);

async function main() {
  const { openPglite, openPostgres } = await import('../server/src/db/client.ts');
  const { migrateDatabase } = await import('../server/src/db/migrate.ts');
  const { createSession } = await import('../server/src/features/auth/session.ts');
  const { createApiToken } = await import('../server/src/features/api-tokens/service.ts');

  const baseUrl = process.env.DATABASE_URL;
  let target: Target;
  const scratch = baseUrl ? await createScratchDatabase(baseUrl, 'kk_bench_hv') : null;
  let dataDir = '';
  if (scratch) {
    target = { url: scratch.url };
  } else {
    dataDir = mkdtempSync(join(tmpdir(), 'kk-bench-hv-'));
    target = { dataDir };
  }
  const results: Record<string, unknown>[] = [];
  try {
    const database = target.url ? openPostgres(target.url, { max: 2 }) : await openPglite(target.dataDir);
    await migrateDatabase(database);
    const { db } = database;
    const one = async <T extends Record<string, unknown>>(q: ReturnType<typeof sql>): Promise<T> => {
      const result = (await db.execute<T>(q)) as T[] | { rows: T[] }; // postgres.js: rows; PGlite: { rows }
      return (Array.isArray(result) ? result : result.rows)[0]!;
    };
    const org = await one<{ id: string }>(sql`insert into organisations (code, name) values ('BENCH', 'Bench') returning id`);
    await seedStatuses(db, org.id);
    const school = await one<{ id: string }>(sql`insert into schools (organisation_id, brin, name) values (${org.id}, '99ZZ00', 'Benchschool') returning id`);
    const user = await one<{ id: string }>(sql`insert into users (organisation_id, username, email, display_name, role, status) values (${org.id}, 'bench', 'bench@example.org', 'Bench Ouder', 'parent', 'active') returning id`);
    let rows = 0;
    const addDossiers = (fdb: typeof db, n: number) => fdb.execute(sql`
      with d as (
        insert into dossiers (organisation_id, school_id, first_name, last_name, birth_date)
        select ${org.id}, ${school.id}, 'Kind', 'Nummer ' || g, date '2014-01-01' + (g % 2000) from generate_series(1, ${n / PER_DOSSIER}::int) g
        returning id)
      insert into hulpvragen (organisation_id, dossier_id, date, title, status, description)
      select ${org.id}, d.id, date '2019-01-01' + ((g * 37) % 2000), 'Hulpvraag ' || g, (array['aanmelding','in behandeling','advies','afgerond'])[1 + g % 4], 'Omschrijving'
      from d cross join generate_series(1, ${PER_DOSSIER}::int) g`);
    const t0 = performance.now();
    await addDossiers(db, 10_000);
    const small = await one<{ id: string }>(sql`select dossier_id as id from hulpvragen order by created_at, id limit 1`);
    const big = await one<{ id: string }>(sql`insert into dossiers (organisation_id, school_id, first_name, last_name, birth_date) values (${org.id}, ${school.id}, 'Groot', 'Dossier', '2014-01-01') returning id`);
    await db.execute(sql`insert into hulpvragen (organisation_id, dossier_id, date, title, status, description)
      select ${org.id}, ${big.id}, date '2019-01-01' + ((g * 37) % 2000), 'Hulpvraag ' || g, (array['aanmelding','in behandeling','advies','afgerond'])[1 + g % 4], 'Omschrijving'
      from generate_series(1, ${BIG_DOSSIER}::int) g`);
    for (const dossier of [small, big]) {
      await db.execute(sql`insert into guardians (dossier_id, user_id) values (${dossier.id}, ${user.id})`);
      // A few attachments on the first page, so the count subquery has something to count.
      await db.execute(sql`
        insert into attachments (organisation_id, hulpvraag_id, filename, content_type, size, sha256, chunk_size, chunk_count)
        select ${org.id}, h.id, 'bijlage.pdf', 'application/pdf', 0, '', 262144, 0 from hulpvragen h where h.dossier_id = ${dossier.id} order by h.date desc limit 5`);
    }
    // Vacuumed as well (as after the 1M fill): index-only counts need the visibility map, and
    // autovacuum would otherwise set it at some moment during the run.
    await db.execute(sql`vacuum analyze`);
    await settleWrites(database);
    rows = 10_000 + BIG_DOSSIER;
    const seedSeconds = (performance.now() - t0) / 1000;
    const { token } = await createSession(db, user.id, new Date(), { idleMinutes: 24 * 60, maxHours: 24 });
    const coordinator = await one<{ id: string }>(sql`insert into users (organisation_id, username, email, display_name, role, status) values (${org.id}, 'coord', 'coord@example.org', 'Bench Coördinator', 'coordinator', 'active') returning id`);
    const staffToken = (await createSession(db, coordinator.id, new Date(), { idleMinutes: 24 * 60, maxHours: 24 })).token;
    const apiToken = (await createApiToken(db, org.id, { name: 'Bench', scopes: ['dossiers:read'], expiresInDays: 1 }, { now: new Date(), createdBy: { id: null, displayName: 'bench' }, audit: {} })).token;
    await database.close();

    // BENCH_QUICK=1: only the 20/dossier list (parent and token), for back-to-back comparisons.
    const quick = process.env.BENCH_QUICK === '1';
    const dossierCases = [
      { label: `${PER_DOSSIER}/dossier`, dossierId: small.id, total: PER_DOSSIER },
      ...(quick ? [] : [{ label: `${BIG_DOSSIER}/dossier`, dossierId: big.id, total: BIG_DOSSIER }]),
    ];
    const scales: [string, number][] = [['20k', rows]];
    if (target.url && process.env.BENCH_1M !== '0') scales.push(['1M', 1_000_000]);
    for (const [label, size] of scales) {
      if (size > rows) {
        const fill = target.url ? openPostgres(target.url, { max: 1 }) : await openPglite(target.dataDir);
        const t1 = performance.now();
        const perBatch = 200_000;
        for (let done = rows; done < size; done += perBatch) await addDossiers(fill.db, Math.min(perBatch, size - done));
        await fill.db.execute(sql`vacuum analyze`);
        await settleWrites(fill);
        await fill.close();
        rows = size;
        console.log(`filled to ${label} hulpvragen in ${((performance.now() - t1) / 1000).toFixed(1)} s`);
      } else {
        console.log(`seeded ${label} hulpvragen in ${seedSeconds.toFixed(1)} s`);
      }
      for (const dc of dossierCases) {
        const path = `/api/v1/dossiers/${dc.dossierId}/hulpvragen?page=1&pageSize=20`;
        const measured: Record<string, LoadResult> = {};
        for (const kind of ['baseline', 'app'] as const) {
          const { child, port } = await startChild(kind, target);
          const meter = cpuMeter(child.pid!, target.url);
          try {
            measured[kind] = await load(port, path, token, dc.total, meter);
            if (kind === 'app') {
              // Session and token alternate twice in the same process; the second round counts, so
              // that neither gains from the other's JIT warm-up.
              await load(port, path, apiToken, dc.total, meter);
              measured.app = await load(port, path, token, dc.total, meter);
              measured.appToken = await load(port, path, apiToken, dc.total, meter);
            }
          } finally {
            await meter.close();
            await stopChild(child);
          }
        }
        const { app, baseline, appToken } = measured as Record<'app' | 'baseline' | 'appToken', LoadResult>;
        const row = {
          case: `parent session, ${dc.label}`, hulpvragen: size, database: target.url ? 'postgresql' : 'pglite', connections: CONNECTIONS, seconds: MEASURE_MS / 1000,
          app, appToken, baseline, rpsRatio: app.rps / baseline.rps, p99Ratio: app.p99 / baseline.p99, tokenRpsRatio: appToken.rps / baseline.rps,
        };
        results.push(row);
        const name = `${label} hulpvragen, ${dc.label} (${row.database})`;
        const cpu = (r: LoadResult) => `CPU/req node ${r.nodeCpuMs.toFixed(2)} ms${r.pgCpuMs === null ? '' : ` + pg ${r.pgCpuMs.toFixed(2)} ms`}`;
        console.log(
          `${name}: route ${app.rps.toFixed(0)} req/s p99 ${app.p99.toFixed(1)} ms, ${cpu(app)} | ` +
            `baseline ${baseline.rps.toFixed(0)} req/s p99 ${baseline.p99.toFixed(1)} ms, ${cpu(baseline)}` +
            (app.errors + baseline.errors ? ` | errors ${app.errors}/${baseline.errors}` : ''),
        );
        atLeast(`${name} req/s ÷ baseline`, row.rpsRatio, GOAL_RPS);
        atMost(`${name} p99 ÷ baseline`, row.p99Ratio, GOAL_P99);
        console.log(`${label} hulpvragen, ${dc.label} (${row.database}), API token: ${appToken.rps.toFixed(0)} req/s p99 ${appToken.p99.toFixed(1)} ms, ${cpu(appToken)}` + (appToken.errors ? ` | errors ${appToken.errors}` : ''));
        atLeast(`${name} API token req/s ÷ baseline`, row.tokenRpsRatio, GOAL_TOKEN_RPS);
        if (app.errors) atMost(`${name} route errors`, app.errors, 0, '');
      }
      if (!quick) {
        // The staff list over every hulpvraag of the organisation, filtered by status (a quarter of them).
        const path = '/api/v1/hulpvragen?status=in%20behandeling&page=1&pageSize=20';
        const expected = size / 4; // statuses cycle over four per hulpvraag number
        const measured: Record<string, LoadResult> = {};
        for (const kind of ['baseline', 'app'] as const) {
          const { child, port } = await startChild(kind, target);
          const meter = cpuMeter(child.pid!, target.url);
          try {
            if (kind === 'app') await load(port, path, staffToken, expected, meter); // JIT warm-up, as the session/token rounds above
            measured[kind] = await load(port, path, staffToken, expected, meter);
          } finally {
            await meter.close();
            await stopChild(child);
          }
        }
        const { app, baseline } = measured as Record<'app' | 'baseline', LoadResult>;
        const row = { case: 'staff list by status', hulpvragen: size, database: target.url ? 'postgresql' : 'pglite', connections: CONNECTIONS, seconds: MEASURE_MS / 1000, app, baseline, rpsRatio: app.rps / baseline.rps, p99Ratio: app.p99 / baseline.p99 };
        results.push(row);
        const name = `${label} hulpvragen, staff list by status (${row.database})`;
        const cpu = (r: LoadResult) => `CPU/req node ${r.nodeCpuMs.toFixed(2)} ms${r.pgCpuMs === null ? '' : ` + pg ${r.pgCpuMs.toFixed(2)} ms`}`;
        console.log(`${name}: route ${app.rps.toFixed(0)} req/s p99 ${app.p99.toFixed(1)} ms, ${cpu(app)} | baseline ${baseline.rps.toFixed(0)} req/s p99 ${baseline.p99.toFixed(1)} ms, ${cpu(baseline)}` + (app.errors + baseline.errors ? ` | errors ${app.errors}/${baseline.errors}` : ''));
        atLeast(`${name} req/s ÷ baseline`, row.rpsRatio, GOAL_RPS);
        atMost(`${name} p99 ÷ baseline`, row.p99Ratio, GOAL_P99);
        if (app.errors) atMost(`${name} route errors`, app.errors, 0, '');
      }
    }
    if (scales.length === 1) console.log('1M case skipped: set DATABASE_URL (PostgreSQL) to run it, without BENCH_1M=0.');
  } finally {
    await scratch?.drop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  }
  const out = resolve('bench/results/hulpvragen.json');
  mkdirSync(resolve('bench/results'), { recursive: true });
  writeFileSync(out, `${JSON.stringify({ at: new Date().toISOString(), results }, null, 2)}\n`);
  console.log(`figures written to ${out}`);
  finishGoals();
}

const serveAt = process.argv.indexOf('--serve');
if (serveAt >= 0) await serveChild(process.argv[serveAt + 1] as 'app' | 'baseline', JSON.parse(process.argv[serveAt + 2]!) as Target);
else await main();
