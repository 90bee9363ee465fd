// Translations: Dutch first, English second. Plain functions (the service worker uses them
// too); the popup re-renders on a language change through stores/settings.ts.
import { nl, type MessageKey } from './nl';
import type { Language } from '../storage';

export type { MessageKey };
export type Lang = 'nl' | 'en';

// Dutch is always there; English is loaded the first time it is asked for (a smaller popup).
const dictionaries: Partial<Record<Lang, Record<MessageKey, string>>> = { nl };
let current: Lang = 'nl';

/** For the service worker, where `import()` is not allowed: provide the dictionary up front. */
export function registerDictionary(language: Lang, dictionary: Record<MessageKey, string>) {
  dictionaries[language] = dictionary;
}

/** Loads the language when needed and makes it the current one. */
export async function switchLanguage(language: Lang): Promise<void> {
  if (!dictionaries[language]) dictionaries[language] = (await import('./en')).en;
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
  const text = dictionaries[language]?.[key] ?? nl[key];
  return text.replace(/\{(\w+)\}/g, (_, name: string) => String(params[name] ?? `{${name}}`));
}
