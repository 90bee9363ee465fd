// Translations: Dutch first, English second. Plain functions (the service worker uses them
// too); the popup re-renders on a language change through stores/settings.ts.
import { nl, type MessageKey } from './nl';
import { en } from './en';
import type { Language } from '../storage';

export type { MessageKey };
export type Lang = 'nl' | 'en';

const dictionaries: Record<Lang, Record<MessageKey, string>> = { nl, en };
let current: Lang = 'nl';

export function setLanguage(language: Lang) {
  current = language;
}

export function currentLanguage(): Lang {
  return current;
}

/** 'auto' follows the browser: English only when the browser speaks English, else Dutch. */
export function resolveLanguage(choice: Language, browserLanguage: string): Lang {
  if (choice === 'nl' || choice === 'en') return choice;
  return browserLanguage.toLowerCase().startsWith('en') ? 'en' : 'nl';
}

export function t(key: MessageKey, params: Record<string, string | number> = {}, language: Lang = current): string {
  const text = dictionaries[language][key] ?? nl[key];
  return text.replace(/\{(\w+)\}/g, (_, name: string) => String(params[name] ?? `{${name}}`));
}
