// The soak workload: simulated parents, staff, an isolation checker and (when the server has
// API tokens) an integration, against a running Kindkans. Every answer is checked; anything
// unexpected is an error. Used by bench/soak.bench.ts (minutes) and server/src/faults/soak.test.ts.
import { readFileSync } from 'node:fs';
import { totpCode } from '../../server/src/lib/totp.ts';
import { multipart, pdfBytes, sha256, WORLD_PASSWORD, type Account, type Family, type World } from './world.ts';

/**
 * The keep-alive timeout the soak's server runs with. Node's fetch (undici) keeps idle sockets up
 * to the server's `Keep-Alive: timeout=5` hint minus a small margin; on a loaded machine its timer
 * fires late, it sends on a socket the server has just closed at 5 s, and the request fails
 * with "other side closed" (a browser retries such a request; fetch does not). That is the
 * client's race, not the server's fault, so the soak gives the server a longer keep-alive.
 */
const SOAK_KEEP_ALIVE_MS = '30000';

/**
 * The server settings a soak runs with: the longer keep-alive above, and a per-token limit that
 * fits the integration's pace. The integration reads as fast as it can (80+ requests a second on a
 * quiet machine since the token path became one statement), far over the default 600 a minute; a
 * real partnership with such a feed gets the limit it needs (`API_TOKEN_RATE_PER_MINUTE`). The
 * 429 itself is tested in api-tokens.test.ts and rate-limit-blocks.test.ts, not here.
 */
export const SOAK_SERVER_ENV = { KEEP_ALIVE_TIMEOUT_MS: SOAK_KEEP_ALIVE_MS, API_TOKEN_RATE_PER_MINUTE: '100000' };

export interface SoakOptions {
  base: string;
  world: World;
  seconds: number;
  parents: number;
  staff: number;
  checkers: number;
  integrations: number;
  /** The server must run with TRUST_PROXY=true (each simulated user has an address of its own). */
  /** Server process id, for RSS from /proc (else the admin /health figure). */
  pid?: number;
  sampleEveryMs: number;
  uploadBytes?: [number, number];
  log?: (line: string) => void;
}

interface Kind {
  latencies: number[];
  errors: number;
}

interface Sample {
  atSeconds: number;
  requestsPerSecond: number;
  rssMb: number;
  loopDelayP99Ms: number | null;
  loopDelayMaxMs: number | null;
  inFlight: number | null;
  rejected: number | null;
}

export interface SoakResult {
  seconds: number;
  requests: number;
  requestsPerSecond: number;
  errors: number;
  errorSamples: string[];
  kinds: Record<string, { count: number; errors: number; p50: number; p99: number }>;
  isolation: { checks: number; leaks: number };
  integration: 'api-tokens' | 'not available';
  samples: Sample[];
}

const percentile = (sorted: number[], p: number) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]! : 0);
const round = (n: number) => Math.round(n * 10) / 10;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const pick = <T>(items: T[]) => items[Math.floor(Math.random() * items.length)]!;
const step = () => Math.floor(Date.now() / 30_000);

export function rssMbOf(pid: number): number {
  return Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;
}

export async function runSoak(o: SoakOptions): Promise<SoakResult> {
  const kinds = new Map<string, Kind>();
  const errorSamples: string[] = [];
  let requests = 0;
  let stopped = false;
  const isolation = { checks: 0, leaks: 0 };
  const lastStep = new Map<string, number>();
  /** Attachments the staff uploaded during the run (family index → ids), for the checker too. */
  const uploaded: Array<{ family: number; id: string; sha256: string }> = [];

  const record = (kind: string, ms: number, ok: boolean, why?: string) => {
    requests++;
    let k = kinds.get(kind);
    if (!k) kinds.set(kind, (k = { latencies: [], errors: 0 }));
    k.latencies.push(ms);
    if (!ok) {
      k.errors++;
      if (errorSamples.length < 20) errorSamples.push(`${kind}: ${why}`);
    }
  };

  /** One request, timed and checked by `check` (returns an error text or null). */
  async function call(kind: string, path: string, init: RequestInit & { token?: string }, check: (res: Response, body: Buffer) => string | null): Promise<{ res: Response; body: Buffer } | null> {
    const t0 = performance.now();
    try {
      const headers = new Headers(init.headers);
      if (init.token) headers.set('authorization', `Bearer ${init.token}`);
      const res = await fetch(`${o.base}${path}`, { ...init, headers, signal: AbortSignal.timeout(30_000) });
      const body = Buffer.from(await res.arrayBuffer());
      const problem = check(res, body);
      record(kind, performance.now() - t0, problem === null, problem ?? undefined);
      return problem === null ? { res, body } : null;
    } catch (err) {
      record(kind, performance.now() - t0, false, String((err as Error).message));
      return null;
    }
  }
  const json = <T>(r: { body: Buffer } | null) => (r ? (JSON.parse(r.body.toString('utf8')) as T) : null);
  const status = (want: number) => (res: Response, body: Buffer) => (res.status === want ? null : `status ${res.status} ${body.toString('utf8').slice(0, 200)}`);

  // Every account logs in from an address of its own (the server runs with TRUST_PROXY): a
  // whole organisation behind one address would meet the per-address login limit.
  const everyone = [o.world.admin, ...o.world.staff, ...o.world.parents];
  const addressOf = (a: Account) => {
    const i = everyone.indexOf(a) + 1;
    return `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`;
  };
  async function login(kind: string, account: Account): Promise<string | null> {
    lastStep.set(account.username, step());
    const code = await totpCode(account.secret, new Date());
    const r = await call(kind, '/api/v1/auth/login', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-forwarded-for': addressOf(account) },
      body: JSON.stringify({ organisation: o.world.organisation, username: account.username, password: WORLD_PASSWORD, code }),
    }, status(200));
    return json<{ token: string }>(r)?.token ?? null;
  }
  const free = (a: Account) => (lastStep.get(a.username) ?? -1) < step();

  // ---- parents: log in, read their own child's dossier for a while, log out, next account
  const checkerAccounts = o.world.families.slice(0, o.checkers).map((f, i) => o.world.parents.find((p) => p.family === i && f)!);
  const parentPool = o.world.parents.filter((p) => !checkerAccounts.includes(p));
  async function parent(v: number) {
    const mine = parentPool.filter((_, i) => i % o.parents === v);
    let token: string | null = null;
    let account: Account | null = null;
    let reads = 0;
    while (!stopped) {
      if (!token || reads >= 15) {
        const next = mine.find(free);
        if (next) {
          if (token) await call('logout', '/api/v1/auth/logout', { method: 'POST', token }, status(204));
          token = await login('login', next);
          account = next;
          reads = 0;
          if (!token) {
            await sleep(200);
            continue;
          }
        } else if (!token) {
          await sleep(250);
          continue;
        }
      }
      const family: Family = o.world.families[account!.family!]!;
      reads++;
      switch (reads % 5) {
        case 0:
          await call('news', '/api/v1/news', { token: token }, status(200));
          break;
        case 1:
          await call('dossiers', '/api/v1/dossiers', { token: token }, (res, body) => {
            if (res.status !== 200) return `status ${res.status}`;
            const page = JSON.parse(body.toString()) as { total: number; items: Array<{ id: string }> };
            return page.total === 1 && page.items[0]?.id === family.dossierId ? null : `parent saw ${page.total} dossiers`;
          });
          break;
        case 2:
          await call('hulpvragen', `/api/v1/dossiers/${family.dossierId}/hulpvragen`, { token: token }, (res, body) => {
            if (res.status !== 200) return `status ${res.status}`;
            const page = JSON.parse(body.toString()) as { total: number; items: Array<{ title: string }> };
            return page.total === family.hulpvraagIds.length && page.items.every((h) => h.title.includes(family.marker)) ? null : 'wrong hulpvragen';
          });
          break;
        case 3:
          await call('hulpvraag', `/api/v1/hulpvragen/${pick(family.hulpvraagIds)}`, { token: token }, (res, body) =>
            res.status === 200 && body.toString().includes(family.marker) ? null : `status ${res.status}`,
          );
          break;
        case 4: {
          const a = pick(family.attachments);
          await call('download', `/api/v1/attachments/${a.id}/content`, { token: token }, (res, body) => (res.status === 200 && sha256(body) === a.sha256 ? null : `status ${res.status}, ${body.length} bytes`));
          break;
        }
      }
    }
    if (token) await call('logout', '/api/v1/auth/logout', { method: 'POST', token }, status(204));
  }

  // ---- staff: lists across the organisation, details, uploads (verified by downloading back)
  async function staff(v: number) {
    const account = o.world.staff[v % o.world.staff.length]!;
    while (!free(account) && !stopped) await sleep(250);
    const token = await login('login', account);
    if (!token) return;
    const [lo, hi] = o.uploadBytes ?? [20 * 1024, 200 * 1024];
    for (let n = 0; !stopped; n++) {
      const f = Math.floor(Math.random() * o.world.families.length);
      const family = o.world.families[f]!;
      switch (n % 4) {
        case 0:
          await call('staff-dossiers', '/api/v1/dossiers?pageSize=20', { token }, (res, body) =>
            res.status === 200 && (JSON.parse(body.toString()) as { total: number }).total === o.world.families.length ? null : `status ${res.status}`,
          );
          break;
        case 1:
          await call('staff-hulpvragen', `/api/v1/dossiers/${family.dossierId}/hulpvragen`, { token }, status(200));
          break;
        case 2:
          await call('staff-hulpvraag', `/api/v1/hulpvragen/${pick(family.hulpvraagIds)}`, { token }, status(200));
          break;
        case 3: {
          const bytes = pdfBytes(lo + Math.floor(Math.random() * (hi - lo)));
          const { body, contentType } = multipart(`soak-${n}.pdf`, bytes);
          const r = await call('upload', `/api/v1/hulpvragen/${pick(family.hulpvraagIds)}/attachments`, { method: 'POST', token, headers: { 'content-type': contentType }, body }, (res, out) =>
            res.status === 201 && (JSON.parse(out.toString()) as { sha256: string }).sha256 === sha256(bytes) ? null : `status ${res.status} ${out.toString().slice(0, 200)}`,
          );
          const made = json<{ id: string }>(r);
          if (made) {
            uploaded.push({ family: f, id: made.id, sha256: sha256(bytes) });
            await call('staff-download', `/api/v1/attachments/${made.id}/content`, { token }, (res, out) => (res.status === 200 && sha256(out) === sha256(bytes) ? null : `status ${res.status}`));
          }
          break;
        }
      }
    }
  }

  // ---- the checker: a parent asking for other families' ids; always 404, never their bytes
  async function checker(v: number) {
    const account = checkerAccounts[v]!;
    while (!free(account) && !stopped) await sleep(250);
    const token = await login('login', account);
    if (!token) return;
    const others = o.world.families.filter((_, i) => i !== account.family);
    for (let n = 0; !stopped; n++) {
      const theirs = pick(others);
      const theirIndex = o.world.families.indexOf(theirs);
      const extra = uploaded.filter((u) => u.family === theirIndex);
      const attachment = extra.length && n % 2 ? pick(extra).id : pick(theirs.attachments).id;
      const paths = [
        `/api/v1/dossiers/${theirs.dossierId}`,
        `/api/v1/dossiers/${theirs.dossierId}/hulpvragen`,
        `/api/v1/dossiers/${theirs.dossierId}/access-log`,
        `/api/v1/hulpvragen/${pick(theirs.hulpvraagIds)}`,
        `/api/v1/attachments/${attachment}`,
        `/api/v1/attachments/${attachment}/content`,
      ];
      const path = paths[n % paths.length]!;
      isolation.checks++;
      await call('isolation', path, { token }, (res, body) => {
        const text = body.toString('latin1');
        const leaked = text.includes(theirs.marker) || text.includes('%PDF') || (res.status !== 404 && text.includes(attachment));
        if (leaked) isolation.leaks++;
        if (leaked) return `LEAK on ${path}`;
        return res.status === 404 && res.headers.get('content-type') === 'application/problem+json' ? null : `status ${res.status} on ${path}`;
      });
    }
  }

  // ---- the integration: an API token (kk_…) reading the organisation, when the server has them
  async function integrationToken(adminToken: string): Promise<string | null> {
    const res = await fetch(`${o.base}/openapi.json`);
    const doc = (await res.json()) as { paths: Record<string, unknown> };
    if (!doc.paths['/api/v1/api-tokens']) return null;
    const r = await call('token-create', '/api/v1/api-tokens', {
      method: 'POST', token: adminToken, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'Soak-koppeling', scopes: ['dossiers:read'], expiresInDays: 1 }),
    }, status(201));
    return json<{ token: string }>(r)?.token ?? null;
  }
  async function integration(token: string) {
    for (let n = 0; !stopped; n++) {
      const family = pick(o.world.families);
      switch (n % 3) {
        case 0:
          await call('integration-dossiers', '/api/v1/dossiers?pageSize=50', { token }, (res, body) =>
            res.status === 200 && (JSON.parse(body.toString()) as { total: number }).total === o.world.families.length ? null : `status ${res.status}`,
          );
          break;
        case 1:
          await call('integration-hulpvragen', `/api/v1/dossiers/${family.dossierId}/hulpvragen`, { token }, status(200));
          break;
        case 2: {
          const a = pick(family.attachments);
          await call('integration-download', `/api/v1/attachments/${a.id}/content`, { token }, (res, body) => (res.status === 200 && sha256(body) === a.sha256 ? null : `status ${res.status}`));
          break;
        }
      }
    }
  }

  // ---- the operator's view: admin /health details and the process's RSS
  const adminToken = await login('login', o.world.admin);
  if (!adminToken) throw new Error(`the admin could not log in: ${errorSamples.join('; ')}`);
  const samples: Sample[] = [];
  const started = performance.now();
  let lastCount = 0;
  let lastAt = started;
  async function sample() {
    const r = await fetch(`${o.base}/health`, { headers: { authorization: `Bearer ${adminToken}` } }).catch(() => null);
    const details = r && r.ok ? ((await r.json()) as { details?: { process: { rssMb: number; eventLoopDelayMs: { p99: number; max: number } | null }; requests: { inFlight: number; rejected: number } | null } }).details : undefined;
    const now = performance.now();
    samples.push({
      atSeconds: Math.round((now - started) / 1000),
      requestsPerSecond: round(((requests - lastCount) * 1000) / (now - lastAt)),
      rssMb: round(o.pid ? rssMbOf(o.pid) : (details?.process.rssMb ?? 0)),
      loopDelayP99Ms: details?.process.eventLoopDelayMs?.p99 ?? null,
      loopDelayMaxMs: details?.process.eventLoopDelayMs?.max ?? null,
      inFlight: details?.requests?.inFlight ?? null,
      rejected: details?.requests?.rejected ?? null,
    });
    lastCount = requests;
    lastAt = now;
    o.log?.(`  t=${samples.at(-1)!.atSeconds}s ${samples.at(-1)!.requestsPerSecond} req/s, RSS ${samples.at(-1)!.rssMb} MB, loop p99 ${samples.at(-1)!.loopDelayP99Ms} ms, errors ${[...kinds.values()].reduce((n, k) => n + k.errors, 0)}`);
  }

  const apiToken = o.integrations > 0 ? await integrationToken(adminToken) : null;
  const workers = [
    ...Array.from({ length: o.parents }, (_, v) => parent(v)),
    ...Array.from({ length: o.staff }, (_, v) => staff(v)),
    ...Array.from({ length: o.checkers }, (_, v) => checker(v)),
    ...(apiToken ? Array.from({ length: o.integrations }, () => integration(apiToken)) : []),
  ];
  await sample();
  const monitor = setInterval(() => void sample(), o.sampleEveryMs);
  await sleep(o.seconds * 1000);
  stopped = true;
  clearInterval(monitor);
  await Promise.all(workers);
  await sample();
  const seconds = (performance.now() - started) / 1000;

  const summary: SoakResult['kinds'] = {};
  let errors = 0;
  for (const [name, k] of [...kinds.entries()].sort()) {
    const sorted = [...k.latencies].sort((a, b) => a - b);
    summary[name] = { count: sorted.length, errors: k.errors, p50: round(percentile(sorted, 50)), p99: round(percentile(sorted, 99)) };
    errors += k.errors;
  }
  return {
    seconds: round(seconds),
    requests,
    requestsPerSecond: round(requests / seconds),
    errors,
    errorSamples,
    kinds: summary,
    isolation,
    integration: apiToken ? 'api-tokens' : 'not available',
    samples,
  };
}

/** Prints a result as the bench does. */
export function describeSoak(r: SoakResult): string[] {
  const lines = [`${r.requests} requests in ${r.seconds} s: ${r.requestsPerSecond} req/s, errors ${r.errors}; isolation checks ${r.isolation.checks}, leaks ${r.isolation.leaks}; integration: ${r.integration}`];
  for (const [name, k] of Object.entries(r.kinds)) lines.push(`  ${name.padEnd(22)} ${String(k.count).padStart(7)}  p50 ${String(k.p50).padStart(7)} ms  p99 ${String(k.p99).padStart(7)} ms  errors ${k.errors}`);
  for (const e of r.errorSamples) lines.push(`  ! ${e}`);
  return lines;
}
