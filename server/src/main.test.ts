import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '../..');

function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const srv = createServer().listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => ok(port));
    });
    srv.on('error', fail);
  });
}

interface Started {
  child: ChildProcess;
  output: () => string;
  port: number;
  readyMs: number;
}

async function startServer(dataDir: string, port: number): Promise<Started> {
  const env: NodeJS.ProcessEnv = { ...process.env, PORT: String(port), HOST: '127.0.0.1', DATA_DIR: dataDir, NODE_ENV: 'development', LOG_LEVEL: 'warn' };
  delete env.DATABASE_URL;
  const started = Date.now();
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/src/main.ts'], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (d) => (output += d));
  child.stderr.on('data', (d) => (output += d));
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited early:\n${output}`);
    try {
      const res = await fetch(`http://127.0.0.1:${port}/health`);
      if (res.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() - started > 30_000) throw new Error(`server not ready in 30 s:\n${output}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return { child, output: () => output, port, readyMs: Date.now() - started };
}

function stop(child: ChildProcess, signal: NodeJS.Signals): Promise<number | null> {
  return new Promise((ok) => {
    child.once('exit', (code) => ok(code));
    child.kill(signal);
  });
}

describe.runIf(!process.env.DATABASE_URL)('the server process (npm start)', () => {
  const children: ChildProcess[] = [];
  afterEach(() => {
    for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
  });

  // Start-up time is measured in bench/startup.bench.ts, not asserted here (the machine may be busy).
  it('starts on an empty embedded database with the demo, stops cleanly, and keeps the data', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'kindkans-main-'));
    const port = await freePort();
    const first = await startServer(dataDir, port);
    children.push(first.child);
    expect(first.output()).toContain('Demo organisation PO2507 Stromenland created');
    const orgs = await (await fetch(`http://127.0.0.1:${port}/api/v1/organisations`)).json();
    expect(orgs).toEqual([{ code: 'PO2507', name: 'Stromenland', label: 'PO2507 Stromenland' }]);
    expect(existsSync(join(dataDir, 'pglite.lock'))).toBe(true);

    expect(await stop(first.child, 'SIGTERM')).toBe(0);
    expect(first.output()).toContain('SIGTERM: finishing requests in flight');
    expect(existsSync(join(dataDir, 'pglite.lock'))).toBe(false);

    const second = await startServer(dataDir, port);
    children.push(second.child);
    expect(second.output()).not.toContain('Demo organisation PO2507 Stromenland created');
    expect(await (await fetch(`http://127.0.0.1:${port}/api/v1/organisations`)).json()).toEqual(orgs);
    expect(await stop(second.child, 'SIGINT')).toBe(0);
  }, 60_000);
});
