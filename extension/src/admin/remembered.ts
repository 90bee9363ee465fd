// Filters remembered per user between visits (storage.local, keyed by the user's id). Only
// choices from fixed lists are kept (school, role, status, last login, audit outcome) and the
// audit log's action filter (an action name, never personal) — never a typed name or
// birth date: storage.local outlives the session and holds nothing personal.
import { browser } from '../lib/browser';

export interface Remembered {
  dossiers?: { school?: string };
  accounts?: { role?: string; status?: string; school?: string; lastLogin?: string };
  audit?: { action?: string; outcome?: string };
}

const key = (userId: string) => `panel-filters:${userId}`;

export async function recall(userId: string): Promise<Remembered> {
  const found = await browser.storage.local.get(key(userId));
  return (found[key(userId)] as Remembered | undefined) ?? {};
}

export async function remember(userId: string, part: Partial<Remembered>): Promise<void> {
  const current = await recall(userId);
  await browser.storage.local.set({ [key(userId)]: { ...current, ...part } });
}
