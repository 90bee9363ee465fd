// The staff panel's JavaScript, gzipped: every script admin.html loads, with the chunks they
// import (shared chunks counted too). Run: npx tsx bench/panel-size.ts [folder]
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { pageScripts } from './popup-size.ts';

export const PANEL_JS_BUDGET_KB = 40;

let dir = process.argv[2] ? resolve(process.argv[2]) : '';
if (!dir) {
  dir = resolve('dist/bench-extension');
  execFileSync(resolve('node_modules/.bin/vite'), ['build', '--logLevel', 'warn'], {
    stdio: 'inherit', env: { ...process.env, EXTENSION_OUT_DIR: dir, VITE_CONFIG_NATIVE_IGNORE_WARNING: 'true' },
  });
}
if (!existsSync(join(dir, 'admin.html'))) throw new Error(`no admin.html in ${dir}`);
const files = pageScripts(dir, 'admin.html').map((file) => {
  const bytes = readFileSync(file);
  return { file: file.slice(dir.length + 1), raw: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length };
});
const gzip = files.reduce((s, f) => s + f.gzip, 0);
const raw = files.reduce((s, f) => s + f.raw, 0);
for (const f of files) console.log(`${f.file.padEnd(36)} ${String(f.raw).padStart(7)} B  ${String(f.gzip).padStart(6)} B gzip`);
const gzipKB = Math.round((gzip / 1024) * 10) / 10;
console.log(`panel JS: ${(raw / 1024).toFixed(1)} KB, ${gzipKB} KB gzipped (budget ${PANEL_JS_BUDGET_KB} KB)`);
mkdirSync(resolve('bench/results'), { recursive: true });
writeFileSync(resolve('bench/results/panel-size.json'), `${JSON.stringify({ files, raw, gzip, gzipKB, budgetKB: PANEL_JS_BUDGET_KB }, null, 2)}\n`);
if (gzipKB > PANEL_JS_BUDGET_KB) process.exitCode = 1;
