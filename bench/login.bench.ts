// Login cost against its floor: the argon2id verification every login must do (issue 12).
//  1. throughput: logins/s over HTTP (real server on 127.0.0.1, PGlite in memory or DATABASE_URL)
//     vs bare argon2 verifications/s of the SAME stored hash (so the same parameters), both with
//     the same concurrency. The two alternate (A B B A …, BENCH_ROUNDS pairs) so that a change in
//     the machine's load hits both alike; the ratio is of the summed times. Goal ≥ 0.9×.
//  2. event-loop delay p99 while 16 logins run at once (median of the rounds), next to 16 bare
//     async verifies, idle, and one synchronous hash per tick (what blocking the loop would cost).
//     Goal ≤ 20 ms.
//  3. CPU per login besides argon2: the server's main thread (/proc/self/task/<pid>) and, on
//     PostgreSQL, its backends — the figures that hold up on a loaded machine.
// The HTTP client runs in a worker thread (node:http, keep-alive) so that its work is not in the
// server's event loop; its own CPU per login is printed too (it shares the 2 cores).
// Run: npx tsx bench/login.bench.ts  (writes bench/results/login.json; exits 1 when a goal is missed)
// BENCH_PROFILE=<dir>: a CPU profile of the main thread during the measured logins only.
import { createScratchDatabase } from './lib/scratch-database.ts';
import type { AddressInfo } from 'node:net';
import { Session } from 'node:inspector/promises';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import postgres from 'postgres';
import { atLeast, atMost, finishGoals } from './lib/goals.ts';
import { Worker } from 'node:worker_threads';
import { serve } from '@hono/node-server';
import { hashSync, verify } from '@node-rs/argon2';
import { createApp } from '../server/src/app.ts';
import { openPglite, openPostgres } from '../server/src/db/client.ts';
import { migrateDatabase } from '../server/src/db/migrate.ts';
import { users } from '../server/src/db/schema/index.ts';
import { parseEnv } from '../server/src/env.ts';
import { totpBox } from '../server/src/features/activation/service.ts';
import { createOrganisation } from '../server/src/features/organisations/service.ts';
import { createLogMailer } from '../server/test/mailer.ts';
import { silentLogger } from '../server/src/lib/logger.ts';
import { ARGON2_OPTIONS, hashPassword } from '../server/src/lib/password.ts';
import { newTotpSecret, totpCode } from '../server/src/lib/totp.ts';

const PASSWORD = 'bench-wachtwoord-lang-genoeg';
const CONCURRENCY = 4; // libuv's default thread pool: argon2 runs there
const ROUNDS = 48;
const AT_ONCE = 16;
const PAIRS = Number(process.env.BENCH_ROUNDS ?? 3);

const env = parseEnv({ NODE_ENV: 'test', APP_SECRET: 'bench-secret-bench-secret-bench-secret-000', DATA_DIR: '/tmp/kindkans-bench', TRUST_PROXY: 'true', LOG_LEVEL: 'silent' });
// On PostgreSQL the bench makes a database of its own and drops it at the end.
const pgUrl = process.env.DATABASE_URL;
const scratch = pgUrl ? await createScratchDatabase(pgUrl, 'kk_bench_login') : null;
const database = scratch ? openPostgres(scratch.url) : await openPglite();
await migrateDatabase(database);
const { db } = database;
const org = await createOrganisation(db, { code: `B${Date.now().toString(36).toUpperCase().slice(-6)}`, name: 'Bench' });
const hash = await hashPassword(PASSWORD);
const box = totpBox(env.APP_SECRET);
// One account per login: a TOTP code logs in once per 30-second step.
const accounts = Array.from({ length: (ROUNDS + AT_ONCE) * PAIRS + 4 }, (_, i) => ({ username: `bench${i}`, secret: newTotpSecret() }));
await db.insert(users).values(accounts.map((a) => ({ organisationId: org.id, username: a.username, email: `${a.username}@example.org`, displayName: a.username, role: 'parent' as const, status: 'active' as const, passwordHash: hash, totpSecretEnc: box.encrypt(a.secret) })));

const app = createApp({ db, database, env, mailer: createLogMailer(silentLogger), logger: silentLogger });
const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' });
await new Promise((r) => server.once('listening', r));
const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/v1/auth/login`;

// The load comes from a worker thread, so that the client's own work is not in the server's event loop.
// It sends with `node:http` and a keep-alive agent: the client shares the 2 cores with the server and
// argon2, and `fetch` (undici) costs it several times the CPU per request; the worker reports its
// own thread's CPU (/proc/thread-self) so that the client's share is printed too.
const client = new Worker(
  `const { parentPort } = require('node:worker_threads');
   const http = require('node:http');
   const { readFileSync } = require('node:fs');
   const agent = new http.Agent({ keepAlive: true });
   const cpu = () => { const f = readFileSync('/proc/thread-self/stat', 'utf8').split(') ')[1].split(' '); return (Number(f[11]) + Number(f[12])) / 100; };
   const post = (url, job) => new Promise((resolve, reject) => {
     const req = http.request(url, { method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(job.body), 'x-forwarded-for': job.ip } }, (res) => {
       res.resume();
       res.on('end', () => resolve(res.statusCode));
       res.on('error', reject);
     });
     req.on('error', reject);
     req.end(job.body);
   });
   let jobs = [];
   parentPort.on('message', async (message) => {
     if (message.jobs) return void (jobs = message.jobs);
     const { url, concurrency } = message;
     let i = 0; const statuses = [];
     const cpu0 = cpu();
     const started = performance.now();
     await Promise.all(Array.from({ length: concurrency }, async () => {
       while (i < jobs.length) statuses.push(await post(url, jobs[i++]));
     }));
     parentPort.postMessage({ ms: performance.now() - started, cpu: cpu() - cpu0, statuses });
   });`,
  { eval: true },
);

let next = 0;
type Job = { ip: string; body: string };
/** The requests of `n` logins (each account once), made before the measurement: the TOTP codes are the client's work. */
async function loginJobs(n: number): Promise<Job[]> {
  return Promise.all(
    accounts.slice(next, (next += n)).map(async (a, i) => ({
      ip: `10.0.${(next + i) >> 8}.${(next + i) & 255}`,
      body: JSON.stringify({ organisation: org.code, username: a.username, password: PASSWORD, code: await totpCode(a.secret, new Date()) }),
    })),
  );
}
let clientCpu = 0;
/** Hands `jobs` to the worker (copying them costs the main thread: before a measurement starts). */
const load = (jobs: Job[]) => client.postMessage({ jobs });
/** Sends the loaded jobs, `concurrency` at a time, from the worker; returns the wall time. */
async function logins(concurrency: number): Promise<number> {
  const answer = new Promise<{ ms: number; cpu: number; statuses: number[] }>((r) => client.once('message', r));
  client.postMessage({ url, concurrency });
  const { ms, cpu, statuses } = await answer;
  if (statuses.some((s) => s !== 200)) throw new Error(`logins answered ${[...new Set(statuses)].join(', ')}`);
  clientCpu += cpu;
  return ms;
}

/** `n` bare verifications of the stored hash, `CONCURRENCY` at a time; returns the wall time. */
async function verifies(n: number): Promise<number> {
  let left = n;
  const started = performance.now();
  await Promise.all(Array.from({ length: CONCURRENCY }, async () => {
    while (left-- > 0) if (!(await verify(hash, PASSWORD))) throw new Error('verify failed');
  }));
  return performance.now() - started;
}

/** CPU seconds of one thread (the main thread: tid = pid) or a process, from /proc. */
const cpuSeconds = (path: string) => {
  try {
    const fields = readFileSync(path, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return 0;
  }
};
const mainThreadCpu = () => cpuSeconds(`/proc/${process.pid}/task/${process.pid}/stat`);
/** Every thread of this process: argon2's pool, the client worker, V8's helpers and the main thread. */
const processCpu = () => cpuSeconds(`/proc/${process.pid}/stat`);
const admin = scratch ? postgres(scratch.url, { max: 1, onnotice: () => {} }) : null;
async function pgCpu(): Promise<Map<number, number>> {
  if (!admin) return new Map();
  const pids = (await admin<{ pid: number }[]>`select pid from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()`).map((r) => r.pid);
  return new Map(pids.map((pid) => [pid, cpuSeconds(`/proc/${pid}/stat`)]));
}
const pgSince = (start: Map<number, number>, end: Map<number, number>) => [...end].reduce((sum, [pid, t]) => sum + t - (start.get(pid) ?? 0), 0);

async function loopDelayDuring(work: () => unknown) {
  const h = monitorEventLoopDelay({ resolution: 5 });
  h.enable();
  const started = performance.now();
  await work();
  const ms = performance.now() - started;
  h.disable();
  return { p99: h.percentile(99) / 1e6, max: h.max / 1e6, ms };
}

const profiler = process.env.BENCH_PROFILE ? new Session() : null;
if (profiler) {
  profiler.connect();
  await profiler.post('Profiler.enable');
}

load(await loginJobs(4));
await logins(4); // warm-up (JIT, prepared statements, the connections)
await verifies(4);
let loginMs = 0;
let argon2Ms = 0;
let mainCpu = 0;
let pgCpuSeconds = 0;
let measuredClientCpu = 0;
let verifyMainCpu = 0;
let loginProcessCpu = 0;
let verifyProcessCpu = 0;
const pairs: { logins: number; verifies: number }[] = [];
const during: Awaited<ReturnType<typeof loopDelayDuring>>[] = [];
const bare: Awaited<ReturnType<typeof loopDelayDuring>>[] = [];
for (let round = 0; round < PAIRS; round++) {
  const measureLogins = async () => {
    load(await loginJobs(ROUNDS));
    const client0 = clientCpu;
    const cpu0 = mainThreadCpu();
    const all0 = processCpu();
    const pg0 = await pgCpu();
    if (profiler) await profiler.post('Profiler.start');
    const ms = await logins(CONCURRENCY);
    if (profiler) {
      const { profile } = await profiler.post('Profiler.stop');
      mkdirSync(process.env.BENCH_PROFILE!, { recursive: true });
      writeFileSync(`${process.env.BENCH_PROFILE}/login-${database.kind}-${round}.cpuprofile`, JSON.stringify(profile));
    }
    mainCpu += mainThreadCpu() - cpu0;
    loginProcessCpu += processCpu() - all0;
    pgCpuSeconds += pgSince(pg0, await pgCpu());
    loginMs += ms;
    measuredClientCpu += clientCpu - client0;
    return ms;
  };
  const measureVerifies = async () => {
    const cpu0 = mainThreadCpu();
    const all0 = processCpu();
    const ms = await verifies(ROUNDS);
    verifyMainCpu += mainThreadCpu() - cpu0;
    verifyProcessCpu += processCpu() - all0;
    argon2Ms += ms;
    return ms;
  };
  // A B, then B A: neither always goes first.
  if (round % 2 === 0) {
    const verifiesMs = await measureVerifies();
    pairs.push({ verifies: verifiesMs, logins: await measureLogins() });
  } else {
    const loginsMs = await measureLogins();
    pairs.push({ logins: loginsMs, verifies: await measureVerifies() });
  }
  load(await loginJobs(AT_ONCE));
  if (round % 2 === 0) {
    bare.push(await loopDelayDuring(() => Promise.all(Array.from({ length: AT_ONCE }, () => verify(hash, PASSWORD)))));
    during.push(await loopDelayDuring(() => logins(AT_ONCE)));
  } else {
    during.push(await loopDelayDuring(() => logins(AT_ONCE)));
    bare.push(await loopDelayDuring(() => Promise.all(Array.from({ length: AT_ONCE }, () => verify(hash, PASSWORD)))));
  }
}
const median = (xs: number[]) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)]!;
const idle = await loopDelayDuring(() => new Promise((r) => setTimeout(r, median(during.map((d) => d.ms)))));
const blocking = await loopDelayDuring(async () => {
  for (let i = 0; i < AT_ONCE; i++) {
    hashSync(PASSWORD, ARGON2_OPTIONS);
    await new Promise((r) => setImmediate(r));
  }
});

const round = (x: number, d = 1) => Math.round(x * 10 ** d) / 10 ** d;
const n = ROUNDS * PAIRS;
const result = {
  database: database.kind,
  concurrency: CONCURRENCY,
  rounds: PAIRS,
  argon2VerifiesPerSecond: round(n / (argon2Ms / 1000)),
  loginsPerSecond: round(n / (loginMs / 1000)),
  loginToArgon2Ratio: round(argon2Ms / loginMs, 2),
  perRoundRatios: pairs.map((p) => round(p.verifies / p.logins, 2)),
  cpuPerLoginMs: { mainThread: round((mainCpu * 1000) / n, 2), postgres: admin ? round((pgCpuSeconds * 1000) / n, 2) : null, client: round((measuredClientCpu * 1000) / n, 2), mainThreadPerBareVerify: round((verifyMainCpu * 1000) / n, 2) },
  // Whole-process CPU (argon2 included; the profiler's own work too when BENCH_PROFILE is set): what each costs the machine besides PostgreSQL.
  processCpuMs: { perLogin: round((loginProcessCpu * 1000) / n, 2), perBareVerify: round((verifyProcessCpu * 1000) / n, 2) },
  // When the bare verifies alone keep every core busy (4 at a time on 2 cores), a login can go no
  // faster than the machine's CPU allows: (CPU per bare verify) ÷ (CPU per login, the client and
  // PostgreSQL included). This is that ceiling for the ratio above.
  cpuBoundCeiling: round((verifyProcessCpu * 1000) / n / ((loginProcessCpu + pgCpuSeconds) * 1000 / n), 2),
  sixteenLogins: { wallMs: round(median(during.map((d) => d.ms))), loopDelayP99Ms: round(median(during.map((d) => d.p99))), loopDelayP99AllMs: during.map((d) => round(d.p99)), loopDelayMaxMs: round(Math.max(...during.map((d) => d.max))) },
  idleLoopDelayP99Ms: round(idle.p99),
  sixteenBareAsyncVerifies: { wallMs: round(median(bare.map((d) => d.ms))), loopDelayP99Ms: round(median(bare.map((d) => d.p99))), loopDelayP99AllMs: bare.map((d) => round(d.p99)) },
  sixteenSyncHashesLoopDelayP99Ms: round(blocking.p99),
};
console.log(`database: ${result.database}; ${CONCURRENCY} at a time, ${ROUNDS} each, ${PAIRS} alternating rounds`);
console.log(`bare argon2id verify:   ${result.argon2VerifiesPerSecond}/s`);
console.log(`HTTP login (full flow): ${result.loginsPerSecond}/s  → ${result.loginToArgon2Ratio} × the argon2 floor (rounds: ${result.perRoundRatios.join(', ')})`);
console.log(`CPU per login besides argon2: main thread ${result.cpuPerLoginMs.mainThread} ms${admin ? `, PostgreSQL backends ${result.cpuPerLoginMs.postgres} ms` : ''}; the HTTP client (worker) ${result.cpuPerLoginMs.client} ms (main thread per bare verify: ${result.cpuPerLoginMs.mainThreadPerBareVerify} ms)`);
console.log(`CPU of the whole process (argon2 included): ${result.processCpuMs.perLogin} ms per login${admin ? ' (+ the PostgreSQL backends)' : ' (PGlite in it)'}, ${result.processCpuMs.perBareVerify} ms per bare verify`);
console.log(`CPU-bound ceiling of the ratio (CPU per bare verify ÷ CPU per login, client and PostgreSQL included): ${result.cpuBoundCeiling}×`);
console.log(`16 logins at once: ${result.sixteenLogins.wallMs} ms, event-loop delay p99 ${result.sixteenLogins.loopDelayP99Ms} ms (rounds: ${result.sixteenLogins.loopDelayP99AllMs.join(', ')})`);
console.log(`  baselines: idle ${result.idleLoopDelayP99Ms} ms; 16 bare async argon2 verifies ${result.sixteenBareAsyncVerifies.loopDelayP99Ms} ms (${result.sixteenBareAsyncVerifies.wallMs} ms; rounds: ${result.sixteenBareAsyncVerifies.loopDelayP99AllMs.join(', ')}); one hashSync per tick ${result.sixteenSyncHashesLoopDelayP99Ms} ms`);
atLeast('login ÷ bare argon2id verifies, same concurrency', result.loginToArgon2Ratio, 0.9);
atMost('event-loop delay p99, 16 logins at once', result.sixteenLogins.loopDelayP99Ms, 20, ' ms');
mkdirSync(new URL('./results/', import.meta.url), { recursive: true });
writeFileSync(new URL('./results/login.json', import.meta.url), `${JSON.stringify(result, null, 2)}\n`);
profiler?.disconnect();
await client.terminate();
server.close();
await admin?.end();
await database.close();
await scratch?.drop();
finishGoals();
