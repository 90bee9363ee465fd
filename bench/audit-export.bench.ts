// The CSV export of the audit log (issue 11, Measure): one organisation each with 10 000, 100 000
// and 1 000 000 audit rows (filled with INSERT … SELECT generate_series), each exported whole over
// HTTP by an API token with audit:read; time, bytes, and the server's RSS (sampled from /proc every
// 10 ms) before and at its peak. The export streams keyset batches, so the peak must not grow with
// the row count: goals, growth at 1M at most 96 MB, and the peak at 1M at most 32 MB above the peak at 100k.
// Run: DATABASE_URL=postgres://postgres@127.0.0.1:5432/test npx tsx bench/audit-export.bench.ts
// (without DATABASE_URL: embedded PGlite; AUDIT_BENCH_SIZES=10000,100000 for fewer rows).
// The server is a child process on 127.0.0.1; the database is a fresh one of its own, dropped afterwards.
import { startChild as startChildServer, stopChild } from './lib/child-server.ts';
import { atMost, finishGoals } from './lib/goals.ts';
import { createScratchDatabase } from './lib/scratch-database.ts';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, get } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'drizzle-orm';

const SIZES = (process.env.AUDIT_BENCH_SIZES ?? '10000,100000,1000000').split(',').map(Number);
const SELF = fileURLToPath(import.meta.url);
const SECRET = 'bench-secret-bench-secret-bench-secret-0123456789';

interface Target { url?: string; dataDir?: string }

async function serveChild(target: Target) {
  const { getRequestListener } = await import('@hono/node-server');
  const { openPglite, openPostgres } = await import('../server/src/db/client.ts');
  const { createApp } = await import('../server/src/app.ts');
  const { parseEnv } = await import('../server/src/env.ts');
  const { createLogMailer } = await import('../server/test/mailer.ts');
  const { silentLogger } = await import('../server/src/lib/logger.ts');
  const database = target.url ? openPostgres(target.url, { max: 10 }) : await openPglite(target.dataDir);
  const env = parseEnv({ NODE_ENV: 'production', APP_SECRET: SECRET, DATA_DIR: target.dataDir ?? tmpdir(), LOG_LEVEL: 'silent', API_TOKEN_RATE_PER_MINUTE: '100000', ...(target.url ? { DATABASE_URL: target.url } : {}) });
  const app = createApp({ db: database.db, database, env, mailer: createLogMailer(silentLogger), logger: silentLogger });
  const server = createServer(getRequestListener(app.fetch));
  server.listen(0, '127.0.0.1', () => process.stdout.write(`PORT ${(server.address() as AddressInfo).port}\n`));
  process.on('SIGTERM', () => process.exit(0));
}

const rssOf = (pid: number) => Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) * 1024;

/** One whole export: bytes, lines, seconds and the time to the first byte. */
function exportAll(port: number, token: string): Promise<{ bytes: number; lines: number; seconds: number; firstByteMs: number }> {
  const t0 = performance.now();
  return new Promise((ok, fail) => {
    get({ host: '127.0.0.1', port, path: '/api/v1/audit-log/export', headers: { authorization: `Bearer ${token}` } }, (res) => {
      if (res.statusCode !== 200) return fail(new Error(`status ${res.statusCode}`));
      let bytes = 0;
      let lines = 0;
      let firstByteMs = 0;
      res.on('data', (c: Buffer) => {
        if (!bytes) firstByteMs = performance.now() - t0;
        bytes += c.length;
        for (let i = c.indexOf(10); i !== -1; i = c.indexOf(10, i + 1)) lines++;
      });
      res.on('end', () => ok({ bytes, lines, seconds: (performance.now() - t0) / 1000, firstByteMs }));
      res.on('error', fail);
    }).on('error', fail);
  });
}

async function main() {
  const { openPglite, openPostgres } = await import('../server/src/db/client.ts');
  const { migrateDatabase } = await import('../server/src/db/migrate.ts');
  const { createApiToken } = await import('../server/src/features/api-tokens/service.ts');
  const schema = await import('../server/src/db/schema/index.ts');
  const work = mkdtempSync(join(tmpdir(), 'kk-bench-audit-'));
  const baseUrl = process.env.DATABASE_URL;
  const scratch = baseUrl ? await createScratchDatabase(baseUrl, 'kk_bench_audit') : null;
  const target: Target = scratch ? { url: scratch.url } : { dataDir: join(work, 'data') };
  const dbKind = target.url ? 'postgresql' : 'pglite';
  const rows: Record<string, unknown>[] = [];
  try {
    const tokens: string[] = [];
    const database = target.url ? openPostgres(target.url, { max: 2 }) : await openPglite(target.dataDir);
    await migrateDatabase(database);
    const { db } = database;
    for (const n of SIZES) {
      const [org] = await db.insert(schema.organisations).values({ code: `B${n}`, name: `Bench ${n}` }).returning();
      const t0 = performance.now();
      // Realistic rows: a reader, an action, a subject, an address, a browser, a small detail.
      await db.execute(sql`insert into audit_log (organisation_id, at, actor_user_id, actor_role, actor_display_name, action, subject_type, subject_id, subject_label, dossier_id, ip_address, user_agent, outcome, detail)
        select ${org!.id}, timestamptz '2025-01-01' + g * interval '30 seconds', gen_random_uuid(), 'school', 'Medewerker ' || (g % 500),
          (array['dossier.read','hulpvraag.read','attachment.download','dossiers.search'])[1 + g % 4], 'dossier', gen_random_uuid()::text, 'Kind ' || (g % 5000),
          gen_random_uuid(), '10.0.' || (g % 250) || '.' || (g % 200), 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) Chrome/130.0', case when g % 97 = 0 then 'denied' else 'success' end,
          jsonb_build_object('page', 1 + g % 9)
        from generate_series(1, ${n}) g`);
      console.log(`filled ${n} rows in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
      tokens.push((await createApiToken(db, org!.id, { name: 'Bench', scopes: ['audit:read'], expiresInDays: 1 }, { now: new Date(), createdBy: { id: null, displayName: 'Bench' }, audit: {} })).token);
    }
    await db.execute(sql`analyze audit_log`);
    await database.close();

    const app = await startChildServer(SELF, 'app', target);
    try {
      await exportAll(app.port, tokens[0]!); // warm-up
      for (const [i, n] of SIZES.entries()) {
        const pid = app.child.pid!;
        const idle = rssOf(pid);
        let peak = idle;
        const sampler = setInterval(() => (peak = Math.max(peak, rssOf(pid))), 10);
        const r = await exportAll(app.port, tokens[i]!);
        clearInterval(sampler);
        // Besides the rows: the header, the token's creation and the exports' own entries (an export is in the log before it reads it).
        if (r.lines < n + 2 || r.lines > n + 5) throw new Error(`${n}: ${r.lines} lines`);
        const row = { rows: n, seconds: +r.seconds.toFixed(2), rowsPerSecond: Math.round(n / r.seconds), mb: +(r.bytes / 2 ** 20).toFixed(1), firstByteMs: Math.round(r.firstByteMs), idleRssMb: Math.round(idle / 2 ** 20), peakRssMb: Math.round(peak / 2 ** 20) };
        rows.push(row);
        console.log(`${dbKind} ${String(n).padStart(8)} rows: ${row.seconds} s (${row.rowsPerSecond} rows/s, ${row.mb} MB CSV, first byte ${row.firstByteMs} ms), server RSS ${row.idleRssMb} → peak ${row.peakRssMb} MB`);
      }
    } finally {
      await stopChild(app.child);
    }
    // V8 grows its heap over the first ~100k rows and then stays: the check is that ten times the
    // rows (the last two sizes) add next to nothing, and that no export grows the process much.
    const last = rows.at(-1) as { peakRssMb: number; idleRssMb: number };
    const before = (rows.at(-2) ?? last) as { peakRssMb: number };
    atMost(`RSS growth during the largest export (${dbKind})`, last.peakRssMb - last.idleRssMb, 96, ' MB');
    atMost(`peak RSS, largest − next size (10× fewer rows) (${dbKind})`, last.peakRssMb - before.peakRssMb, 32, ' MB');
  } finally {
    await scratch?.drop();
    rmSync(work, { recursive: true, force: true });
  }
  mkdirSync(resolve('bench/results'), { recursive: true });
  writeFileSync(resolve(`bench/results/audit-export-${dbKind}.json`), `${JSON.stringify({ at: new Date().toISOString(), database: dbKind, rows }, null, 2)}\n`);
  finishGoals();
}

const serveAt = process.argv.indexOf('--serve');
if (serveAt >= 0) await serveChild(JSON.parse(process.argv[serveAt + 2]!) as Target);
else await main();
