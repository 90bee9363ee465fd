// Translations in the service worker, which has no signals to follow.
import { browser } from '../lib/browser';
import { resolveLanguage, t, type MessageKey } from '../lib/i18n';
import { getSettings } from '../lib/storage';

export async function backgroundT(key: MessageKey, params: Record<string, string> = {}): Promise<string> {
  const { language } = await getSettings();
  return t(key, params, resolveLanguage(language, browser.i18n?.getUILanguage?.() ?? 'nl'));
}
