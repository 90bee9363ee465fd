import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Start-up: creates the spool directory and removes what a killed process left in it (each
 * upload spools in `<pid>-<random>/`; a directory whose process is gone, or that carries our
 * own pid from an earlier life, is garbage: its key died with that process, so the bytes were
 * unreadable anyway). Returns how many directories were removed.
 */
export function cleanSpoolRoot(root: string): number {
  mkdirSync(root, { recursive: true, mode: 0o700 });
  let removed = 0;
  for (const name of readdirSync(root)) {
    const pid = Number(/^(\d+)-/.exec(name)?.[1]);
    if (!Number.isInteger(pid) || pid === 0) continue;
    if (pid !== process.pid && isAlive(pid)) continue; // another live server on the same directory
    rmSync(join(root, name), { recursive: true, force: true });
    removed++;
  }
  return removed;
}
