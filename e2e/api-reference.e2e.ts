// The interactive API reference on /docs in real Chromium: it renders every operation of
// /openapi.json from the server's own copy of Swagger UI under its strict CSP (no violation,
// nothing loaded from elsewhere), and "Try it out" works with a Bearer token.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser, type Page } from 'playwright-core';
import { ARTIFACTS, startKindkans } from './helpers/server';
import { prepareAdmin } from './helpers/prepare';
import { freePort } from './helpers/ports';

let server: Awaited<ReturnType<typeof startKindkans>>;
let browser: Browser;
let page: Page;
const consoleErrors: string[] = [];
const foreignRequests: string[] = [];

describe('API reference in Chromium', () => {
  beforeAll(async () => {
    [server, browser] = await Promise.all([
      freePort().then((port) => startKindkans({ port, name: 'api-reference' })),
      chromium.launch({
        executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
        headless: true,
        args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
      }),
    ]);
    page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
    page.setDefaultTimeout(15_000);
    page.on('console', (m) => { if (m.type() === 'error') consoleErrors.push(m.text()); });
    page.on('pageerror', (e) => consoleErrors.push(`pageerror: ${e.message}`));
    page.on('request', (r) => { if (!r.url().startsWith(server.url) && !r.url().startsWith('data:')) foreignRequests.push(r.url()); });
    // Injected through the DevTools protocol, so the page's CSP does not apply to it.
    await page.addInitScript(() => {
      const w = window as unknown as { cspViolations: string[] };
      w.cspViolations = [];
      document.addEventListener('securitypolicyviolation', (e) => w.cspViolations.push(`${e.violatedDirective} ${e.blockedURI}`));
    });
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('renders every operation of /openapi.json, with no CSP violation and nothing from elsewhere', async () => {
    const doc = (await (await fetch(`${server.url}/openapi.json`)).json()) as { paths: Record<string, Record<string, unknown>>; components: { schemas: object } };
    const operations = Object.entries(doc.paths).flatMap(([path, ops]) => Object.keys(ops).map((method) => `${method} ${path}`));
    expect(operations.length).toBeGreaterThan(20);

    const response = await page.goto(`${server.url}/docs`);
    expect(response?.headers()['content-security-policy']).toContain("script-src 'self'");
    await page.locator('.opblock').first().waitFor();
    await expect.poll(() => page.locator('.opblock').count()).toBe(operations.length);
    const shown = await page.locator('.opblock').evaluateAll((blocks) =>
      blocks.map((b) => `${b.querySelector('.opblock-summary-method')?.textContent?.toLowerCase()} ${b.querySelector('.opblock-summary-path')?.getAttribute('data-path')}`));
    expect(shown.sort()).toEqual([...operations].sort());
    // …and every schema, under "Schemas".
    await expect.poll(() => page.locator('.models .json-schema-2020-12-head').count()).toBe(Object.keys(doc.components.schemas).length);
    await page.screenshot({ path: join(ARTIFACTS, 'api-reference.png'), fullPage: false });

    expect(await page.evaluate(() => (window as unknown as { cspViolations: string[] }).cspViolations)).toEqual([]);
    expect(consoleErrors).toEqual([]);
    expect(foreignRequests).toEqual([]);
  });

  it('"Try it out" calls the API with the Bearer token given under Authorize', async () => {
    const { token, username } = await prepareAdmin(server);
    await page.locator('.auth-wrapper button.authorize').click();
    const dialog = page.locator('.modal-ux');
    await dialog.locator('input').first().fill(token);
    await dialog.locator('.auth-btn-wrapper button.authorize').click();
    await dialog.locator('button.btn-done').click();

    const me = page.locator('.opblock-get', { has: page.locator('.opblock-summary-path[data-path="/api/v1/me"]') });
    await me.locator('.opblock-summary-control').click();
    await me.locator('button.try-out__btn').click();
    await me.locator('button.execute').click();
    const live = me.locator('.live-responses-table');
    await expect.poll(() => live.locator('tbody .response-col_status').first().textContent(), { timeout: 15_000 }).toContain('200');
    expect(await live.locator('tbody .response-col_description').first().textContent()).toContain(`"username": "${username}"`);
    await me.scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(ARTIFACTS, 'api-reference-try-it.png'), fullPage: false });

    expect(await page.evaluate(() => (window as unknown as { cspViolations: string[] }).cspViolations)).toEqual([]);
    expect(consoleErrors).toEqual([]);
    expect(foreignRequests).toEqual([]);
  });
});
