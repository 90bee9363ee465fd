import { spawn, type ChildProcess } from 'node:child_process';

/**
 * Runs `script --serve <kind> <json>` in a child process (so the load generator is not in the
 * server's event loop) and resolves when it prints `PORT <n>`. `nodeArgs` go before the script
 * (e.g. `--cpu-prof`).
 */
export function startChild(script: string, kind: string, target: unknown, nodeArgs: string[] = []): Promise<{ child: ChildProcess; port: number }> {
  const child = spawn(process.execPath, [...nodeArgs, '--import', 'tsx', script, '--serve', kind, JSON.stringify(target)], { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolvePort, reject) => {
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
      const m = /PORT (\d+)/.exec(out);
      if (m) resolvePort({ child, port: Number(m[1]) });
    });
    child.once('exit', (code) => reject(new Error(`${kind} server exited (${code})`)));
  });
}

export async function stopChild(child: ChildProcess): Promise<void> {
  child.removeAllListeners('exit');
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await exited;
}
