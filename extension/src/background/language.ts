// Translations in the service worker, which has no signals to follow.
import { browser } from '../lib/browser';
import { registerDictionary, resolveLanguage, switchLanguage, t, type MessageKey } from '../lib/i18n';
import { en } from '../lib/i18n/en';
import { getSettings } from '../lib/storage';

// Service workers may not use import(): English is bundled with the worker.
registerDictionary('en', en);

export async function backgroundT(key: MessageKey, params: Record<string, string> = {}): Promise<string> {
  const { language } = await getSettings();
  const chosen = resolveLanguage(language, browser.i18n?.getUILanguage?.() ?? 'nl');
  await switchLanguage(chosen);
  return t(key, params, chosen);
}
