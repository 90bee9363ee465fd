#!/usr/bin/env node
// `npm start`: runs the server (embedded PGlite in ./data with the demo organisation unless
// DATABASE_URL is set) and, when dist/extension is missing, builds the extension alongside it
// so the server is up within seconds. Arguments pass to the server (`npm start -- --demo`).
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const extension = resolve(root, 'dist/extension');
const built = () => existsSync(resolve(extension, 'manifest.json'));

function printExtension() {
  console.log(`Extension ready to load: ${extension}`);
  console.log('  Chrome/Edge: chrome://extensions → Developer mode → "Load unpacked" → choose that folder.');
  console.log('  Firefox: about:debugging → This Firefox → "Load Temporary Add-on…" → choose manifest.json in that folder.');
}

const server = spawn(process.execPath, ['--import', 'tsx', 'server/src/main.ts', ...process.argv.slice(2)], { cwd: root, stdio: 'inherit' });
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => server.kill(signal));
server.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));

if (built()) {
  printExtension();
} else {
  console.log('Building the browser extension (first start)…');
  const build = spawn(process.execPath, [resolve(root, 'node_modules/vite/bin/vite.js'), 'build', '--logLevel', 'warn'], { cwd: root, stdio: 'inherit' });
  build.on('exit', (code) => {
    if (code === 0 && built()) printExtension();
    else console.error('The extension build failed (the server runs on). Run `npm run build` to see why.');
  });
}
