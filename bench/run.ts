// `npm run bench [name…]`: runs each benchmark script in bench/ (every *.ts here but this one),
// one after another, so they never compete for the 2 cores. Each prints its own summary and
// writes figures to bench/results/<name>.json. Pass names to run a subset: `npm run bench login`.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const wanted = process.argv.slice(2);
const scripts = readdirSync(here)
  .filter((f) => f.endsWith('.ts') && f !== 'run.ts' && !f.endsWith('.test.ts'))
  .filter((f) => wanted.length === 0 || wanted.some((w) => f.includes(w)))
  .sort();

let failed = 0;
for (const file of scripts) {
  console.log(`\n=== ${basename(file, '.ts')} ===`);
  const run = spawnSync('npx', ['tsx', join(here, file)], { stdio: 'inherit', env: process.env });
  if (run.status !== 0) {
    failed++;
    console.error(`${file} failed (exit ${run.status})`);
  }
}
console.log(`\n${scripts.length - failed} of ${scripts.length} benchmarks finished; figures in bench/results/.`);
process.exit(failed ? 1 : 0);
