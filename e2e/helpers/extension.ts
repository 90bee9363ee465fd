// Chromium with the built extension loaded unpacked (Debian's browser; never a download).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page, type Worker } from 'playwright-core';
import type { Browser } from 'webextension-polyfill';

/** globalThis inside the extension's pages and worker (for evaluate callbacks): Chromium's `chrome`. */
export type ExtensionGlobal = typeof globalThis & { chrome: Browser };

export const EXTENSION_ID = 'cobgfedbohaccaonegfgdhhokclkacio';
export const POPUP_URL = `chrome-extension://${EXTENSION_ID}/popup.html`;

export async function launchWithExtension(extensionDir: string) {
  const userDataDir = mkdtempSync(join(tmpdir(), 'kindkans-chromium-'));
  const downloadsDir = mkdtempSync(join(tmpdir(), 'kindkans-downloads-'));
  const context: BrowserContext = await chromium.launchPersistentContext(userDataDir, {
    executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
    headless: true,
    acceptDownloads: true,
    downloadsPath: downloadsDir,
    locale: 'nl-NL',
    viewport: { width: 400, height: 600 },
    args: [
      '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
      '--disable-sync', '--no-first-run', '--lang=nl',
      `--disable-extensions-except=${extensionDir}`, `--load-extension=${extensionDir}`,
    ],
  });
  context.setDefaultTimeout(10_000);
  const worker: Worker = context.serviceWorkers()[0] ?? (await context.waitForEvent('serviceworker', { timeout: 20_000 }));
  if (!worker.url().startsWith(`chrome-extension://${EXTENSION_ID}/`)) {
    throw new Error(`unexpected extension id: ${worker.url()}`);
  }
  return {
    context,
    worker,
    downloadsDir,
    async openPopup(): Promise<Page> {
      const page = await context.newPage();
      await page.setViewportSize({ width: 400, height: 600 });
      await page.goto(POPUP_URL);
      return page;
    },
    /**
     * Nederlands chosen in the extension's settings: a tab the extension opens itself does not get
     * the test's emulated nl-NL locale, and headless Chromium's UI language is English.
     */
    async chooseDutch(): Promise<void> {
      await worker.evaluate(async () => {
        const c = (globalThis as ExtensionGlobal).chrome;
        const { settings } = await c.storage.local.get('settings');
        await c.storage.local.set({ settings: { ...(settings as object), language: 'nl' } });
      });
    },
    /** Everything in the extension's storage areas, read from the service worker. */
    async storage(): Promise<{ local: Record<string, unknown>; session: Record<string, unknown>; sync: Record<string, unknown> }> {
      return worker.evaluate(async () => {
        const c = (globalThis as ExtensionGlobal).chrome;
        return {
          local: await c.storage.local.get(null),
          session: await c.storage.session.get(null),
          sync: await c.storage.sync.get(null),
        };
      });
    },
    async close() {
      await context.close();
      rmSync(userDataDir, { recursive: true, force: true });
      rmSync(downloadsDir, { recursive: true, force: true });
    },
  };
}

export type ExtensionBrowser = Awaited<ReturnType<typeof launchWithExtension>>;
