// Time from opening a dossier in the staff panel (a click in the result list) to its tab showing
// with the child's data, in Chromium against a real server (PGlite), with an admin logged in
// through the popup. Baseline in the same run: the bare API call the tab waits for (GET
// /dossiers/{id}, fetched from the same page with the same token). Run: npx tsx bench/panel-time.ts [runs]
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { freePort } from '../e2e/helpers/ports';
import { startKindkans } from '../e2e/helpers/server';
import { EXTENSION_ID, launchWithExtension } from '../e2e/helpers/extension';
import { loginInPopup } from '../e2e/helpers/popup';

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const percentile = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.ceil(xs.length * p) - 1)]!;
const runs = Number(process.argv[2] ?? 20);

const port = await freePort();
const dir = resolve('dist/bench-extension');
execFileSync(resolve('node_modules/.bin/vite'), ['build', '--logLevel', 'warn'], {
  stdio: 'inherit',
  env: { ...process.env, EXTENSION_SERVER_URL: `http://127.0.0.1:${port}`, EXTENSION_OUT_DIR: dir, VITE_CONFIG_NATIVE_IGNORE_WARNING: 'true' },
});
const [server, browser] = await Promise.all([startKindkans({ port, name: 'bench-panel' }), launchWithExtension(dir)]);
try {
  const admin = server.demo.admin;
  const popup = await browser.openPopup();
  await loginInPopup(popup, admin.username, admin.password, await admin.phone.nextCode());
  await popup.getByRole('button', { name: 'Beheer' }).waitFor();
  const panel = await browser.context.newPage();
  await panel.setViewportSize({ width: 1280, height: 800 });
  await panel.goto(`chrome-extension://${EXTENSION_ID}/admin.html#/dossiers`);
  await panel.getByTestId('dossier-results').waitFor();
  const href = await panel.getByTestId('dossier-results').getByRole('link').first().getAttribute('href');
  const id = /#\/dossiers\/([^/]+)/.exec(href!)![1]!;

  const tab: number[] = [];
  const api: number[] = [];
  for (let i = 0; i < runs + 1; i++) {
    await panel.evaluate(() => (location.hash = '#/dossiers'));
    await panel.locator('.placeholder').waitFor();
    // A string, not a function: tsx would wrap named inner functions with a helper the page lacks.
    const ms = (await panel.evaluate(`new Promise((done) => {
      const link = document.querySelector('[data-testid="dossier-results"] a');
      const t0 = performance.now();
      const check = () => {
        const input = document.querySelector('[data-testid="panel-basisgegevens"] #d-first');
        if (input && input.value) done(performance.now() - t0);
        else requestAnimationFrame(check);
      };
      link.click();
      requestAnimationFrame(check);
    })`)) as number;
    const base = await panel.evaluate(async ({ dossierId, url }) => {
      const { session } = await (globalThis as any).chrome.storage.session.get('session');
      const t0 = performance.now();
      const r = await fetch(`${url}/api/v1/dossiers/${dossierId}`, { headers: { Authorization: `Bearer ${session.token}` } });
      await r.json();
      return performance.now() - t0;
    }, { dossierId: id, url: server.url });
    if (i > 0) { tab.push(ms); api.push(base); }
  }
  const result = {
    runs,
    tabMedianMs: Math.round(median(tab)), tabP90Ms: Math.round(percentile(tab, 0.9)),
    apiMedianMs: Math.round(median(api)), apiP90Ms: Math.round(percentile(api, 0.9)),
  };
  console.log(`dossier click → Basisgegevens shown: median ${result.tabMedianMs} ms (p90 ${result.tabP90Ms} ms); ` +
    `baseline GET /dossiers/{id} from the page: median ${result.apiMedianMs} ms (p90 ${result.apiP90Ms} ms), ${runs} runs`);
  mkdirSync(resolve('bench/results'), { recursive: true });
  writeFileSync(resolve('bench/results/panel-time.json'), `${JSON.stringify(result, null, 2)}\n`);
} finally {
  await browser.close();
  await server.stop();
}
