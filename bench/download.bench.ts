// Download a 20 MiB attachment: MiB/s of our route (chunks streamed from the database) against
// fs.createReadStream of the same bytes served by bare node:http, in the same run, one at a time
// and 8 and 20 at once; the RSS growth of the server process during 20 concurrent downloads
// (sampled from /proc every 10 ms); uploads through the route against bare node:http writing the
// same multipart body with fs.createWriteStream. Prints the goals of issue 12 next to the ratios
// and exits non-zero when one is missed.
// Run: DATABASE_URL=postgres://postgres@127.0.0.1:5432/test npx tsx bench/download.bench.ts
// (without DATABASE_URL: embedded PGlite). BENCH_CACHE_MB=0 turns the attachment byte cache off
// (ATTACHMENT_CACHE_MB; every download then reads the database); BENCH_PROFILE=<dir> writes
// --cpu-prof files of the route server there; BENCH_ONLY=upload|download measures one phase (download:
// after one upload), BENCH_UPLOADS=<n> the number of uploads, BENCH_WARMUP=<n> downloads at once before measuring (default 1), BENCH_GC=1 prints the app's GCs by kind. CPU per MiB (server process, and its PostgreSQL
// backends) is printed beside each figure: on a loaded machine it is the steadier number. Servers are child processes on 127.0.0.1; the database
// is a fresh one of its own, dropped afterwards.
import { startChild as startChildServer, stopChild } from './lib/child-server.ts';
import { atLeast, atMost, finishGoals } from './lib/goals.ts';
import { cpuMeter } from './lib/http-load.ts';
import { createScratchDatabase } from './lib/scratch-database.ts';
import { seedStatuses } from '../server/src/features/statuses/service.ts';
import type { ChildProcess } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer, get } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const SIZE = 20 * 1024 * 1024;
const SEQUENTIAL = Number(process.env.BENCH_RUNS ?? 5);
// 20 first: its RSS growth is measured from the idle server, before any other concurrent run.
const CONCURRENCY = [20, 8];
const UPLOADS = Number(process.env.BENCH_UPLOADS ?? 3);
const WARMUP = Math.max(1, Number(process.env.BENCH_WARMUP ?? 1));
const SELF = fileURLToPath(import.meta.url);
const SECRET = 'bench-secret-bench-secret-bench-secret-0123456789';
const CACHE_MB = process.env.BENCH_CACHE_MB;
/** `upload`: only the uploads (for profiling one phase); `download`: one upload, then the downloads. */
const ONLY = process.env.BENCH_ONLY as 'upload' | 'download' | undefined;

interface Target { url?: string; dataDir?: string; file?: string }

// ---------- child: the app, or bare node:http + fs.createReadStream ----------
async function serveChild(kind: 'app' | 'files', target: Target) {
  let server;
  if (kind === 'app') {
    const { getRequestListener } = await import('@hono/node-server');
    const { openPglite, openPostgres } = await import('../server/src/db/client.ts');
    const { createApp } = await import('../server/src/app.ts');
    const { parseEnv } = await import('../server/src/env.ts');
    const { createLogMailer } = await import('../server/test/mailer.ts');
    const { silentLogger } = await import('../server/src/lib/logger.ts');
    const database = target.url ? openPostgres(target.url, { max: 10 }) : await openPglite(target.dataDir);
    const env = parseEnv({ NODE_ENV: 'production', APP_SECRET: SECRET, DATA_DIR: target.dataDir ?? tmpdir(), LOG_LEVEL: 'silent', ...(CACHE_MB !== undefined ? { ATTACHMENT_CACHE_MB: CACHE_MB } : {}), ...(target.url ? { DATABASE_URL: target.url } : {}) });
    const app = createApp({ db: database.db, database, env, mailer: createLogMailer(silentLogger), logger: silentLogger });
    server = createServer(getRequestListener(app.fetch));
  } else {
    const file = target.file!;
    const size = statSync(file).size;
    let n = 0;
    server = createServer((req, res) => {
      if (req.method === 'POST') {
        // The upload baseline: the request body straight into a file.
        const out = createWriteStream(`${file}.upload-${n++}`);
        req.pipe(out).on('finish', () => res.writeHead(201, { 'content-type': 'application/json' }).end('{}'));
        return;
      }
      res.writeHead(200, { 'content-type': 'application/pdf', 'content-length': size });
      createReadStream(file).pipe(res);
    });
  }
  server.listen(0, '127.0.0.1', () => process.stdout.write(`PORT ${(server.address() as AddressInfo).port}\n`));
  // BENCH_GC=1: the app's garbage collections by kind (count, ms), on stderr when it stops.
  const gc = new Map<string, { n: number; ms: number }>();
  if (process.env.BENCH_GC && kind === 'app') {
    const { PerformanceObserver, constants } = await import('node:perf_hooks');
    const kinds: Record<number, string> = { [constants.NODE_PERFORMANCE_GC_MINOR]: 'minor', [constants.NODE_PERFORMANCE_GC_MAJOR]: 'major', [constants.NODE_PERFORMANCE_GC_INCREMENTAL]: 'incremental', [constants.NODE_PERFORMANCE_GC_WEAKCB]: 'weakcb' };
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) {
        const k = kinds[(e as unknown as { detail: { kind: number } }).detail.kind] ?? '?';
        const g = gc.get(k) ?? { n: 0, ms: 0 };
        g.n++;
        g.ms += e.duration;
        gc.set(k, g);
      }
    }).observe({ entryTypes: ['gc'] });
  }
  process.on('SIGTERM', () => {
    if (gc.size) process.stderr.write(`app GC: ${[...gc].map(([k, g]) => `${k} ${g.n}× ${g.ms.toFixed(0)} ms`).join(', ')}\n`);
    process.exit(0);
  });
}

// ---------- parent ----------
const PROFILE = process.env.BENCH_PROFILE;
const startChild = (kind: 'app' | 'files', target: Target) => startChildServer(SELF, kind, target, kind === 'app' && PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${PROFILE}`] : []);

const rssOf = (pid: number) => Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) * 1024;

/** One download; resolves with bytes and SHA-256 (hashing only when asked). */
function download(port: number, path: string, token: string, hash = false): Promise<{ bytes: number; sha256: string | null }> {
  return new Promise((ok, fail) => {
    get({ host: '127.0.0.1', port, path, headers: { authorization: `Bearer ${token}` } }, (res) => {
      if (res.statusCode !== 200) return fail(new Error(`status ${res.statusCode}`));
      const h = hash ? createHash('sha256') : null;
      let bytes = 0;
      res.on('data', (c: Buffer) => {
        bytes += c.length;
        h?.update(c);
      });
      res.on('end', () => ok({ bytes, sha256: h ? h.digest('hex') : null }));
      res.on('error', fail);
    }).on('error', fail);
  });
}

interface Cpu { nodeMsPerMiB: number; pgMsPerMiB: number | null }
interface Figures { mbps: number; cpu: Cpu; concurrent: Record<number, { mbps: number; idleRssMb: number; peakRssMb: number; cpu: Cpu }> }

type Meter = ReturnType<typeof cpuMeter>;
const perMiB = (used: { node: number; pg: number | null }, mib: number): Cpu => ({ nodeMsPerMiB: (used.node * 1000) / mib, pgMsPerMiB: used.pg === null ? null : (used.pg * 1000) / mib });
const cpuText = (c: Cpu) => `CPU/MiB node ${c.nodeMsPerMiB.toFixed(1)} ms${c.pgMsPerMiB === null ? '' : ` + pg ${c.pgMsPerMiB.toFixed(1)} ms`}`;

async function measure(kind: string, child: ChildProcess, port: number, path: string, token: string, meter: Meter): Promise<Figures> {
  // Warm-up: one download, or BENCH_WARMUP downloads at once (the same for the route and the baseline;
  // more than one lets the JIT compile the route's code and PGlite's WASM before the figures are taken).
  // With BENCH_WARMUP the RSS growth of the first concurrent run counts from before the warm-up.
  const coldRss = rssOf(child.pid!);
  await Promise.all(Array.from({ length: WARMUP }, () => download(port, path, token)));
  const seconds: number[] = [];
  const cpu0 = await meter.snapshot();
  for (let i = 0; i < SEQUENTIAL; i++) {
    const t0 = performance.now();
    const { bytes } = await download(port, path, token);
    if (bytes !== SIZE) throw new Error(`${kind}: got ${bytes} bytes`);
    seconds.push((performance.now() - t0) / 1000);
  }
  const cpu = perMiB(await meter.since(cpu0), (SEQUENTIAL * SIZE) / 2 ** 20);
  seconds.sort((a, b) => a - b);
  const mbps = SIZE / 2 ** 20 / seconds[Math.floor(seconds.length / 2)]!;
  const concurrent: Figures['concurrent'] = {};
  for (const n of CONCURRENCY) {
    const idleRss = WARMUP > 1 && n === CONCURRENCY[0] ? Math.min(coldRss, rssOf(child.pid!)) : rssOf(child.pid!);
    let peakRss = idleRss;
    const sampler = setInterval(() => {
      peakRss = Math.max(peakRss, rssOf(child.pid!));
    }, 10);
    const c0 = await meter.snapshot();
    const t0 = performance.now();
    const all = await Promise.all(Array.from({ length: n }, () => download(port, path, token)));
    const elapsed = (performance.now() - t0) / 1000;
    clearInterval(sampler);
    if (all.some((r) => r.bytes !== SIZE)) throw new Error(`${kind}: short concurrent download`);
    concurrent[n] = { mbps: (n * SIZE) / 2 ** 20 / elapsed, idleRssMb: idleRss / 2 ** 20, peakRssMb: peakRss / 2 ** 20, cpu: perMiB(await meter.since(c0), (n * SIZE) / 2 ** 20) };
  }
  return { mbps, cpu, concurrent };
}

/** Median MiB/s of `UPLOADS` multipart uploads of `body` to `url`; checks each answer. */
async function uploads(url: string, token: string, body: Buffer, boundary: string, meter: Meter, check: (status: number, json: unknown) => void): Promise<{ mbps: number; cpu: Cpu; last: unknown }> {
  const seconds: number[] = [];
  const cpu0 = await meter.snapshot();
  let last: unknown;
  for (let i = 0; i < UPLOADS; i++) {
    const t0 = performance.now();
    const res = await fetch(url, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': `multipart/form-data; boundary=${boundary}` }, body: new Uint8Array(body) });
    last = await res.json();
    seconds.push((performance.now() - t0) / 1000);
    check(res.status, last);
  }
  const cpu = perMiB(await meter.since(cpu0), (UPLOADS * SIZE) / 2 ** 20);
  seconds.sort((a, b) => a - b);
  return { mbps: SIZE / 2 ** 20 / seconds[Math.floor(seconds.length / 2)]!, cpu, last };
}

async function main() {
  const { openPglite, openPostgres } = await import('../server/src/db/client.ts');
  const { migrateDatabase } = await import('../server/src/db/migrate.ts');
  const { createSession } = await import('../server/src/features/auth/session.ts');
  const schema = await import('../server/src/db/schema/index.ts');
  const { encodeMultipart } = await import('../server/src/features/attachments/multipart.ts');

  const work = mkdtempSync(join(tmpdir(), 'kk-bench-dl-'));
  const file = join(work, 'bijlage.pdf');
  const bytes = Buffer.concat([Buffer.from('%PDF-1.7\n'), randomBytes(SIZE - 9)]);
  writeFileSync(file, bytes);
  const sha = createHash('sha256').update(bytes).digest('hex');

  const baseUrl = process.env.DATABASE_URL;
  const scratch = baseUrl ? await createScratchDatabase(baseUrl, 'kk_bench_dl') : null;
  let target: Target;
  if (scratch) {
    target = { url: scratch.url };
  } else {
    target = { dataDir: join(work, 'data') };
  }
  let result: Record<string, unknown> = {};
  try {
    const database = target.url ? openPostgres(target.url, { max: 2 }) : await openPglite(target.dataDir);
    await migrateDatabase(database);
    const { db } = database;
    const [org] = await db.insert(schema.organisations).values({ code: 'BENCH', name: 'Bench' }).returning();
    await seedStatuses(db, org!.id);
    const [school] = await db.insert(schema.schools).values({ organisationId: org!.id, brin: '99ZZ00', name: 'Benchschool' }).returning();
    const [user] = await db.insert(schema.users).values({ organisationId: org!.id, username: 'bench', email: 'b@example.org', displayName: 'Bench', role: 'coordinator', status: 'active' }).returning();
    const [dossier] = await db.insert(schema.dossiers).values({ organisationId: org!.id, schoolId: school!.id, firstName: 'K', lastName: 'B', birthDate: '2014-01-01' }).returning();
    const [hulpvraag] = await db.insert(schema.hulpvragen).values({ organisationId: org!.id, dossierId: dossier!.id, date: '2024-01-01', title: 'Bench' }).returning();
    const { token } = await createSession(db, user!.id, new Date(), { idleMinutes: 24 * 60, maxHours: 24 });
    await database.close();

    const boundary = 'kindkans-bench';
    const body = Buffer.from(encodeMultipart(bytes, 'bijlage.pdf', boundary));
    const app = await startChild('app', target);
    const appMeter = cpuMeter(app.child.pid!, target.url);
    let appFigures: Figures | null = null;
    let appUpload;
    try {
      appUpload = await uploads(`http://127.0.0.1:${app.port}/api/v1/hulpvragen/${hulpvraag!.id}/attachments`, token, body, boundary, appMeter, (status, json) => {
        if (status !== 201 || (json as { sha256: string }).sha256 !== sha) throw new Error(`upload failed: ${status} ${JSON.stringify(json)}`);
      });
      const path = `/api/v1/attachments/${(appUpload.last as { id: string }).id}/content`;
      const check = await download(app.port, path, token, true);
      if (check.sha256 !== sha) throw new Error('downloaded bytes differ from the upload');
      if (ONLY !== 'upload') appFigures = await measure('app', app.child, app.port, path, token, appMeter);
    } finally {
      await appMeter.close();
      await stopChild(app.child);
    }
    const files = await startChild('files', { file });
    const fileMeter = cpuMeter(files.child.pid!, undefined);
    let fileFigures: Figures | null = null;
    let fileUpload;
    try {
      fileUpload = await uploads(`http://127.0.0.1:${files.port}/upload`, token, body, boundary, fileMeter, (status) => {
        if (status !== 201) throw new Error(`baseline upload: ${status}`);
      });
      if (ONLY !== 'upload') fileFigures = await measure('files', files.child, files.port, '/bijlage.pdf', token, fileMeter);
    } finally {
      await stopChild(files.child);
    }
    const dbKind = target.url ? 'postgresql' : 'pglite';
    result = { database: dbKind, cacheMb: CACHE_MB ?? 'default', sizeMiB: SIZE / 2 ** 20, sequentialRuns: SEQUENTIAL, uploads: UPLOADS, upload: { app: appUpload.mbps, files: fileUpload.mbps }, app: appFigures, files: fileFigures };
    const f = (n: number) => n.toFixed(0);
    console.log(`20 MiB attachment (${dbKind}, attachment cache ${CACHE_MB === undefined ? 'default' : `${CACHE_MB} MB`})`);
    console.log(`  upload, median of ${UPLOADS}: route ${f(appUpload.mbps)} MiB/s, ${cpuText(appUpload.cpu)} | fs.createWriteStream ${f(fileUpload.mbps)} MiB/s, ${cpuText(fileUpload.cpu)}`);
    if (ONLY !== 'download') atLeast(`upload (${dbKind}) ÷ baseline`, appUpload.mbps / fileUpload.mbps, 0.5);
    if (appFigures && fileFigures) {
      console.log(`  download, median of ${SEQUENTIAL}: route ${f(appFigures.mbps)} MiB/s, ${cpuText(appFigures.cpu)} | fs.createReadStream ${f(fileFigures.mbps)} MiB/s, ${cpuText(fileFigures.cpu)}`);
      atLeast(`download 1 at a time (${dbKind}) ÷ baseline`, appFigures.mbps / fileFigures.mbps, 0.8);
      for (const n of CONCURRENCY) {
        const a = appFigures.concurrent[n]!;
        const b = fileFigures.concurrent[n]!;
        console.log(`  ${n} at once: route ${f(a.mbps)} MiB/s total, ${cpuText(a.cpu)}, server RSS ${f(a.idleRssMb)} → peak ${f(a.peakRssMb)} MB | baseline ${f(b.mbps)} MiB/s, ${cpuText(b.cpu)}, RSS ${f(b.idleRssMb)} → ${f(b.peakRssMb)} MB`);
        atLeast(`download ${n} at once (${dbKind}) ÷ baseline`, a.mbps / b.mbps, 0.8);
      }
      const at20 = appFigures.concurrent[20]!;
      atMost(`RSS growth, 20 downloads at once (${dbKind})`, at20.peakRssMb - at20.idleRssMb, 64, ' MB');
    }
  } finally {
    await scratch?.drop();
    rmSync(work, { recursive: true, force: true });
  }
  mkdirSync(resolve('bench/results'), { recursive: true });
  writeFileSync(resolve('bench/results/download.json'), `${JSON.stringify({ at: new Date().toISOString(), ...result }, null, 2)}\n`);
  console.log(`figures written to ${resolve('bench/results/download.json')}`);
  finishGoals();
}

const serveAt = process.argv.indexOf('--serve');
if (serveAt >= 0) await serveChild(process.argv[serveAt + 1] as 'app' | 'files', JSON.parse(process.argv[serveAt + 2]!) as Target);
else await main();
