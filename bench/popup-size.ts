// The popup's JavaScript, gzipped: every script popup.html loads, with the chunks they import.
// Run: npx tsx bench/popup-size.ts [folder]   (without a folder: a fresh build in dist/bench-extension)
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { pathToFileURL } from 'node:url';

export const POPUP_JS_BUDGET_KB = 25;

/** The JS files popup.html needs, following static `import … from "./x.js"` between chunks. */
export function popupScripts(dir: string): string[] {
  return pageScripts(dir, 'popup.html');
}

/** The JS files an extension page needs (its entry and the chunks those import). */
export function pageScripts(dir: string, page: string): string[] {
  const html = readFileSync(join(dir, page), 'utf8');
  const queue = [...html.matchAll(/(?:src|href)="\.?\/?([^"]+\.js)"/g)].map((m) => resolve(dir, m[1]!));
  const seen = new Set<string>();
  while (queue.length) {
    const file = queue.shift()!;
    if (seen.has(file)) continue;
    seen.add(file);
    const code = readFileSync(file, 'utf8');
    for (const m of code.matchAll(/(?:from|import)\s*["'](\.{1,2}\/[^"']+\.js)["']/g)) queue.push(resolve(dirname(file), m[1]!));
  }
  return [...seen];
}

export function measurePopupSize(dir?: string) {
  if (!dir) {
    dir = resolve('dist/bench-extension');
    execFileSync(resolve('node_modules/.bin/vite'), ['build', '--logLevel', 'warn'], {
      stdio: 'inherit', env: { ...process.env, EXTENSION_OUT_DIR: dir, VITE_CONFIG_NATIVE_IGNORE_WARNING: 'true' },
    });
  }
  if (!existsSync(join(dir, 'popup.html'))) throw new Error(`no popup.html in ${dir}`);
  const root = dir;
  const files = popupScripts(root).map((file) => {
    const bytes = readFileSync(file);
    return { file: file.slice(root.length + 1), raw: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length };
  });
  const gzip = files.reduce((sum, f) => sum + f.gzip, 0);
  const raw = files.reduce((sum, f) => sum + f.raw, 0);
  return { files, raw, gzip, gzipKB: Math.round((gzip / 1024) * 10) / 10, budgetKB: POPUP_JS_BUDGET_KB };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const result = measurePopupSize(process.argv[2] ? resolve(process.argv[2]) : undefined);
  for (const f of result.files) console.log(`${f.file.padEnd(36)} ${String(f.raw).padStart(7)} B  ${String(f.gzip).padStart(6)} B gzip`);
  console.log(`popup JS: ${(result.raw / 1024).toFixed(1)} KB, ${result.gzipKB} KB gzipped (budget ${POPUP_JS_BUDGET_KB} KB)`);
  mkdirSync(resolve('bench/results'), { recursive: true });
  writeFileSync(resolve('bench/results/popup-size.json'), `${JSON.stringify(result, null, 2)}\n`);
  if (result.gzipKB > POPUP_JS_BUDGET_KB) process.exitCode = 1;
}
