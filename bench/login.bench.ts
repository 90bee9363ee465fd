// Login cost against its floor: the argon2id verification every login must do.
//  1. throughput: logins/s over HTTP (real server on 127.0.0.1, PGlite in memory or DATABASE_URL)
//     vs bare argon2 verifications/s, both with the same concurrency → the ratio.
//  2. event-loop delay p99 while 16 logins run at once, vs the same window idle, and vs 16
//     synchronous hashes (what blocking the loop would cost).
// Run: npx tsx bench/login.bench.ts  (writes bench/results/login.json)
import { createScratchDatabase } from './lib/scratch-database.ts';
import { mkdirSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { monitorEventLoopDelay } from 'node:perf_hooks';
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
const accounts = Array.from({ length: ROUNDS + AT_ONCE + 4 }, (_, i) => ({ username: `bench${i}`, secret: newTotpSecret() }));
await db.insert(users).values(accounts.map((a) => ({ organisationId: org.id, username: a.username, email: `${a.username}@example.org`, displayName: a.username, role: 'parent' as const, status: 'active' as const, passwordHash: hash, totpSecretEnc: box.encrypt(a.secret) })));

const app = createApp({ db, database, env, mailer: createLogMailer(silentLogger), logger: silentLogger });
const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' });
await new Promise((r) => server.once('listening', r));
const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/v1/auth/login`;

// The load comes from a worker thread, so that the client's own work is not in the server's event loop.
const client = new Worker(
  `const { parentPort } = require('node:worker_threads');
   parentPort.on('message', async ({ url, jobs, concurrency }) => {
     let i = 0; const statuses = [];
     const started = performance.now();
     await Promise.all(Array.from({ length: concurrency }, async () => {
       while (i < jobs.length) {
         const job = jobs[i++];
         const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', 'x-forwarded-for': job.ip }, body: job.body });
         await res.arrayBuffer(); statuses.push(res.status);
       }
     }));
     parentPort.postMessage({ ms: performance.now() - started, statuses });
   });`,
  { eval: true },
);

let next = 0;
/** `n` logins (each account once), `concurrency` at a time, sent by the worker; returns the wall time. */
async function logins(n: number, concurrency: number): Promise<number> {
  const jobs = await Promise.all(
    accounts.slice(next, (next += n)).map(async (a, i) => ({
      ip: `10.0.${(next + i) >> 8}.${(next + i) & 255}`,
      body: JSON.stringify({ organisation: org.code, username: a.username, password: PASSWORD, code: await totpCode(a.secret, new Date()) }),
    })),
  );
  const answer = new Promise<{ ms: number; statuses: number[] }>((r) => client.once('message', r));
  client.postMessage({ url, jobs, concurrency });
  const { ms, statuses } = await answer;
  if (statuses.some((s) => s !== 200)) throw new Error(`logins answered ${[...new Set(statuses)].join(', ')}`);
  return ms;
}

async function pool(n: number, work: () => Promise<unknown>): Promise<number> {
  let left = n;
  const started = performance.now();
  await Promise.all(Array.from({ length: CONCURRENCY }, async () => {
    while (left-- > 0) await work();
  }));
  return n / ((performance.now() - started) / 1000);
}

await logins(4, 4); // warm-up
const argon2PerSecond = await pool(ROUNDS, () => verify(hash, PASSWORD));
const loginsPerSecond = ROUNDS / ((await logins(ROUNDS, CONCURRENCY)) / 1000);

async function loopDelayDuring(work: () => unknown) {
  const h = monitorEventLoopDelay({ resolution: 5 });
  h.enable();
  const started = performance.now();
  await work();
  const ms = performance.now() - started;
  h.disable();
  return { p99: h.percentile(99) / 1e6, max: h.max / 1e6, ms };
}
const during = await loopDelayDuring(() => logins(AT_ONCE, AT_ONCE));
const idle = await loopDelayDuring(() => new Promise((r) => setTimeout(r, during.ms)));
const bare = await loopDelayDuring(() => Promise.all(Array.from({ length: AT_ONCE }, () => verify(hash, PASSWORD))));
const blocking = await loopDelayDuring(async () => {
  for (let i = 0; i < AT_ONCE; i++) {
    hashSync(PASSWORD, ARGON2_OPTIONS);
    await new Promise((r) => setImmediate(r));
  }
});

const round = (x: number, d = 1) => Math.round(x * 10 ** d) / 10 ** d;
const result = {
  database: database.kind,
  concurrency: CONCURRENCY,
  argon2VerifiesPerSecond: round(argon2PerSecond),
  loginsPerSecond: round(loginsPerSecond),
  loginToArgon2Ratio: round(loginsPerSecond / argon2PerSecond, 2),
  sixteenLogins: { wallMs: round(during.ms), loopDelayP99Ms: round(during.p99), loopDelayMaxMs: round(during.max) },
  idleLoopDelayP99Ms: round(idle.p99),
  sixteenBareAsyncVerifies: { wallMs: round(bare.ms), loopDelayP99Ms: round(bare.p99) },
  loginToBareLoopDelayRatio: round(during.p99 / bare.p99, 2),
  sixteenSyncHashesLoopDelayP99Ms: round(blocking.p99),
};
console.log(`database: ${result.database}; ${CONCURRENCY} at a time, ${ROUNDS} each`);
console.log(`bare argon2id verify:   ${result.argon2VerifiesPerSecond}/s`);
console.log(`HTTP login (full flow): ${result.loginsPerSecond}/s  → ${result.loginToArgon2Ratio} × the argon2 floor`);
console.log(`16 logins at once: ${result.sixteenLogins.wallMs} ms, event-loop delay p99 ${result.sixteenLogins.loopDelayP99Ms} ms`);
console.log(`  baselines: idle ${result.idleLoopDelayP99Ms} ms; 16 bare async argon2 verifies ${result.sixteenBareAsyncVerifies.loopDelayP99Ms} ms (${result.sixteenBareAsyncVerifies.wallMs} ms); one hashSync per tick ${result.sixteenSyncHashesLoopDelayP99Ms} ms`);
mkdirSync(new URL('./results/', import.meta.url), { recursive: true });
writeFileSync(new URL('./results/login.json', import.meta.url), `${JSON.stringify(result, null, 2)}\n`);
await client.terminate();
server.close();
await database.close();
await scratch?.drop();
