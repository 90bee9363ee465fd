#!/usr/bin/env node
// `npm test`: every test. The server and extension unit tests (vitest), then the browser
// end-to-end tests on the built extension in real Chromium and in real Firefox ESR. A browser
// that is missing has its tests skipped LOUDLY (and in CI that is a failure). Ends with one
// summary line. Set KINDKANS_E2E=0 to skip the browser tests on purpose (CI does so on its
// second, PostgreSQL pass: the browser tests run their own server on embedded PGlite).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const passthrough = process.argv.slice(2);
const browsers = [
  {
    name: 'Chromium', path: process.env.CHROMIUM_PATH || '/usr/bin/chromium', variable: 'CHROMIUM_PATH',
    install: 'apt-get update && apt-get install -y chromium', config: 'vitest.e2e.config.ts',
  },
  {
    name: 'Firefox', path: process.env.FIREFOX_PATH || '/usr/bin/firefox-esr', variable: 'FIREFOX_PATH',
    install: 'apt-get update && apt-get install -y firefox-esr firefox-esr-l10n-nl', config: 'vitest.e2e-firefox.config.ts',
  },
];
const totals = { passed: 0, failed: 0, skipped: 0 };
let ok = true;

function vitest(label, args, withPassthrough = true) {
  const report = join(mkdtempSync(join(tmpdir(), 'kindkans-vitest-')), 'report.json');
  console.log(`\n=== ${label} ===`);
  const run = spawnSync('npx', ['vitest', 'run', ...args, '--reporter=default', '--reporter=json', `--outputFile.json=${report}`, ...(withPassthrough ? passthrough : [])], {
    cwd: root,
    stdio: 'inherit',
  });
  if (existsSync(report)) {
    const r = JSON.parse(readFileSync(report, 'utf8'));
    totals.passed += r.numPassedTests;
    totals.failed += r.numFailedTests;
    totals.skipped += r.numPendingTests + r.numTodoTests;
    if (r.numFailedTestSuites > 0 && r.numFailedTests === 0) totals.failed += r.numFailedTestSuites;
  }
  if (run.status !== 0) ok = false;
}

console.log(process.env.DATABASE_URL ? 'Database: PostgreSQL (DATABASE_URL)' : 'Database: embedded PGlite (set DATABASE_URL to test on PostgreSQL)');
vitest('Unit and API tests (vitest)', []);

if (process.env.KINDKANS_E2E === '0') {
  console.log('\nBrowser tests skipped on purpose (KINDKANS_E2E=0).');
} else {
  const present = browsers.filter((b) => existsSync(b.path));
  for (const b of browsers.filter((x) => !present.includes(x))) {
    const banner = [
      '!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!',
      `!! BROWSER TESTS SKIPPED: ${b.name} was not found at ${b.path}.`,
      `!! The extension end-to-end tests in ${b.name} did NOT run. To run them:`,
      `!!   ${b.install}      (then npm test again)`,
      `!! or point ${b.variable} at a ${b.name} binary.`,
      '!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!',
    ].join('\n');
    console.error(`\n${banner}\n`);
    if (process.env.CI) {
      console.error(`CI must run the browser tests in ${b.name}: failing.`);
      ok = false;
    }
  }
  if (present.length > 0) {
    console.log('\n=== Building the extension for the browser tests ===');
    const build = spawnSync('npx', ['vite', 'build', '--logLevel', 'warn'], { cwd: root, stdio: 'inherit' });
    if (build.status !== 0) {
      ok = false;
      totals.failed += 1;
    } else {
      for (const b of present) vitest(`Browser end-to-end tests (${b.name})`, ['--config', b.config], false);
    }
  }
}

console.log(`\ntests: ${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
process.exit(ok && totals.failed === 0 ? 0 : 1);
