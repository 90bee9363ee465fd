// Typed storage with defaults. Two areas, chosen on purpose:
// - local: settings and the remembered organisation, nothing personal;
// - session: the token and everything about this login; kept in memory only, gone when the
//   browser closes. The token is never written to `local` or `sync`.
// The stored settings carry a version and are upgraded by ordered migrations when read
// (refined-github's options storage style), so an older extension's settings are not misread.
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

const localDefaults: LocalSchema = {
  settings: { serverUrl: DEFAULT_SERVER_URL, language: 'auto', reminderMinutes: 10 },
  organisation: '',
};

const sessionDefaults: SessionSchema = {
  session: null,
  lastActivity: 0,
  downloads: [],
  farewell: null,
};

type StoredSettings = Record<string, unknown>;
type SettingsMigration = (stored: StoredSettings) => StoredSettings;

/**
 * Ordered migrations of the stored settings: the one at index i upgrades version i to i + 1.
 * Settings stored without a `version` are version 0. When Settings changes shape, append a
 * migration here; the version this code writes follows from the list.
 */
const settingsMigrations: SettingsMigration[] = [
  // 0 → 1: version 0.1.0 stored the same three fields, without a version.
  (stored) => stored,
];

/** The version of the settings this code writes. */
export const SETTINGS_VERSION = settingsMigrations.length;

const isLanguage = (value: unknown): value is Language => value === 'auto' || value === 'nl' || value === 'en';

/** The version stored settings were written in (0: before versions). */
function storedVersion(stored: StoredSettings): number {
  const { version } = stored;
  return typeof version === 'number' && Number.isInteger(version) && version >= 0 ? version : 0;
}

/**
 * Reads stored settings of any version: runs the migrations from its version on, then takes
 * each field that has the right kind of value and the default for the rest.
 */
export function upgradeSettings(stored: unknown, migrations: SettingsMigration[] = settingsMigrations): Settings {
  let value: StoredSettings = typeof stored === 'object' && stored !== null ? { ...(stored as StoredSettings) } : {};
  for (const migrate of migrations.slice(storedVersion(value))) value = migrate(value);
  const defaults = localDefaults.settings;
  const { serverUrl, language, reminderMinutes } = value;
  return {
    // Only a server the options page would accept now: an address saved by an older version
    // (plain http:// to another computer) is not used, so the token never travels unencrypted.
    serverUrl: typeof serverUrl === 'string' && serverUrl !== '' && isSecureServerUrl(serverUrl) ? serverUrl : defaults.serverUrl,
    language: isLanguage(language) ? language : defaults.language,
    reminderMinutes: typeof reminderMinutes === 'number' && reminderMinutes > 0 && Number.isFinite(reminderMinutes) ? reminderMinutes : defaults.reminderMinutes,
  };
}

export async function getLocal<K extends keyof LocalSchema>(key: K): Promise<LocalSchema[K]> {
  const found = await browser.storage.local.get(key);
  if (key === 'settings') {
    const stored = found.settings as StoredSettings | undefined;
    const settings = upgradeSettings(stored);
    // Older settings are written back once in this version, so later reads need no migration.
    if (stored && storedVersion(stored) < SETTINGS_VERSION) await setLocal('settings', settings);
    return settings as LocalSchema[K];
  }
  return (found[key] as LocalSchema[K] | undefined) ?? localDefaults[key];
}

export async function setLocal<K extends keyof LocalSchema>(key: K, value: LocalSchema[K]) {
  await browser.storage.local.set({ [key]: key === 'settings' ? { ...(value as Settings), version: SETTINGS_VERSION } : value });
}

export async function getSession<K extends keyof SessionSchema>(key: K): Promise<SessionSchema[K]> {
  const found = await browser.storage.session.get(key);
  return (found[key] as SessionSchema[K] | undefined) ?? sessionDefaults[key];
}

export async function setSession(values: Partial<SessionSchema>) {
  await browser.storage.session.set(values);
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
