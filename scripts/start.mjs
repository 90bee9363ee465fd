#!/usr/bin/env node
// `npm start`: builds the extension when it is missing, then runs the server (embedded PGlite
// in ./data with the demo organisation unless DATABASE_URL is set). Arguments pass through
// (`npm start -- --demo`).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const extension = resolve(root, 'dist/extension');

if (!existsSync(resolve(extension, 'manifest.json'))) {
  console.log('Building the browser extension (first start)…');
  const build = spawnSync('npx', ['vite', 'build'], { cwd: root, stdio: 'inherit' });
  if (build.status !== 0) {
    console.error('The extension build failed; the server starts anyway. Run `npm run build` to see why.');
  }
}
if (existsSync(resolve(extension, 'manifest.json'))) {
  console.log(`Extension ready to load: ${extension}`);
  console.log('  Chrome/Edge: chrome://extensions → Developer mode → "Load unpacked" → choose that folder.');
}

const server = spawn('npx', ['tsx', 'server/src/main.ts', ...process.argv.slice(2)], { cwd: root, stdio: 'inherit' });
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => server.kill(signal));
server.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
