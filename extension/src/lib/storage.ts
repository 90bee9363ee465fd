// Typed storage with defaults. Two areas, chosen on purpose:
// - local: settings and the remembered organisation, nothing personal;
// - session: the token and everything about this login; kept in memory only, gone when the
//   browser closes. The token is never written to `local` or `sync`.
import { browser } from './browser';
import type { User } from './server-routes';
import { isSecureServerUrl, normaliseServerUrl } from './server-url';

export const DEFAULT_SERVER_URL: string =
  typeof __KINDKANS_SERVER_URL__ === 'string' ? __KINDKANS_SERVER_URL__ : 'http://localhost:3000';

export type Language = 'auto' | 'nl' | 'en';

export interface Settings {
  serverUrl: string;
  language: Language;
  /** Minutes without activity before the "log altijd uit" reminder. */
  reminderMinutes: number;
}

export interface Session {
  token: string;
  expiresAt: string;
  idleTimeoutSeconds: number;
  user: User;
  startedAt: number;
}

export interface DownloadRecord {
  downloadId: number;
  attachmentId: string;
  filename: string;
  state: 'in_progress' | 'complete' | 'interrupted';
  error?: string;
}

export type LogoutReason = 'user' | 'idle' | 'locked' | 'expired' | 'reminder' | 'settings';

export interface Farewell {
  reason: LogoutReason;
  at: number;
  files: string[];
}

export interface LocalSchema {
  settings: Settings;
  organisation: string;
}

export interface SessionSchema {
  session: Session | null;
  /** Epoch ms of the last call to the server with the token. */
  lastActivity: number;
  downloads: DownloadRecord[];
  farewell: Farewell | null;
}

export const localDefaults: LocalSchema = {
  settings: { serverUrl: DEFAULT_SERVER_URL, language: 'auto', reminderMinutes: 10 },
  organisation: '',
};

export const sessionDefaults: SessionSchema = {
  session: null,
  lastActivity: 0,
  downloads: [],
  farewell: null,
};

export async function getLocal<K extends keyof LocalSchema>(key: K): Promise<LocalSchema[K]> {
  const found = await browser.storage.local.get(key);
  const value = found[key] as LocalSchema[K] | undefined;
  if (key === 'settings') return { ...localDefaults.settings, ...(value as Settings) } as LocalSchema[K];
  return value ?? localDefaults[key];
}

export async function setLocal<K extends keyof LocalSchema>(key: K, value: LocalSchema[K]) {
  await browser.storage.local.set({ [key]: value });
}

export async function getSession<K extends keyof SessionSchema>(key: K): Promise<SessionSchema[K]> {
  const found = await browser.storage.session.get(key);
  return (found[key] as SessionSchema[K] | undefined) ?? sessionDefaults[key];
}

export async function setSession(values: Partial<SessionSchema>) {
  await browser.storage.session.set(values);
}

export async function removeSession(...keys: (keyof SessionSchema)[]) {
  await browser.storage.session.remove(keys);
}

/**
 * What a school presets through browser policy (`storage.managed`, described by
 * `managed-schema.json` in the manifest). Read before `storage.local`: a managed value wins.
 */
export interface ManagedSettings {
  serverUrl?: string;
}

/** The policy's settings; `{}` without a policy (Firefox rejects then) or with an unusable value. */
export async function getManaged(): Promise<ManagedSettings> {
  try {
    const found = await browser.storage.managed.get('serverUrl');
    const url = typeof found.serverUrl === 'string' ? normaliseServerUrl(found.serverUrl) : null;
    return url && isSecureServerUrl(url) ? { serverUrl: url } : {};
  } catch {
    return {};
  }
}

/** The settings in force: the school's policy first, then what was saved here, then the defaults. */
export async function getSettings(): Promise<Settings> {
  const [managed, local] = await Promise.all([getManaged(), getLocal('settings')]);
  return { ...local, ...managed };
}

type AreaName = 'local' | 'session';
type Listener = (changes: Record<string, { oldValue?: unknown; newValue?: unknown }>, area: AreaName) => void;

/** Listen to changes in local or session storage; returns the function that stops listening. */
export function onStorageChange(listener: Listener): () => void {
  const wrapped = (changes: Record<string, { oldValue?: unknown; newValue?: unknown }>, area: string) => {
    if (area === 'local' || area === 'session') listener(changes, area);
  };
  browser.storage.onChanged.addListener(wrapped);
  return () => browser.storage.onChanged.removeListener(wrapped);
}
