// Component tests run in happy-dom with a fake WebExtension API (test/fake-browser.ts) and a
// fake `fetch` that each test programs (test/fake-server.ts).
import { afterEach, beforeEach, vi } from 'vitest';
import { cleanup } from '@testing-library/preact';
import { resetFakeBrowser } from './fake-browser';

vi.mock('webextension-polyfill', async () => {
  const { fakeBrowser } = await import('./fake-browser');
  // A proxy, so that every test gets a fresh fake from resetFakeBrowser().
  return { default: new Proxy({}, { get: (_, key) => fakeBrowser()[key as keyof ReturnType<typeof fakeBrowser>] }) };
});

beforeEach(() => {
  resetFakeBrowser();
});

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
  vi.useRealTimers();
});
