// `npm run bench -- soak`: five minutes of simulated parents, staff, an isolation checker and an
// integration against the real server process (main.ts) on PostgreSQL (a database of its own,
// dropped afterwards); then a ramp of concurrent list requests to find where the admission gate
// starts answering 503 (backpressure). Without DATABASE_URL it runs on embedded PGlite.
// Knobs: SOAK_SECONDS (300), SOAK_PARENTS (24), SOAK_STAFF (4), SOAK_CHECKERS (2),
// SOAK_INTEGRATIONS (2), SOAK_FAMILIES (150), SOAK_RAMP (1; 0 skips the ramp), RAMP_SECONDS (10).
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { startKindkans } from './lib/kindkans-process.ts';
import { createScratchDatabase } from './lib/scratch-database.ts';
import { describeSoak, rssMbOf, runSoak, SOAK_SERVER_ENV } from './lib/soak.ts';
import { seedWorld } from './lib/world.ts';

const num = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
const SECRET = 'soak-bench-secret-soak-bench-secret-0123456789';

async function ramp(base: string, token: string, dossierId: string, pid: number, levels: number[], seconds: number) {
  const rows = [];
  for (const clients of levels) {
    let stop = false;
    const latencies: number[] = [];
    const counts = { ok: 0, busy: 0, other: 0 };
    let peakRss = rssMbOf(pid);
    const sampler = setInterval(() => (peakRss = Math.max(peakRss, rssMbOf(pid))), 200);
    const worker = async () => {
      while (!stop) {
        const t0 = performance.now();
        try {
          const res = await fetch(`${base}/api/v1/dossiers/${dossierId}/hulpvragen`, { headers: { authorization: `Bearer ${token}` }, signal: AbortSignal.timeout(30_000) });
          await res.arrayBuffer();
          if (res.status === 200) counts.ok++;
          else if (res.status === 503 && res.headers.get('retry-after')) counts.busy++;
          else counts.other++;
        } catch {
          counts.other++;
        }
        latencies.push(performance.now() - t0);
      }
    };
    const t0 = performance.now();
    const workers = Array.from({ length: clients }, worker);
    await new Promise((r) => setTimeout(r, seconds * 1000));
    stop = true;
    await Promise.all(workers);
    clearInterval(sampler);
    const elapsed = (performance.now() - t0) / 1000;
    latencies.sort((a, b) => a - b);
    const p = (q: number) => Math.round(latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? 0);
    const row = { clients, okPerSecond: Math.round(counts.ok / elapsed), busy503: counts.busy, other: counts.other, busyShare: Math.round((counts.busy / Math.max(1, counts.ok + counts.busy)) * 1000) / 10, p50: p(0.5), p99: p(0.99), peakRssMb: Math.round(peakRss) };
    console.log(`  ${String(clients).padStart(5)} clients: ${row.okPerSecond} ok/s, 503 ${row.busy503} (${row.busyShare} %), other ${row.other}, p50 ${row.p50} ms, p99 ${row.p99} ms, peak RSS ${row.peakRssMb} MB`);
    rows.push(row);
    await new Promise((r) => setTimeout(r, 2000));
  }
  return rows;
}

async function main() {
  const baseUrl = process.env.DATABASE_URL;
  const scratch = baseUrl ? await createScratchDatabase(baseUrl, 'kk_bench_soak') : null;
  const dataDir = mkdtempSync(join(tmpdir(), 'kk-bench-soak-'));
  try {
    const { openPglite, openPostgres } = await import('../server/src/db/client.ts');
    const { migrateDatabase } = await import('../server/src/db/migrate.ts');
    const { createSession } = await import('../server/src/features/auth/session.ts');
    const database = scratch ? openPostgres(scratch.url, { max: 4 }) : await openPglite(dataDir);
    await migrateDatabase(database);
    const families = num('SOAK_FAMILIES', 150);
    console.log(`seeding ${families} families (${scratch ? 'PostgreSQL' : 'embedded PGlite'}) …`);
    const world = await seedWorld(database.db, SECRET, { families, parentsPerFamily: 2, hulpvragenPerFamily: 4, attachmentsPerFamily: 2, attachmentBytes: 96 * 1024, staff: 6 });
    const { token: staffToken } = await createSession(database.db, world.staff.at(-1)!.id, new Date(), { idleMinutes: 120, maxHours: 8 });
    await database.close();

    const server = await startKindkans({ APP_SECRET: SECRET, DATA_DIR: dataDir, TRUST_PROXY: 'true', SESSION_IDLE_MINUTES: '120', ...SOAK_SERVER_ENV, ...(scratch ? { DATABASE_URL: scratch.url } : {}) });
    let soak;
    let rampRows: unknown[] = [];
    try {
      const seconds = num('SOAK_SECONDS', 300);
      console.log(`soak: ${seconds} s against pid ${server.child.pid} …`);
      soak = await runSoak({
        base: server.base,
        world,
        pid: server.child.pid,
        seconds,
        parents: num('SOAK_PARENTS', 24),
        staff: num('SOAK_STAFF', 4),
        checkers: num('SOAK_CHECKERS', 2),
        integrations: num('SOAK_INTEGRATIONS', 2),
        sampleEveryMs: seconds >= 120 ? 60_000 : 10_000,
        log: (line) => console.log(line),
      });
      for (const line of describeSoak(soak)) console.log(line);
      if (process.env.SOAK_RAMP !== '0') {
        console.log('ramp: concurrent GET /dossiers/{id}/hulpvragen (staff token), MAX_CONCURRENT_REQUESTS=64, QUEUE_TIMEOUT_MS=2000 (defaults)');
        rampRows = await ramp(server.base, staffToken, world.families[0]!.dossierId, server.child.pid!, [16, 64, 256, 512, 1024, 2048], num('RAMP_SECONDS', 10));
      }
    } finally {
      server.child.kill('SIGTERM');
      await server.exited;
    }
    mkdirSync(resolve('bench/results'), { recursive: true });
    writeFileSync(resolve('bench/results/soak.json'), `${JSON.stringify({ at: new Date().toISOString(), database: scratch ? 'postgresql' : 'pglite', soak, ramp: rampRows }, null, 2)}\n`);
    console.log(`figures written to ${resolve('bench/results/soak.json')}`);
    if (soak.errors || soak.isolation.leaks) process.exitCode = 1;
  } finally {
    await scratch?.drop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

await main();
