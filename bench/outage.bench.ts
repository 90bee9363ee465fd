// `npm run bench -- outage` (PostgreSQL only): the database goes away for OUTAGE_SECONDS (10)
// while 8 clients read and /health is polled; reports what the clients saw (right answers,
// 503 + Retry-After, anything else), the slowest answer, and how long /health took to turn
// 200 again after the database came back — without restarting Kindkans.
// OUTAGE_MODE=terminate (default): this bench's own database refuses connections
// (ALLOW_CONNECTIONS false) and every backend is killed with pg_terminate_backend.
// OUTAGE_MODE=restart: the whole cluster is stopped and started with OUTAGE_STOP / OUTAGE_START
// (e.g. "pg_ctlcluster 15 main stop"): only on a machine of your own — it stops every database.
import { execSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import postgres from 'postgres';
import { startKindkans } from './lib/kindkans-process.ts';
import { createScratchDatabase } from './lib/scratch-database.ts';
import { seedWorld } from './lib/world.ts';

const SECRET = 'outage-bench-secret-outage-bench-secret-0123456789';
const SECONDS = Number(process.env.OUTAGE_SECONDS ?? 10);
const MODE = process.env.OUTAGE_MODE ?? 'terminate';

async function main() {
  const baseUrl = process.env.DATABASE_URL;
  if (!baseUrl) throw new Error('outage.bench.ts needs DATABASE_URL (PostgreSQL).');
  if (MODE === 'restart' && !(process.env.OUTAGE_STOP && process.env.OUTAGE_START)) throw new Error('OUTAGE_MODE=restart needs OUTAGE_STOP and OUTAGE_START commands.');
  const scratch = await createScratchDatabase(baseUrl, 'kk_bench_outage');
  const dataDir = mkdtempSync(join(tmpdir(), 'kk-bench-outage-'));
  const admin = postgres(baseUrl, { max: 1, onnotice: () => {} });
  try {
    const { openPostgres } = await import('../server/src/db/client.ts');
    const { migrateDatabase } = await import('../server/src/db/migrate.ts');
    const { createSession } = await import('../server/src/features/auth/session.ts');
    const database = openPostgres(scratch.url, { max: 2 });
    await migrateDatabase(database);
    const world = await seedWorld(database.db, SECRET, { families: 4, parentsPerFamily: 1, hulpvragenPerFamily: 2, attachmentsPerFamily: 1, staff: 1 });
    const family = world.families[0]!;
    const { token } = await createSession(database.db, world.parents[0]!.id, new Date(), { idleMinutes: 60, maxHours: 8 });
    await database.close();
    const server = await startKindkans({ APP_SECRET: SECRET, DATA_DIR: dataDir, DATABASE_URL: scratch.url });

    const seen: Array<{ at: number; ms: number; kind: 'right' | 'unavailable' | 'other'; path: string; status: number }> = [];
    let flowing = true;
    const client = async (path: string) => {
      while (flowing) {
        const t0 = performance.now();
        let status = 0;
        let kind: 'right' | 'unavailable' | 'other' = 'other';
        try {
          const res = await fetch(`${server.base}${path}`, { headers: { authorization: `Bearer ${token}` }, signal: AbortSignal.timeout(60_000) });
          status = res.status;
          const body = (await res.json()) as { total?: number; code?: string; items?: Array<{ title: string }> };
          if (status === 200 && (path === '/health' || (body.total === family.hulpvraagIds.length && body.items!.every((h) => h.title.includes(family.marker))))) kind = 'right';
          if (status === 503 && body.code === 'service_unavailable' && res.headers.get('retry-after')) kind = 'unavailable';
        } catch {
          // a cut connection or a body that is not JSON stays 'other'
        }
        seen.push({ at: Date.now(), ms: performance.now() - t0, kind, path, status });
        if (path === '/health') await new Promise((r) => setTimeout(r, 100));
      }
    };
    const clients = [...Array.from({ length: 8 }, () => client(`/api/v1/dossiers/${family.dossierId}/hulpvragen`)), client('/health')];
    await new Promise((r) => setTimeout(r, 3000));
    const down = Date.now();
    if (MODE === 'restart') execSync(process.env.OUTAGE_STOP!, { stdio: 'inherit' });
    else {
      await admin.unsafe(`alter database "${scratch.name}" allow_connections false`);
      await admin`select pg_terminate_backend(pid) from pg_stat_activity where datname = ${scratch.name}`;
    }
    await new Promise((r) => setTimeout(r, SECONDS * 1000));
    if (MODE === 'restart') execSync(process.env.OUTAGE_START!, { stdio: 'inherit' });
    else await admin.unsafe(`alter database "${scratch.name}" allow_connections true`);
    const up = Date.now();
    await new Promise((r) => setTimeout(r, 5000));
    flowing = false;
    await Promise.all(clients);
    server.child.kill('SIGTERM');
    await server.exited;

    const during = seen.filter((s) => s.at > down && s.at <= up + 100);
    const firstHealthy = seen.find((s) => s.path === '/health' && s.at > up && s.status === 200);
    const result = {
      mode: MODE,
      outageSeconds: SECONDS,
      requests: seen.length,
      right: seen.filter((s) => s.kind === 'right').length,
      unavailable503: seen.filter((s) => s.kind === 'unavailable').length,
      other: seen.filter((s) => s.kind === 'other').length,
      duringOutage: { requests: during.length, slowestMs: Math.round(Math.max(0, ...during.map((s) => s.ms))), p50Ms: Math.round(during.map((s) => s.ms).sort((a, b) => a - b)[Math.floor(during.length / 2)] ?? 0) },
      slowestMs: Math.round(Math.max(...seen.map((s) => s.ms))),
      healthyAgainAfterMs: firstHealthy ? firstHealthy.at - up : null,
      restartedServer: false,
    };
    console.log(JSON.stringify(result, null, 2));
    mkdirSync(resolve('bench/results'), { recursive: true });
    writeFileSync(resolve('bench/results/outage.json'), `${JSON.stringify({ at: new Date().toISOString(), ...result }, null, 2)}\n`);
    if (result.other > 0) process.exitCode = 1;
  } finally {
    if (MODE !== 'restart') await admin.unsafe(`alter database "${scratch.name}" allow_connections true`).catch(() => {});
    await admin.end();
    await scratch.drop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

await main();
