import { describe, expect, it, vi } from 'vitest';
import { ALARM_IDLE, ALARM_REMINDER, logout, onAlarm, onIdleState, startSession, stayLoggedIn } from './session';
import { REMINDER_ID } from './reminder';
import { getSession, setLocal, setSession } from '../lib/storage';
import { fakeBrowser } from '../../test/fake-browser';
import { demoLogin, fakeServer } from '../../test/fake-server';

describe('background session', () => {
  it('starts with a badge and plans the reminder and the idle logout', async () => {
    const browser = fakeBrowser();
    const before = Date.now();
    await startSession(demoLogin({ idleTimeoutSeconds: 900 }));
    expect(browser.action.badge.text).toBe('✓');
    expect(browser.action.badge.title).toBe('Kindkans: aangemeld als Jan Jansen');
    const reminder = browser.alarms.alarms.get(ALARM_REMINDER)!.scheduledTime;
    const idle = browser.alarms.alarms.get(ALARM_IDLE)!.scheduledTime;
    expect(reminder - before).toBeGreaterThanOrEqual(10 * 60_000);
    expect(reminder - before).toBeLessThan(10 * 60_000 + 1000);
    expect(idle - before).toBeGreaterThan(14 * 60_000);
    expect(idle - before).toBeLessThanOrEqual(15 * 60_000);
    expect(browser.storage.local.data.size).toBe(0);
  });

  it('follows the reminder minutes from the options', async () => {
    await setLocal('settings', { serverUrl: 'https://kindkans.test', language: 'nl', reminderMinutes: 3 });
    const before = Date.now();
    await startSession(demoLogin());
    expect(fakeBrowser().alarms.alarms.get(ALARM_REMINDER)!.scheduledTime - before).toBeLessThan(3 * 60_000 + 1000);
  });

  it('reminds with the buttons Uitloggen and Aangemeld blijven', async () => {
    await startSession(demoLogin());
    await onAlarm(ALARM_REMINDER);
    const shown = fakeBrowser().notifications.shown.get(REMINDER_ID)!;
    expect(shown.message).toBe('U bent nog aangemeld bij Kindkans. Log altijd uit na gebruik.');
    expect(shown.buttons).toEqual([{ title: 'Uitloggen' }, { title: 'Aangemeld blijven' }]);
  });

  it('Aangemeld blijven touches the server session and clears the reminder', async () => {
    const server = fakeServer().route('GET /auth/session', { body: { user: {}, expiresAt: '', idleExpiresAt: '' } });
    await startSession(demoLogin());
    await setSession({ lastActivity: 1 });
    await onAlarm(ALARM_REMINDER);
    await stayLoggedIn();
    expect(server.calls.map((c) => c.path)).toEqual(['/auth/session']);
    expect(server.calls[0]!.headers.authorization).toBe('Bearer tok-123');
    expect(fakeBrowser().notifications.shown.size).toBe(0);
    expect(await getSession('lastActivity')).toBeGreaterThan(1);
  });

  it('Aangemeld blijven on a session the server has ended logs out', async () => {
    const server = fakeServer().problemRoute('GET /auth/session', 401, 'unauthorized').route('POST /auth/logout', { status: 204 });
    await startSession(demoLogin());
    await stayLoggedIn();
    expect(await getSession('session')).toBeNull();
    expect(await getSession('farewell')).toMatchObject({ reason: 'expired' });
    expect(server.calls.map((c) => `${c.method} ${c.path}`)).toEqual(['GET /auth/session', 'POST /auth/logout']);
  });

  it('logs out at the idle timeout: server call, wipe, badge off, reason kept', async () => {
    const server = fakeServer().route('POST /auth/logout', { status: 204 });
    await startSession(demoLogin());
    await setSession({ downloads: [
      { downloadId: 1, attachmentId: 'a1', filename: 'verslag.pdf', state: 'complete' },
      { downloadId: 2, attachmentId: 'a2', filename: 'mislukt.pdf', state: 'interrupted' },
    ] });
    await onAlarm(ALARM_IDLE);
    const browser = fakeBrowser();
    expect(browser.storage.session.data.has('session')).toBe(false);
    expect(browser.action.badge.text).toBe('');
    expect(browser.alarms.alarms.size).toBe(0);
    expect(await getSession('farewell')).toMatchObject({ reason: 'idle', files: ['verslag.pdf'] });
    expect(server.calls[0]).toMatchObject({ method: 'POST', path: '/auth/logout', headers: { authorization: 'Bearer tok-123' } });
  });

  it('logs out when the screen locks, not when merely idle', async () => {
    fakeServer().route('POST /auth/logout', { status: 204 });
    await startSession(demoLogin());
    await onIdleState('idle');
    expect(await getSession('session')).not.toBeNull();
    await onIdleState('locked');
    expect(await getSession('session')).toBeNull();
    expect(await getSession('farewell')).toMatchObject({ reason: 'locked' });
  });

  it('wipes locally even when the server cannot be reached', async () => {
    fakeServer().fetch.mockRejectedValue(new TypeError('offline'));
    await startSession(demoLogin());
    await logout('user');
    expect(await getSession('session')).toBeNull();
  });

  it('a second logout keeps the first reason', async () => {
    fakeServer().route('POST /auth/logout', { status: 204 });
    await startSession(demoLogin());
    await logout('locked');
    await logout('expired');
    expect(await getSession('farewell')).toMatchObject({ reason: 'locked' });
  });

  it('falls back to a notification without buttons (Firefox)', async () => {
    await startSession(demoLogin());
    const create = vi.spyOn(fakeBrowser().notifications, 'create');
    create.mockRejectedValueOnce(new Error('Property "buttons" is unsupported by Firefox'));
    await onAlarm(ALARM_REMINDER);
    expect(create).toHaveBeenCalledTimes(2);
    expect(create.mock.calls[1]![1]).not.toHaveProperty('buttons');
  });
});
