// Start-up: time from spawning `node --import tsx server/src/main.ts` on an empty DATA_DIR
// (embedded PGlite: create, migrate, seed the demo) until GET /health answers, then a second
// start on the same data; baseline: a bare node:http server spawned the same way (the cost
// of Node itself). The bar is "answers /health within 10 seconds on a fresh clone".
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');

const freePort = () =>
  new Promise<number>((ok) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => ok(port));
    });
  });

async function timeToHealth(args: string[], env: Record<string, string>, port: number): Promise<number> {
  const started = performance.now();
  const child = spawn(process.execPath, args, { cwd: root, env: { ...process.env, ...env, PORT: String(port), HOST: '127.0.0.1' }, stdio: 'ignore' });
  try {
    for (;;) {
      try {
        if ((await fetch(`http://127.0.0.1:${port}/health`)).ok) return performance.now() - started;
      } catch {
        // not listening yet
      }
      if (performance.now() - started > 60_000) throw new Error('not ready in 60 s');
      await new Promise((r) => setTimeout(r, 25));
    }
  } finally {
    await new Promise((r) => {
      child.once('exit', r);
      child.kill('SIGTERM');
    });
  }
}

const baselineFile = join(mkdtempSync(join(tmpdir(), 'kk-bench-')), 'bare.mjs');
writeFileSync(baselineFile, `import http from 'node:http'; http.createServer((q, r) => r.end('{"status":"ok"}')).listen(process.env.PORT, '127.0.0.1');`);

const runs = 3;
const result = { baselineMs: [] as number[], firstStartMs: [] as number[], secondStartMs: [] as number[] };
for (let i = 0; i < runs; i++) {
  const port = await freePort();
  result.baselineMs.push(await timeToHealth([baselineFile], {}, port));
  const dataDir = mkdtempSync(join(tmpdir(), 'kk-bench-data-'));
  const env = { DATA_DIR: dataDir, LOG_LEVEL: 'warn', DATABASE_URL: '' };
  result.firstStartMs.push(await timeToHealth(['--import', 'tsx', 'server/src/main.ts'], env, port));
  result.secondStartMs.push(await timeToHealth(['--import', 'tsx', 'server/src/main.ts'], env, port));
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const summary = {
  baselineMs: Math.round(median(result.baselineMs)),
  firstStartMs: Math.round(median(result.firstStartMs)),
  secondStartMs: Math.round(median(result.secondStartMs)),
  firstStartRatio: +(median(result.firstStartMs) / median(result.baselineMs)).toFixed(1),
  secondStartRatio: +(median(result.secondStartMs) / median(result.baselineMs)).toFixed(1),
  runs,
};
console.log(`bare node:http ready in ${summary.baselineMs} ms (baseline)`);
console.log(`Kindkans, empty DATA_DIR (create, migrate, demo): ${summary.firstStartMs} ms = ${summary.firstStartRatio}× baseline`);
console.log(`Kindkans, second start on the same data:          ${summary.secondStartMs} ms = ${summary.secondStartRatio}× baseline`);
mkdirSync(join(root, 'bench/results'), { recursive: true });
writeFileSync(join(root, 'bench/results/startup.json'), JSON.stringify(summary, null, 2));
