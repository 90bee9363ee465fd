// The language of the screens, from the settings (or the browser's language). Reading
// `lang.value` in a component makes it re-render when the language changes.
import { signal } from '@preact/signals';
import { browser } from '../lib/browser';
import { getSettings, onStorageChange, type Settings } from '../lib/storage';
import { resolveLanguage, switchLanguage, type Lang } from '../lib/i18n';

export const lang = signal<Lang>('nl');

async function applyLanguage(settings: Settings) {
  const next = resolveLanguage(settings.language, browser.i18n?.getUILanguage?.() ?? navigator.language);
  await switchLanguage(next);
  lang.value = next;
  document.documentElement.lang = next;
}

export async function loadLanguage(): Promise<() => void> {
  await applyLanguage(await getSettings());
  return onStorageChange(async (changes, area) => {
    if (area === 'local' && 'settings' in changes) await applyLanguage(await getSettings());
  });
}
