// Load generation for the list benchmarks: keep-alive connections that each send the next request
// when the last one is answered, latencies after a warm-up, and the CPU the server process and its
// PostgreSQL backends spent per request (from /proc, so it holds up on a loaded machine).
import { readFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import postgres from 'postgres';

export const CONNECTIONS = 64;
const WARMUP_MS = 1500;
export const MEASURE_MS = Number(process.env.BENCH_SECONDS ?? 6) * 1000;

export interface LoadResult { requests: number; errors: number; rps: number; p50: number; p99: number; nodeCpuMs: number; pgCpuMs: number | null }

/** CPU seconds (user + system) a process has used so far, from /proc (clock ticks of 10 ms). */
const cpuSeconds = (pid: number) => {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return 0; // gone
  }
};

/** CPU of the server process and of the PostgreSQL backends serving the bench database. */
export function cpuMeter(serverPid: number, databaseUrl: string | undefined) {
  const admin = databaseUrl ? postgres(databaseUrl, { max: 1, onnotice: () => {} }) : null;
  const backends = async () =>
    admin ? (await admin<{ pid: number }[]>`select pid from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()`).map((r) => r.pid) : [];
  return {
    async snapshot() {
      const pids = await backends();
      return { node: cpuSeconds(serverPid), pg: new Map(pids.map((pid) => [pid, cpuSeconds(pid)])) };
    },
    async since(start: { node: number; pg: Map<number, number> }) {
      const now = await this.snapshot();
      let pg = 0;
      for (const [pid, t] of now.pg) pg += t - (start.pg.get(pid) ?? 0);
      return { node: now.node - start.node, pg: admin ? pg : null };
    },
    close: () => admin?.end(),
  };
}

export async function load(port: number, path: string, token: string, expectTotal: number, meter: ReturnType<typeof cpuMeter>, connections = CONNECTIONS): Promise<LoadResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: connections });
  const latencies: number[] = [];
  let errors = 0;
  let measuring = false;
  let stop = false;
  const once = () =>
    new Promise<void>((done) => {
      const started = performance.now();
      const req = request({ host: '127.0.0.1', port, path, agent, headers: { authorization: `Bearer ${token}` } }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const ok = res.statusCode === 200 && (JSON.parse(Buffer.concat(chunks).toString()) as { total: number }).total === expectTotal;
          if (measuring && ok) latencies.push(performance.now() - started);
          else if (measuring) errors++;
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
  const workers = Array.from({ length: connections }, worker);
  await new Promise((r) => setTimeout(r, WARMUP_MS));
  const cpuAtStart = await meter.snapshot();
  measuring = true;
  const t0 = performance.now();
  await new Promise((r) => setTimeout(r, MEASURE_MS));
  measuring = false;
  const elapsed = (performance.now() - t0) / 1000;
  const cpu = await meter.since(cpuAtStart);
  stop = true;
  await Promise.all(workers);
  agent.destroy();
  latencies.sort((a, b) => a - b);
  const pct = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * p))] ?? NaN;
  const n = Math.max(1, latencies.length);
  return { requests: latencies.length, errors, rps: latencies.length / elapsed, p50: pct(0.5), p99: pct(0.99), nodeCpuMs: (cpu.node * 1000) / n, pgCpuMs: cpu.pg === null ? null : (cpu.pg * 1000) / n };
}

