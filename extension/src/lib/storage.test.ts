import { describe, expect, it } from 'vitest';
import { fakeBrowser } from '../../test/fake-browser';
import { DEFAULT_SERVER_URL, getSettings, SETTINGS_VERSION, setLocal, upgradeSettings } from './storage';

describe('settings storage', () => {
  it('writes the settings with the current version', async () => {
    await setLocal('settings', { serverUrl: 'https://kindkans.example.nl', language: 'en', reminderMinutes: 5 });
    expect(fakeBrowser().storage.local.data.get('settings')).toEqual({
      serverUrl: 'https://kindkans.example.nl', language: 'en', reminderMinutes: 5, version: SETTINGS_VERSION,
    });
  });

  it('upgrades settings stored without a version (0.1.0) and writes them back once', async () => {
    fakeBrowser().storage.local.data.set('settings', { serverUrl: 'https://kindkans.example.nl', language: 'nl', reminderMinutes: 7 });
    expect(await getSettings()).toEqual({ serverUrl: 'https://kindkans.example.nl', language: 'nl', reminderMinutes: 7 });
    expect(fakeBrowser().storage.local.data.get('settings')).toMatchObject({ version: SETTINGS_VERSION, reminderMinutes: 7 });
  });

  it('takes the default for a missing or misread value instead of passing it on', async () => {
    fakeBrowser().storage.local.data.set('settings', { serverUrl: '', language: 'fr', reminderMinutes: '5' });
    expect(await getSettings()).toEqual({ serverUrl: DEFAULT_SERVER_URL, language: 'auto', reminderMinutes: 10 });
    expect(await getSettings()).toEqual(upgradeSettings(undefined));
  });

  it('never uses a stored plain http:// server other than localhost or 127.0.0.1 (saved by an older version): the default instead', async () => {
    fakeBrowser().storage.local.data.set('settings', { serverUrl: 'http://kindkans.stromenland.nl', language: 'nl', reminderMinutes: 7 });
    expect(await getSettings()).toEqual({ serverUrl: DEFAULT_SERVER_URL, language: 'nl', reminderMinutes: 7 });
    fakeBrowser().storage.local.data.set('settings', { serverUrl: 'http://127.0.0.1:8080', language: 'nl', reminderMinutes: 7, version: SETTINGS_VERSION });
    expect((await getSettings()).serverUrl).toBe('http://127.0.0.1:8080');
  });

  it('runs the migrations in order, from the stored version on', () => {
    const migrations = [
      // 0 → 1: `reminder` was renamed
      (s: Record<string, unknown>) => ({ ...s, reminderMinutes: s.reminder }),
      // 1 → 2: the reminder moved from seconds to minutes
      (s: Record<string, unknown>) => ({ ...s, reminderMinutes: Number(s.reminderMinutes) / 60 }),
    ];
    expect(upgradeSettings({ reminder: 600, language: 'en' }, migrations)).toMatchObject({ reminderMinutes: 10, language: 'en' });
    expect(upgradeSettings({ version: 1, reminderMinutes: 300 }, migrations)).toMatchObject({ reminderMinutes: 5 });
    expect(upgradeSettings({ version: 2, reminderMinutes: 3 }, migrations)).toMatchObject({ reminderMinutes: 3 });
  });

  it('does not write back settings of a newer version than it knows', async () => {
    const newer = { serverUrl: 'https://kindkans.example.nl', language: 'en', reminderMinutes: 4, version: SETTINGS_VERSION + 1, extra: true };
    fakeBrowser().storage.local.data.set('settings', newer);
    expect(await getSettings()).toEqual({ serverUrl: 'https://kindkans.example.nl', language: 'en', reminderMinutes: 4 });
    expect(fakeBrowser().storage.local.data.get('settings')).toEqual(newer);
  });
});
