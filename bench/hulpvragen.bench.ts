// List hulpvragen with 64 concurrent keep-alive connections: our route (node:http + Hono + auth +
// policy + audit) against a baseline in the same run — bare node:http plus ONE postgres.js query
// returning the same JSON. At 10 thousand and at 1 million hulpvragen in the database. The route
// is measured twice: with a coordinator's session and with an API token (dossiers:read; the
// per-token limit is raised for the run so that it counts every request but refuses none).
// Run: DATABASE_URL=postgres://postgres@127.0.0.1:5432/test npx tsx bench/hulpvragen.bench.ts
// (without DATABASE_URL: embedded PGlite, 10 thousand only). Servers run as child processes on
// 127.0.0.1; the database is a fresh one of its own, dropped afterwards.
import { startChild as startChildServer, stopChild } from './lib/child-server.ts';
import { createScratchDatabase } from './lib/scratch-database.ts';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { Agent, createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'drizzle-orm';
import { seedStatuses } from '../server/src/features/statuses/service.ts';
import postgres from 'postgres';

const CONNECTIONS = 64;
const WARMUP_MS = 1500;
const MEASURE_MS = Number(process.env.BENCH_SECONDS ?? 6) * 1000;
const PER_DOSSIER = 20;
const SELF = fileURLToPath(import.meta.url);
const SECRET = 'bench-secret-bench-secret-bench-secret-0123456789';

interface Target { url?: string; dataDir?: string }

// ---------- child: one server, app or baseline ----------
async function serveChild(kind: 'app' | 'baseline', target: Target) {
  const { openPglite, openPostgres } = await import('../server/src/db/client.ts');
  const database = target.url ? openPostgres(target.url, { max: 10 }) : await openPglite(target.dataDir);
  let handler: (req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse) => void;
  if (kind === 'app') {
    const { getRequestListener } = await import('@hono/node-server');
    const { createApp } = await import('../server/src/app.ts');
    const { parseEnv } = await import('../server/src/env.ts');
    const { createLogMailer } = await import('../server/src/mail/mailer.ts');
    const { silentLogger } = await import('../server/src/lib/logger.ts');
    const env = parseEnv({ NODE_ENV: 'production', APP_SECRET: SECRET, DATA_DIR: target.dataDir ?? tmpdir(), LOG_LEVEL: 'silent', API_TOKEN_RATE_PER_MINUTE: '1000000', ...(target.url ? { DATABASE_URL: target.url } : {}) });
    const app = createApp({ db: database.db, database, env, mailer: createLogMailer(silentLogger), logger: silentLogger });
    handler = getRequestListener(app.fetch);
  } else {
    const query = `select h.id, to_char(h.date, 'YYYY-MM-DD') as date, h.title, h.status,
        (select count(*)::int from attachments a where a.hulpvraag_id = h.id) as "attachmentCount",
        (select count(*)::int from hulpvragen c where c.dossier_id = $1) as total
      from hulpvragen h where h.dossier_id = $1
      order by h.date desc, h.created_at desc, h.id desc limit $2 offset $3`;
    type Row = { id: string; date: string; title: string; status: string; attachmentCount: number; total: number };
    let run: (params: unknown[]) => Promise<Row[]>;
    if (target.url) {
      const client = postgres(target.url, { max: 10, onnotice: () => {} });
      run = (params) => client.unsafe(query, params as string[]) as unknown as Promise<Row[]>;
    } else {
      const pg = (database.db as unknown as { $client: { query: (q: string, p: unknown[]) => Promise<{ rows: Row[] }> } }).$client;
      run = async (params) => (await pg.query(query, params)).rows;
    }
    handler = (req, res) => {
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

// ---------- parent: database, seeding, load ----------
const startChild = (kind: 'app' | 'baseline', target: Target) =>
  startChildServer(SELF, kind, target, process.env.BENCH_PROFILE && kind === 'app' ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROFILE}`] : []);

interface LoadResult { requests: number; errors: number; rps: number; p50: number; p99: number }

async function load(port: number, path: string, token: string, expectTotal: number): Promise<LoadResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: CONNECTIONS });
  const latencies: number[] = [];
  let errors = 0;
  let measuring = false;
  let stop = false;
  const once = () =>
    new Promise<void>((done) => {
      const started = performance.now();
      const req = request({ host: '127.0.0.1', port, path, agent, headers: { authorization: `Bearer ${token}` } }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () => {
          const ok = res.statusCode === 200 && JSON.parse(Buffer.concat(chunks).toString()).total === expectTotal;
          if (measuring) ok ? latencies.push(performance.now() - started) : errors++;
          done();
        });
      });
      req.on('error', () => {
        if (measuring) errors++;
        done();
      });
      req.end();
    });
  const worker = async () => {
    while (!stop) await once();
  };
  const workers = Array.from({ length: CONNECTIONS }, worker);
  await new Promise((r) => setTimeout(r, WARMUP_MS));
  measuring = true;
  const t0 = performance.now();
  await new Promise((r) => setTimeout(r, MEASURE_MS));
  measuring = false;
  const elapsed = (performance.now() - t0) / 1000;
  stop = true;
  await Promise.all(workers);
  agent.destroy();
  latencies.sort((a, b) => a - b);
  const pct = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * p))] ?? NaN;
  return { requests: latencies.length, errors, rps: latencies.length / elapsed, p50: pct(0.5), p99: pct(0.99) };
}

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
    const one = async <T>(q: ReturnType<typeof sql>): Promise<T> => {
      const result = (await db.execute(q)) as unknown as T[] | { rows: T[] }; // postgres.js: rows; PGlite: { rows }
      return (Array.isArray(result) ? result : result.rows)[0]!;
    };
    const org = await one<{ id: string }>(sql`insert into organisations (code, name) values ('BENCH', 'Bench') returning id`);
    await seedStatuses(db, org.id);
    const school = await one<{ id: string }>(sql`insert into schools (organisation_id, brin, name) values (${org.id}, '99ZZ00', 'Benchschool') returning id`);
    const user = await one<{ id: string }>(sql`insert into users (organisation_id, username, email, display_name, role, status) values (${org.id}, 'bench', 'bench@example.org', 'Bench Coördinator', 'coordinator', 'active') returning id`);
    let rows = 0;
    const addHulpvragen = async (n: number) => {
      const t0 = performance.now();
      await db.execute(sql`
        with d as (
          insert into dossiers (organisation_id, school_id, first_name, last_name, birth_date)
          select ${org.id}, ${school.id}, 'Kind', 'Nummer ' || g, date '2014-01-01' + (g % 2000) from generate_series(1, ${n / PER_DOSSIER}::int) g
          returning id)
        insert into hulpvragen (organisation_id, dossier_id, date, title, status, description)
        select ${org.id}, d.id, date '2019-01-01' + ((g * 37) % 2000), 'Hulpvraag ' || g, (array['aanmelding','in behandeling','advies','afgerond'])[1 + g % 4], 'Omschrijving'
        from d cross join generate_series(1, ${PER_DOSSIER}::int) g`);
      await db.execute(sql`analyze`);
      rows += n;
      return (performance.now() - t0) / 1000;
    };
    const seedSeconds = await addHulpvragen(10_000);
    const dossier = await one<{ id: string }>(sql`select dossier_id as id from hulpvragen order by created_at, id limit 1`);
    await db.execute(sql`
      insert into attachments (organisation_id, hulpvraag_id, filename, content_type, size, sha256, chunk_size, chunk_count)
      select ${org.id}, h.id, 'bijlage.pdf', 'application/pdf', 0, '', 262144, 0 from hulpvragen h where h.dossier_id = ${dossier.id} limit 5`);
    const { token } = await createSession(db, user.id, new Date(), { idleMinutes: 24 * 60, maxHours: 24 });
    const apiToken = (await createApiToken(db, org.id, { name: 'Bench', scopes: ['dossiers:read'], expiresInDays: 1 }, { now: new Date(), createdBy: { id: null, displayName: 'bench' }, audit: {} })).token;
    await database.close();

    const path = `/api/v1/dossiers/${dossier.id}/hulpvragen?page=1&pageSize=20`;
    const scales: [string, number][] = [['10k', 10_000]];
    if (target.url) scales.push(['1M', 1_000_000]);
    for (const [label, size] of scales) {
      if (size > rows) {
        const fill = target.url ? openPostgres(target.url, { max: 1 }) : await openPglite(target.dataDir);
        const { db: fdb } = fill;
        const secs = await (async () => {
          const t0 = performance.now();
          const perBatch = 200_000;
          for (let done = rows; done < size; done += perBatch) {
            await fdb.execute(sql`
              with d as (
                insert into dossiers (organisation_id, school_id, first_name, last_name, birth_date)
                select ${org.id}, ${school.id}, 'Kind', 'Nummer ' || g, date '2014-01-01' + (g % 2000) from generate_series(1, ${Math.min(perBatch, size - done) / PER_DOSSIER}::int) g
                returning id)
              insert into hulpvragen (organisation_id, dossier_id, date, title, status, description)
              select ${org.id}, d.id, date '2019-01-01' + ((g * 37) % 2000), 'Hulpvraag ' || g, (array['aanmelding','in behandeling','advies','afgerond'])[1 + g % 4], 'Omschrijving'
              from d cross join generate_series(1, ${PER_DOSSIER}::int) g`);
          }
          await fdb.execute(sql`vacuum analyze`);
          return (performance.now() - t0) / 1000;
        })();
        rows = size;
        await fill.close();
        console.log(`filled to ${label} hulpvragen in ${secs.toFixed(1)} s`);
      } else {
        console.log(`seeded ${label} hulpvragen in ${seedSeconds.toFixed(1)} s`);
      }
      const measured: Record<string, LoadResult> = {};
      for (const kind of ['baseline', 'app'] as const) {
        const { child, port } = await startChild(kind, target);
        try {
          measured[kind] = await load(port, path, token, PER_DOSSIER);
          if (kind === 'app') {
            // Session and token alternate twice in the same process; the second round counts, so
            // that neither gains from the other's JIT warm-up.
            await load(port, path, apiToken, PER_DOSSIER);
            measured.app = await load(port, path, token, PER_DOSSIER);
            measured.appToken = await load(port, path, apiToken, PER_DOSSIER);
          }
        } finally {
          await stopChild(child);
        }
      }
      const { app, baseline, appToken } = measured as Record<'app' | 'baseline' | 'appToken', LoadResult>;
      const row = {
        hulpvragen: size, database: target.url ? 'postgresql' : 'pglite', connections: CONNECTIONS, seconds: MEASURE_MS / 1000,
        app, appToken, baseline, rpsRatio: app.rps / baseline.rps, p99Ratio: app.p99 / baseline.p99,
        tokenVsSession: { rpsRatio: appToken.rps / app.rps, p99Ratio: appToken.p99 / app.p99 },
      };
      results.push(row);
      console.log(
        `${label.padStart(4)} hulpvragen (${row.database}): route ${app.rps.toFixed(0)} req/s p99 ${app.p99.toFixed(1)} ms | ` +
          `baseline ${baseline.rps.toFixed(0)} req/s p99 ${baseline.p99.toFixed(1)} ms | route/baseline: ${(row.rpsRatio * 100).toFixed(0)}% throughput, ${row.p99Ratio.toFixed(2)}× p99` +
          (app.errors + baseline.errors ? ` | errors ${app.errors}/${baseline.errors}` : ''),
      );
      console.log(
        `${label.padStart(4)} hulpvragen (${row.database}): API token ${appToken.rps.toFixed(0)} req/s p99 ${appToken.p99.toFixed(1)} ms | ` +
          `token/session: ${(row.tokenVsSession.rpsRatio * 100).toFixed(0)}% throughput, ${row.tokenVsSession.p99Ratio.toFixed(2)}× p99` + (appToken.errors ? ` | errors ${appToken.errors}` : ''),
      );
    }
    if (!target.url) console.log('1M case skipped: set DATABASE_URL (PostgreSQL) to run it.');
  } finally {
    await scratch?.drop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  }
  const out = resolve('bench/results/hulpvragen.json');
  mkdirSync(resolve('bench/results'), { recursive: true });
  writeFileSync(out, `${JSON.stringify({ at: new Date().toISOString(), results }, null, 2)}\n`);
  console.log(`figures written to ${out}`);
}

const serveAt = process.argv.indexOf('--serve');
if (serveAt >= 0) await serveChild(process.argv[serveAt + 1] as 'app' | 'baseline', JSON.parse(process.argv[serveAt + 2]!));
else await main();
