// The one place that touches the WebExtension API. Everything else imports `browser` from
// here, so tests can swap it (extension/test/setup.ts mocks webextension-polyfill).
import browser from 'webextension-polyfill';

export type { Runtime, Downloads } from 'webextension-polyfill';
export { browser };

/** The toolbar button API: `action` in MV3, `browserAction` as a fallback. */
export function toolbarAction() {
  return browser.action ?? browser.browserAction;
}
