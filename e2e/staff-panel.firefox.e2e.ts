// The staff panel in real Firefox (Debian's firefox-esr over WebDriver BiDi). The Chromium
// spec (staff-panel.e2e.ts) walks the whole staff journey; this one covers what Firefox could
// do differently, on the demo dossier with the demo admin (no accounts made, see
// helpers/prepare.ts): Beheer opening admin.html from the popup with the popup's session
// (storage.session), the organisation's own statuses from Beheer → Statussen in Status
// wijzigen and the Hulpvragen filter, an upload through the file chooser with its progress
// from a moz-extension:// page (CORS preflight with the Bearer token), the keyboard,
// 1024 pixels wide, axe on every screen it visits, and Uitloggen in the panel ending the
// popup's session too.
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { oneJourney } from './helpers/journey';
import type { ElementHandle, Page } from 'puppeteer-core';
import { makePdf } from '../server/src/lib/demo-pdf.ts';
import { checkPage } from './helpers/axe';
import { byLabel, FIREFOX_ORIGIN, launchFirefoxWithExtension, loginInFirefoxPopup, role, waitForText, type FirefoxExtensionBrowser } from './helpers/firefox';
import { demoDossier, prepareAdmin } from './helpers/prepare';
import { ARTIFACTS, startKindkans, type Account } from './helpers/server';

const PDF_NAME = 'verslag-firefox-panel.pdf';
const PDF = Buffer.from(makePdf(['Verslag uit Firefox', 'Sam de Vries']));

let server: Awaited<ReturnType<typeof startKindkans>>;
let firefox: FirefoxExtensionBrowser;
let admin: Account;
let popup: Page;
let panel: Page;

const checkPanel = (name: string) => checkPage(panel, `firefox-panel-${name}`);
/** Presses a button by keyboard: focus, then Enter. */
async function press(page: Page, selector: string) {
  const button = await page.waitForSelector(selector);
  await button!.focus();
  await page.keyboard.press('Enter');
}
/**
 * The tab the extension opened at `url`. Over BiDi Firefox reports a moz-extension:// page's
 * address as about:blank, so each new tab is asked for its own location.
 */
async function newTabAt(before: Set<Page>, url: string): Promise<Page> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    for (const page of await firefox.browser.pages()) {
      if (!before.has(page) && (await page.evaluate(() => location.href).catch(() => '')).startsWith(url)) return page;
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`no tab opened at ${url}`);
}
const optionTexts = (select: ElementHandle<HTMLElement>) => select.evaluate((s) => [...(s as HTMLSelectElement).options].map((o) => o.textContent));

describe('staff panel in the extension, in Firefox', () => {
  beforeAll(async () => {
    [server, firefox] = await Promise.all([
      startKindkans({ port: inject('serverPort'), name: 'staff-panel-firefox' }),
      launchFirefoxWithExtension(inject('extensionDir')),
    ]);
    admin = server.demo.admin;
  });

  oneJourney(() => Promise.all([
    panel?.screenshot({ path: join(ARTIFACTS, 'firefox-panel-failed.png'), fullPage: true }).catch(() => undefined),
    popup?.screenshot({ path: join(ARTIFACTS, 'firefox-panel-failed-popup.png'), fullPage: true }).catch(() => undefined),
  ]));

  afterAll(async () => {
    await firefox?.close();
    await server?.stop();
  });

  it('the admin logs in in the popup; Beheer opens the panel in a tab with the same session', async () => {
    popup = await firefox.openPopup();
    await loginInFirefoxPopup(popup, admin.username, admin.password, await admin.phone.nextCode());
    await waitForText(popup, `U bent succesvol aangemeld als ${admin.displayName} in regio PO2507 Stromenland.`, 30_000);
    const before = new Set(await firefox.browser.pages());
    await popup.locator(role('button', 'Beheer')).click();
    panel = await newTabAt(before, `${FIREFOX_ORIGIN}/admin.html`);
    panel.setDefaultTimeout(10_000);
    await panel.setViewport({ width: 1280, height: 800 });
    const menu = await panel.waitForSelector(role('navigation', 'Hoofdmenu'));
    expect(await menu!.$$eval('a', (as) => as.map((a) => a.textContent))).toEqual(['Hulpvragen', 'Dossiers', 'Kengetallen', 'Planning', 'Beheer']);
    await panel.waitForSelector('[data-testid="dossier-results"] a');
    await checkPanel('1-dossiers');
  });

  it('Beheer → Statussen: a new status, moved up by keyboard', async () => {
    await panel.locator(role('link', 'Beheer')).click();
    await panel.locator(role('link', 'Statussen')).click();
    await panel.waitForSelector(role('heading', 'Statussen'));
    await (await byLabel(panel, 'Nieuwe status')).type('wacht op school');
    await panel.keyboard.press('Enter');
    await panel.waitForSelector('::-p-aria(Omhoog: wacht op school)');
    await press(panel, '::-p-aria(Omhoog: wacht op school)');
    // Now fourth of five, before afgerond.
    await panel.waitForFunction(() => [...document.querySelectorAll('tbody tr')].map((tr) => tr.querySelector('input')?.value).join('|') === 'aanmelding|in behandeling|advies|wacht op school|afgerond');
    await checkPanel('2-statussen');
  });

  it('by keyboard to the dossier and its Hulpvraag tab; Status wijzigen offers the organisation’s statuses in its order', async () => {
    await panel.locator(role('link', 'Dossiers')).click();
    await press(panel, '[data-testid="dossier-results"] a');
    await panel.waitForSelector(role('heading', 'Dossier van Sam de Vries'));
    await (await panel.waitForSelector(role('tab', 'Basisgegevens')))!.focus();
    await panel.keyboard.press('ArrowRight');
    await panel.keyboard.press('ArrowRight');
    await panel.waitForFunction(() => document.querySelector('[role="tab"][aria-selected="true"]')?.textContent === 'Hulpvraag');
    await panel.waitForSelector(role('heading', 'Preventief SCP observatie'));
    await press(panel, role('button', 'Status wijzigen'));
    const select = await byLabel(panel, 'Nieuwe status');
    await panel.waitForFunction(() => !(document.getElementById('st-status') as HTMLSelectElement).disabled);
    expect(await optionTexts(select)).toEqual(['Aanmelding', 'In behandeling', 'Advies', 'Wacht op school', 'Afgerond (sluit af)']);
    expect(await select.evaluate((s) => (s as HTMLSelectElement).value)).toBe('in behandeling');
    await select.select('afgerond');
    await waitForText(panel, 'Met deze status is de hulpvraag afgesloten.');
    await checkPanel('3-status-wijzigen');
    await select.select('wacht op school');
    await (await byLabel(panel, 'Toelichting')).type('Wacht op het verslag van school.');
    await panel.locator('form[aria-labelledby="st-title"] button[type="submit"]').click();
    await panel.waitForFunction(() => document.querySelector('[data-testid="hulpvragen-table"]')?.textContent?.includes('Wacht op school'));
    await press(panel, role('button', 'Status informatie'));
    const row = await panel.waitForSelector('[data-testid="status-history"] tbody tr');
    expect(await row!.evaluate((tr) => (tr as HTMLElement).innerText)).toMatch(new RegExp(`${admin.displayName}\\s+Aanmelding → Wacht op school\\s+Wacht op het verslag van school\\.`));
    await checkPanel('4-status-informatie');
  });

  it('uploads a PDF through the file chooser with a progress bar; the server has the same bytes', async () => {
    const path = join(ARTIFACTS, PDF_NAME);
    writeFileSync(path, PDF);
    const input = (await panel.waitForSelector('[data-testid="dropzone"] input[type="file"]')) as ElementHandle<HTMLInputElement>;
    await input.uploadFile(path);
    await panel.waitForSelector(`::-p-text(${PDF_NAME} is toegevoegd.)`);
    await panel.waitForSelector(role('button', `${PDF_NAME} downloaden`));
    await checkPanel('5-bijlage');
    const { token } = await prepareAdmin(server); // its own session, for the test's reads
    const hulpvraag = await server.api.call<{ attachments: { filename: string; sha256: string }[] }>(
      'GET', `/hulpvragen/${(await demoDossier(server, token)).hulpvraagId}`, undefined, token);
    const stored = hulpvraag.attachments.find((a) => a.filename === PDF_NAME);
    expect(stored?.sha256).toBe(createHash('sha256').update(PDF).digest('hex'));
  });

  it('1024 wide: Hulpvragen filters on the organisation’s statuses; nothing scrolls sideways', async () => {
    await panel.setViewport({ width: 1024, height: 768 });
    await panel.locator(role('link', 'Hulpvragen')).click();
    const filter = await byLabel(panel, 'Status');
    await panel.waitForFunction(() => (document.getElementById('hv-status') as HTMLSelectElement).options.length > 1);
    expect(await optionTexts(filter)).toEqual(['Alle statussen', 'Aanmelding', 'In behandeling', 'Advies', 'Wacht op school', 'Afgerond (sluit af)']);
    await filter.select('wacht op school');
    await panel.waitForSelector(role('link', 'Preventief SCP observatie'));
    expect(await panel.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)).toBeLessThanOrEqual(0);
    await checkPanel('6-hulpvragen-1024');
    await panel.locator(role('link', 'Beheer')).click();
    await panel.waitForSelector('[data-testid="accounts-table"]');
    expect(await panel.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)).toBeLessThanOrEqual(0);
    await checkPanel('7-accounts-1024');
  });

  it('Uitloggen in the panel logs the popup out too, and the session is gone at the server', async () => {
    const token = ((await firefox.storage(panel)).session.session as { token: string }).token;
    await press(panel, role('button', 'Uitloggen'));
    await panel.waitForSelector(role('heading', 'U bent niet aangemeld'));
    await checkPanel('8-afgemeld');
    // The popup closed itself after opening Beheer, as a real popup does; opened again, it asks for a login.
    popup = await firefox.openPopup();
    await popup.waitForSelector(role('button', 'Aanmelden'));
    expect((await firefox.storage(popup)).session.session).toBeUndefined();
    await expect.poll(() => server.api.status('GET', '/auth/session', token)).toBe(401);
  });
});
