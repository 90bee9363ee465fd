// Time from opening the popup to the hulpvragen table rendered, in Chromium, with a logged-in
// parent against a real server (PGlite). Run: npx tsx bench/popup-time.ts [runs]
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { freePort } from '../e2e/helpers/ports';
import { startKindkans } from '../e2e/helpers/server';
import { prepareAdmin } from '../e2e/helpers/prepare';
import { launchWithExtension, POPUP_URL } from '../e2e/helpers/extension';
import { loginInPopup } from '../e2e/helpers/popup';

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const percentile = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.ceil(xs.length * p) - 1)]!;

export async function measurePopupTime(runs = 10) {
  const port = await freePort();
  const dir = resolve('dist/bench-extension');
  execFileSync(resolve('node_modules/.bin/vite'), ['build', '--logLevel', 'warn'], {
    stdio: 'inherit',
    env: { ...process.env, EXTENSION_SERVER_URL: `http://127.0.0.1:${port}`, EXTENSION_OUT_DIR: dir, VITE_CONFIG_NATIVE_IGNORE_WARNING: 'true' },
  });
  const [server, browser] = await Promise.all([startKindkans({ port, name: 'bench' }), launchWithExtension(dir)]);
  try {
    const { token: admin } = await prepareAdmin(server);
    const dossiers = await server.api.call<{ items: { id: string }[] }>('GET', '/dossiers', undefined, admin);
    const invited = await server.api.call<{ username: string }>('POST', '/users', {
      role: 'parent', email: 'bench@example.org', displayName: 'Bench Ouder', dossierIds: [dossiers.items[0]!.id],
    }, admin);
    const password = 'bench-wachtwoord-2024';
    const token = await server.smtp.activationToken('bench@example.org');
    const info = await server.api.call<{ totp: { secret: string } }>('GET', `/activation/${token}`);
    const { Phone } = await import('../e2e/helpers/totp');
    const phone = new Phone(info.totp.secret);
    await server.api.call('POST', `/activation/${token}`, { password, code: await phone.nextCode() });
    const login = await browser.openPopup();
    await loginInPopup(login, invited.username, password, await phone.nextCode());
    await login.getByTestId('hulpvragen-table').waitFor();
    await login.close();

    const wall: number[] = [];
    const inPage: number[] = [];
    for (let i = 0; i < runs + 1; i++) {
      const page = await browser.context.newPage();
      const started = performance.now();
      await page.goto(POPUP_URL, { waitUntil: 'commit' });
      const rendered = await page.waitForFunction(
        () => document.querySelector('[data-testid="hulpvragen-table"] tbody tr') && performance.now(),
        undefined, { polling: 'raf', timeout: 10_000 },
      );
      const wallMs = performance.now() - started;
      if (i > 0) { // the first opening warms up the browser's caches
        wall.push(wallMs);
        inPage.push((await rendered.jsonValue()) as number);
      }
      await page.close();
    }
    return {
      runs,
      inPageMedianMs: Math.round(median(inPage)),
      inPageP90Ms: Math.round(percentile(inPage, 0.9)),
      wallMedianMs: Math.round(median(wall)),
      wallP90Ms: Math.round(percentile(wall, 0.9)),
    };
  } finally {
    await browser.close();
    await server.stop();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const result = await measurePopupTime(Number(process.argv[2] ?? 10));
  console.log(`popup → hulpvragen table: median ${result.inPageMedianMs} ms (p90 ${result.inPageP90Ms} ms) in the page; ` +
    `${result.wallMedianMs} ms (p90 ${result.wallP90Ms} ms) as seen by the test driver, ${result.runs} runs`);
  mkdirSync(resolve('bench/results'), { recursive: true });
  writeFileSync(resolve('bench/results/popup-time.json'), `${JSON.stringify(result, null, 2)}\n`);
}
