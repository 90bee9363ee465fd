// The parent journey of issue 5 against the real server: a school invites a parent, the
// parent activates through the e-mail link, logs in through the popup, reads the dossier,
// downloads the attachment, is reminded, logs out, and is logged out automatically.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { oneJourney } from './helpers/journey';
import type { Page } from 'playwright-core';
import { ARTIFACTS, startKindkans } from './helpers/server';
import { demoDossier, inviteParent, prepareAdmin } from './helpers/prepare';
import { EXTENSION_ID, launchWithExtension, type ExtensionBrowser, type ExtensionGlobal } from './helpers/extension';
import { checkScreen, loginInPopup } from './helpers/popup';
import { Phone } from './helpers/totp';

const IDLE_MINUTES = 0.5; // the server's idle timeout in this run: 30 s
const PARENT_EMAIL = 'ouder@example.org';
const PARENT_PASSWORD = 'zonnebloem-kastanje-42';

let server: Awaited<ReturnType<typeof startKindkans>>;
let browser: ExtensionBrowser;
let adminToken = '';
const parent = { username: '', phone: null as unknown as Phone };
let popup: Page;
let firstToken = '';
let downloadedName = '';


describe('parent journey in the extension', () => {
  beforeAll(async () => {
    [server, browser] = await Promise.all([
      startKindkans({ port: inject('serverPort'), idleMinutes: IDLE_MINUTES, name: 'parent-journey' }),
      launchWithExtension(inject('extensionDir')),
    ]);
  });

  oneJourney();

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('has an options page with the built-in server address', async () => {
    const page = await browser.context.newPage();
    await page.goto(`chrome-extension://${EXTENSION_ID}/options.html`);
    expect(await page.getByLabel('Serveradres').inputValue()).toBe(server.url);
    expect(await page.getByLabel('Taal').inputValue()).toBe('auto');
    expect(await page.getByLabel(/Herinnering na/).inputValue()).toBe('10');
    await checkScreen(page, '0-instellingen');
    await page.close();
  });

  it('the school invites a parent, who receives the activation mail', async () => {
    ({ token: adminToken } = await prepareAdmin(server));
    const created = await inviteParent(server, adminToken, PARENT_EMAIL, 'Anna de Ouder');
    expect(created.status).toBe('invited');
    parent.username = created.username;
  });

  it('activates the account on the page behind the e-mail link', async () => {
    const token = await server.smtp.activationToken(PARENT_EMAIL);
    const page = await browser.context.newPage();
    await page.setViewportSize({ width: 800, height: 1000 });
    await page.goto(`${server.url}/activate/${token}`);
    const grouped = /(?:[a-z2-7]{4} ){7,}[a-z2-7]{4}/i.exec(await page.locator('body').innerText());
    expect(grouped, 'the key in groups of four').not.toBeNull();
    parent.phone = new Phone(grouped![0].replace(/\s+/g, '').toUpperCase());
    const passwords = page.locator('input[type=password]');
    await passwords.nth(0).fill(PARENT_PASSWORD);
    await passwords.nth(1).fill(PARENT_PASSWORD);
    await page.getByRole('textbox', { name: /code/i }).fill(await parent.phone.nextCode());
    await page.screenshot({ path: join(ARTIFACTS, 'activate-page.png'), fullPage: true });
    await page.getByRole('button', { name: 'Opslaan' }).click();
    await page.waitForLoadState();
    await page.screenshot({ path: join(ARTIFACTS, 'activate-done.png'), fullPage: true });
    expect(await server.api.status('GET', `/activation/${token}`)).toBe(410);
    await page.close();
  });

  it('logs in through the popup with the labels of the instruction card', async () => {
    popup = await browser.openPopup();
    await popup.getByRole('option', { name: 'PO2507 Stromenland' }).waitFor({ state: 'attached' });
    await checkScreen(popup, '1-login');
    await popup.getByRole('button', { name: 'Wachtwoord vergeten?' }).click();
    await popup.getByRole('button', { name: 'Link aanvragen' }).waitFor();
    await checkScreen(popup, '2-wachtwoord-vergeten');
    await popup.getByRole('button', { name: 'Terug naar aanmelden' }).click();

    await loginInPopup(popup, parent.username, PARENT_PASSWORD, await parent.phone.nextCode());
    await popup.getByText('U bent succesvol aangemeld als Anna de Ouder in regio PO2507 Stromenland.').waitFor();
    await expect.poll(() => popup.getByRole('banner').innerText()).toContain('Anna de Ouder');
    await popup.getByRole('button', { name: 'Uitloggen' }).waitFor();

    const stored = await browser.storage();
    firstToken = (stored.session.session as { token: string }).token;
    expect(firstToken).toMatch(/.{20,}/);
    expect(JSON.stringify(stored.local)).not.toContain(firstToken);
    expect(await browser.worker.evaluate(() => (globalThis as ExtensionGlobal).chrome.action.getBadgeText({}))).not.toBe('');
  });

  it('shows the hulpvragen table with "Preventief SCP observatie"', async () => {
    const table = popup.getByTestId('hulpvragen-table');
    await table.getByRole('button', { name: 'Preventief SCP observatie' }).waitFor();
    expect(await table.locator('thead th').allInnerTexts()).toEqual(['Datum', 'Hulpvraag', 'Status']);
    expect(await table.locator('tbody tr').first().innerText()).toMatch(/12-06-2020\s+Preventief SCP observatie\s+Aanmelding/);
    await popup.getByText('1/1 (1 van 1)').waitFor();
    await checkScreen(popup, '3-hulpvragen');
  });

  it('opens the hulpvraag with the keyboard and downloads its attachment intact', async () => {
    // Keyboard only: Tab from the top until the hulpvraag has focus, then Enter.
    await popup.locator('body').focus();
    const reached: string[] = [];
    for (let i = 0; i < 25 && !reached.includes('Preventief SCP observatie'); i++) {
      await popup.keyboard.press('Tab');
      reached.push(await popup.evaluate(() => document.activeElement?.textContent?.trim() ?? ''));
    }
    expect(reached).toContain('Uitloggen');
    expect(reached.at(-1)).toBe('Preventief SCP observatie');
    await popup.keyboard.press('Enter');
    await popup.getByText('Hulpvraagdatum').waitFor();
    for (const term of ['Hulpvraagdatum', 'Status', 'Titel', 'Omschrijving', 'Coördinator', 'Labels', 'Bijlagen']) {
      await popup.locator('dt', { hasText: new RegExp(`^${term}$`) }).waitFor();
    }
    await checkScreen(popup, '4-hulpvraag');

    const download = popup.getByRole('button', { name: /downloaden$/ }).first();
    await download.focus();
    await popup.keyboard.press('Enter');
    await popup.getByText('Opgeslagen in uw map Downloads.').waitFor({ timeout: 20_000 });
    await checkScreen(popup, '5-gedownload');

    const [item] = await browser.worker.evaluate(() => (globalThis as ExtensionGlobal).chrome.downloads.search({ state: 'complete' }));
    expect(item).toBeTruthy();
    const bytes = readFileSync(item!.filename); // Playwright stores it under a GUID; the name is checked at logout
    const hulpvraag = await server.api.call<{ attachments: { id: string; filename: string; sha256: string }[] }>(
      'GET', `/hulpvragen/${(await demoDossier(server, adminToken)).hulpvraagId}`, undefined, adminToken);
    const attachment = hulpvraag.attachments[0]!;
    const fromApi = await server.api.bytes(`/attachments/${attachment.id}/content`, adminToken);
    const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
    expect(sha(bytes)).toBe(sha(fromApi));
    expect(sha(bytes)).toBe(attachment.sha256);
    downloadedName = attachment.filename;
  });

  it('shows who has looked at the dossier', async () => {
    await popup.getByRole('button', { name: /Terug/ }).click();
    await popup.getByRole('button', { name: 'Wie heeft meegekeken' }).click();
    await popup.getByRole('heading', { name: 'Wie heeft meegekeken' }).waitFor();
    await popup.locator('table tbody tr').first().waitFor();
    expect(await popup.locator('table tbody').innerText()).toContain('Anna de Ouder');
    await checkScreen(popup, '6-wie-heeft-meegekeken');
  });

  it('reminds after the chosen minutes and logs out by itself at the idle timeout', async () => {
    // A 6-second reminder (the options page offers whole minutes; storage takes any number).
    await browser.worker.evaluate(async () => {
      const c = (globalThis as ExtensionGlobal).chrome;
      const { settings } = await c.storage.local.get('settings');
      await c.storage.local.set({ settings: { ...(settings as object), reminderMinutes: 0.1 } });
    });
    const notifications = () => browser.worker.evaluate(() => (globalThis as ExtensionGlobal).chrome.notifications.getAll());
    await expect.poll(notifications, { timeout: 15_000, interval: 500 }).toHaveProperty('kindkans-reminder');

    // "Aangemeld blijven" (the notification's second button runs this same handler).
    await popup.evaluate(() => (globalThis as ExtensionGlobal).chrome.runtime.sendMessage({ type: 'stay-logged-in' }));
    await expect.poll(notifications).toEqual({});
    expect(await server.api.status('GET', '/auth/session', firstToken)).toBe(200);

    // Nothing more happens: the background logs out at the server's idle timeout, and the
    // popup names the file downloaded in this session.
    await popup.getByRole('heading', { name: 'U bent afgemeld' }).waitFor({ timeout: IDLE_MINUTES * 60_000 + 15_000 });
    await popup.getByText('U bent automatisch afgemeld omdat u een tijd niets heeft gedaan.').waitFor();
    await popup.getByText(downloadedName, { exact: true }).waitFor();
    await popup.getByRole('button', { name: 'Aanmelden' }).waitFor();
    await checkScreen(popup, '7-automatisch-afgemeld');
    expect(JSON.stringify(await browser.storage())).not.toContain(firstToken);
    expect(await browser.worker.evaluate(() => (globalThis as ExtensionGlobal).chrome.action.getBadgeText({}))).toBe('');
    expect(await server.api.status('GET', '/auth/session', firstToken)).toBe(401);
  });

  it('logs in again and out with Uitloggen: back at the login, no token anywhere', async () => {
    await loginInPopup(popup, parent.username, PARENT_PASSWORD, await parent.phone.nextCode());
    await popup.getByText(/U bent succesvol aangemeld/).waitFor();
    const token = ((await browser.storage()).session.session as { token: string }).token;
    expect(token).not.toBe(firstToken);

    await popup.getByRole('button', { name: 'Uitloggen' }).click();
    await popup.getByRole('heading', { name: 'U bent afgemeld' }).waitFor();
    await popup.getByText('U heeft zelf uitgelogd.').waitFor();
    await popup.getByRole('button', { name: 'Aanmelden' }).waitFor();
    await checkScreen(popup, '8-afgemeld');
    const stored = await browser.storage();
    expect(stored.session.session).toBeUndefined();
    expect(JSON.stringify(stored)).not.toContain(token);
    expect(await browser.worker.evaluate(() => (globalThis as ExtensionGlobal).chrome.action.getBadgeText({}))).toBe('');
    await expect.poll(() => server.api.status('GET', '/auth/session', token)).toBe(401);
  });
});
