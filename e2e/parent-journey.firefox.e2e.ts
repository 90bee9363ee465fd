// The parent journey of e2e/parent-journey.e2e.ts in real Firefox (Debian's firefox-esr over
// WebDriver BiDi), against a server started with no extra configuration: the default
// EXTENSION_ORIGINS must let a Firefox install (moz-extension://<uuid>) in. A school invites
// a parent and adds a report to the hulpvraag; the parent activates the account in Firefox,
// logs in through the popup, reads the hulpvraag, downloads the report, is reminded, logs out.
import { createHash, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { oneJourney } from './helpers/journey';
import type { Page } from 'puppeteer-core';
import type { Browser } from 'webextension-polyfill';
import { ARTIFACTS, startKindkans } from './helpers/server';
import { demoDossier, inviteParent, prepareAdmin } from './helpers/prepare';
import {
  byLabel, checkFirefoxScreen, FIREFOX_ORIGIN, launchFirefoxWithExtension, loginInFirefoxPopup,
  role, waitForText, type FirefoxExtensionBrowser,
} from './helpers/firefox';
import { Phone } from './helpers/totp';

const PARENT_EMAIL = 'ouder@example.org';
const PARENT_PASSWORD = 'zonnebloem-kastanje-42';
const HULPVRAAG = 'Preventief SCP observatie';
const REPORT_NAME = 'verslag-firefox.pdf';
const REPORT = Buffer.concat([Buffer.from('%PDF-1.7\n'), randomBytes(600_000)]); // three 256 KiB chunks

let server: Awaited<ReturnType<typeof startKindkans>>;
let firefox: FirefoxExtensionBrowser;
let adminToken = '';
const parent = { username: '', phone: null as unknown as Phone };
let popup: Page;
let token = '';

/** Runs in the popup with the extension's WebExtension API (`browser`). */
const inExtension = <T>(fn: (b: Browser) => Promise<T>): Promise<T> =>
  popup.evaluate(`(${fn.toString()})(globalThis.browser)`) as Promise<T>;

describe('parent journey in the extension, in Firefox', () => {
  beforeAll(async () => {
    [server, firefox] = await Promise.all([
      startKindkans({ port: inject('serverPort'), name: 'parent-journey-firefox' }),
      launchFirefoxWithExtension(inject('extensionDir')),
    ]);
  });

  oneJourney();

  afterAll(async () => {
    await firefox?.close();
    await server?.stop();
  });

  it('the school adds a report to the hulpvraag and invites a parent', async () => {
    ({ token: adminToken } = await prepareAdmin(server));
    const { hulpvraagId } = await demoDossier(server, adminToken);
    const form = new FormData();
    form.set('file', new Blob([REPORT], { type: 'application/pdf' }), REPORT_NAME);
    const uploaded = await fetch(`${server.url}/api/v1/hulpvragen/${hulpvraagId}/attachments`, {
      method: 'POST', headers: { Authorization: `Bearer ${adminToken}` }, body: form,
    });
    expect(uploaded.status).toBe(201);

    const created = await inviteParent(server, adminToken, PARENT_EMAIL, 'Anna de Ouder');
    expect(created.status).toBe('invited');
    parent.username = created.username;
  });

  it('activates the account in Firefox on the page behind the e-mail link', async () => {
    const activation = await server.smtp.activationToken(PARENT_EMAIL);
    const page = await firefox.browser.newPage();
    await page.setViewport({ width: 800, height: 1000 });
    await page.goto(`${server.url}/activate/${activation}`);
    const grouped = /(?:[a-z2-7]{4} ){7,}[a-z2-7]{4}/i.exec(await page.evaluate(() => document.body.innerText));
    expect(grouped, 'the key in groups of four').not.toBeNull();
    parent.phone = new Phone(grouped![0].replace(/\s+/g, '').toUpperCase());
    const passwords = await page.$$('input[type=password]');
    await passwords[0]!.type(PARENT_PASSWORD);
    await passwords[1]!.type(PARENT_PASSWORD);
    await (await page.waitForSelector('input[autocomplete="one-time-code"], input[inputmode="numeric"]'))!.type(await parent.phone.nextCode());
    await Promise.all([page.waitForNavigation(), page.locator(role('button', 'Opslaan')).click()]);
    await page.screenshot({ path: join(ARTIFACTS, 'firefox-activate-done.png'), fullPage: true });
    expect(await server.api.status('GET', `/activation/${activation}`)).toBe(410);
    await page.close();
  });

  it('logs in through the popup with the labels of the instruction card', async () => {
    popup = await firefox.openPopup();
    expect(await popup.evaluate(() => location.origin)).toBe(FIREFOX_ORIGIN);
    // The organisation list comes from the server: only there if CORS let Firefox read it.
    await popup.waitForSelector('::-p-text(PO2507 Stromenland)');
    await checkFirefoxScreen(popup, '1-login');

    await loginInFirefoxPopup(popup, parent.username, PARENT_PASSWORD, await parent.phone.nextCode());
    await waitForText(popup, 'U bent succesvol aangemeld als Anna de Ouder in regio PO2507 Stromenland.');
    expect(await popup.$eval('header', (h) => (h).innerText)).toContain('Anna de Ouder');
    await popup.waitForSelector(role('button', 'Uitloggen'));

    const stored = await firefox.storage(popup);
    token = (stored.session.session as { token: string }).token;
    expect(token).toMatch(/.{20,}/);
    expect(JSON.stringify(stored.local)).not.toContain(token);
    expect(await server.api.status('GET', '/auth/session', token)).toBe(200);
    expect(await inExtension((b) => b.action.getBadgeText({}))).not.toBe('');
  });

  it('shows the hulpvragen table and the hulpvraag\'s details', async () => {
    const table = await popup.waitForSelector('[data-testid="hulpvragen-table"]');
    await table!.waitForSelector(role('button', HULPVRAAG));
    expect(await table!.$$eval('thead th', (ths) => ths.map((th) => (th as HTMLElement).innerText))).toEqual(['Datum', 'Hulpvraag', 'Status']);
    expect(await table!.$eval('tbody tr', (tr) => (tr as HTMLElement).innerText)).toMatch(/12-06-2020\s+Preventief SCP observatie\s+Aanmelding/);
    await waitForText(popup, '1/1 (1 van 1)');
    await checkFirefoxScreen(popup, '2-hulpvragen');

    await popup.locator(role('button', HULPVRAAG)).click();
    await waitForText(popup, 'Hulpvraagdatum');
    const terms = await popup.$$eval('dt', (dts) => dts.map((dt) => (dt).innerText.trim()));
    expect(terms).toEqual(expect.arrayContaining(['Hulpvraagdatum', 'Status', 'Titel', 'Omschrijving', 'Coördinator', 'Labels', 'Bijlagen']));
    await waitForText(popup, REPORT_NAME);
    await checkFirefoxScreen(popup, '3-hulpvraag');
  });

  it('Downloaden saves the report with the bytes the school uploaded', async () => {
    await popup.locator(role('button', `${REPORT_NAME} downloaden`)).click();
    await waitForText(popup, 'Opgeslagen in uw map Downloads.', 20_000);
    await checkFirefoxScreen(popup, '4-gedownload');

    const items = await inExtension((b) => b.downloads.search({ state: 'complete' }));
    expect(items).toHaveLength(1);
    expect(basename(items[0]!.filename)).toBe(REPORT_NAME);
    expect(items[0]!.filename.startsWith(firefox.downloadsDir)).toBe(true);
    const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
    expect(sha(readFileSync(items[0]!.filename))).toBe(sha(REPORT));
  });

  it('reminds after the chosen minutes; "Aangemeld blijven" keeps the session', async () => {
    // A 6-second reminder (the options page offers whole minutes; storage takes any number).
    await inExtension(async (b) => {
      const { settings } = await b.storage.local.get('settings');
      await b.storage.local.set({ settings: { ...(settings as object), reminderMinutes: 0.1 } });
    });
    const notifications = () => inExtension((b) => b.notifications.getAll());
    await expect.poll(notifications, { timeout: 15_000, interval: 500 }).toHaveProperty('kindkans-reminder');
    // Firefox has no notification buttons: the message alone (Aangemeld blijven is in the popup's message below).
    expect((await notifications())['kindkans-reminder']!.message).toBe('U bent nog aangemeld bij Kindkans. Log altijd uit na gebruik.');

    await inExtension((b) => b.runtime.sendMessage({ type: 'stay-logged-in' }));
    await expect.poll(notifications).toEqual({});
    expect(await server.api.status('GET', '/auth/session', token)).toBe(200);
  });

  it('logs out with Uitloggen: back at the login, the download named, no token anywhere', async () => {
    await popup.locator(role('button', 'Uitloggen')).click();
    await popup.waitForSelector(role('heading', 'U bent afgemeld'));
    await waitForText(popup, 'U heeft zelf uitgelogd.');
    await waitForText(popup, REPORT_NAME);
    await popup.waitForSelector(role('button', 'Aanmelden'));
    await checkFirefoxScreen(popup, '5-afgemeld');
    const stored = await firefox.storage(popup);
    expect(stored.session.session).toBeUndefined();
    expect(JSON.stringify(stored)).not.toContain(token);
    expect(await inExtension((b) => b.action.getBadgeText({}))).toBe('');
    await expect.poll(() => server.api.status('GET', '/auth/session', token)).toBe(401);
  });

  it('has an options page with the built-in server address', async () => {
    const page = await firefox.openExtensionPage('options.html');
    expect(await (await byLabel(page, 'Serveradres')).evaluate((e) => (e as HTMLInputElement).value)).toBe(server.url);
    await page.close();
  });
});
