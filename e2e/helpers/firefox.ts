// Firefox ESR with the built extension, driven over WebDriver BiDi by puppeteer-core (Debian's
// browser, never a download). The extension's UUID is pinned through the preference
// `extensions.webextensions.uuids`, keyed by the manifest's gecko id, so its pages have a
// known address; `--remote-allow-system-access` lets WebDriver navigate to moz-extension://.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import puppeteer, { TimeoutError, type Browser, type ElementHandle, type Page } from 'puppeteer-core';
import type { Browser as WebExtensionBrowser } from 'webextension-polyfill';
import { checkPage } from './axe';

const FIREFOX_PATH = process.env.FIREFOX_PATH || '/usr/bin/firefox-esr';
const FIREFOX_UUID = '4b1d6c2e-7f3a-4e8b-9c5d-2a6f0e1b3c47';
export const FIREFOX_ORIGIN = `moz-extension://${FIREFOX_UUID}`;
const GECKO_ID = (JSON.parse(readFileSync(resolve('manifest.json'), 'utf8')) as {
  browser_specific_settings: { gecko: { id: string } };
}).browser_specific_settings.gecko.id;

export async function launchFirefoxWithExtension(extensionDir: string) {
  const profileDir = mkdtempSync(join(tmpdir(), 'kindkans-firefox-'));
  const downloadsDir = mkdtempSync(join(tmpdir(), 'kindkans-firefox-downloads-'));
  const browser: Browser = await puppeteer.launch({
    browser: 'firefox',
    executablePath: FIREFOX_PATH,
    headless: true,
    userDataDir: profileDir,
    args: ['--remote-allow-system-access'],
    extraPrefsFirefox: {
      'extensions.webextensions.uuids': JSON.stringify({ [GECKO_ID]: FIREFOX_UUID }),
      'intl.locale.requested': 'nl',
      'intl.accept_languages': 'nl',
      'browser.download.folderList': 2,
      'browser.download.dir': downloadsDir,
      'browser.download.useDownloadDir': true,
      'browser.download.start_downloads_in_tmp_dir': false,
      'browser.download.always_ask_before_handling_new_types': false,
      // Headless Firefox's system alerts close at once; its own alert window stays (20 s).
      'alerts.useSystemBackend': false,
    },
  });
  const installed = await browser.installExtension(resolve(extensionDir));
  if (installed !== GECKO_ID) throw new Error(`unexpected extension id: ${installed}`);

  /** A new tab on one of the extension's pages (popup.html, options.html). */
  async function openExtensionPage(path: string): Promise<Page> {
    const page = await browser.newPage();
    page.setDefaultTimeout(10_000);
    await page.setViewport({ width: 400, height: 600 });
    await gotoExtensionPage(page, `${FIREFOX_ORIGIN}/${path}`);
    return page;
  }

  return {
    browser,
    downloadsDir,
    openExtensionPage,
    openPopup: () => openExtensionPage('popup.html'),
    /** The extension's storage areas, read through the WebExtension API of one of its pages. */
    async storage(page: Page): Promise<{ local: Record<string, unknown>; session: Record<string, unknown> }> {
      return page.evaluate(async () => {
        const b = (globalThis as typeof globalThis & { browser: WebExtensionBrowser }).browser;
        return { local: await b.storage.local.get(null), session: await b.storage.session.get(null) };
      });
    },
    async close() {
      await browser.close();
      rmSync(profileDir, { recursive: true, force: true });
      rmSync(downloadsDir, { recursive: true, force: true });
    },
  };
}

export type FirefoxExtensionBrowser = Awaited<ReturnType<typeof launchFirefoxWithExtension>>;

/**
 * Navigates to an extension page. Over BiDi Firefox may never report the load of a
 * moz-extension:// page, so the navigation gets a short timeout and the caller waits for
 * content instead.
 */
async function gotoExtensionPage(page: Page, url: string): Promise<void> {
  try {
    await page.goto(url, { timeout: 2_000 });
  } catch (error) {
    if (!(error instanceof TimeoutError)) throw error;
  }
}

/** The form control whose <label> reads exactly `text`, as a person finds it. */
export async function byLabel(page: Page, text: string): Promise<ElementHandle<HTMLElement>> {
  const handle = await page.waitForFunction(
    (label) => [...document.querySelectorAll('label')].find((l) => l.textContent?.trim() === label)?.control,
    {},
    text,
  );
  return handle.asElement() as ElementHandle<HTMLElement>;
}

/** A selector for the element with this accessible role and exact name. */
export const role = (r: string, name: string) => `::-p-aria([name="${name}"][role="${r}"])`;

/** Waits until the page shows `text` (anywhere in its visible text). */
export async function waitForText(page: Page, text: string, timeout = 10_000): Promise<void> {
  await page.waitForFunction((t) => document.body?.innerText.includes(t), { timeout, polling: 100 }, text);
}

/** Screenshot into e2e/artifacts/firefox-popup-<name>.png and no serious or critical axe violations. */
export const checkFirefoxScreen = (page: Page, name: string) => checkPage(page, `firefox-popup-${name}`);

/** The login of the instruction card: Organisatie, Naam, Wachtwoord, Code, Aanmelden. */
export async function loginInFirefoxPopup(page: Page, username: string, password: string, code: string): Promise<void> {
  await page.waitForSelector('::-p-text(PO2507 Stromenland)');
  const organisation = await byLabel(page, 'Organisatie');
  await organisation.select('PO2507');
  await (await byLabel(page, 'Naam')).type(username);
  await (await byLabel(page, 'Wachtwoord')).type(password);
  await (await byLabel(page, 'Code')).type(code);
  await page.locator(role('button', 'Aanmelden')).click();
}
