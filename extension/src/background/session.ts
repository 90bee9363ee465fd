// The login's life in the background: start, timers, reminder, and the one logout that
// every path goes through (button, reminder, idle timeout, screen lock, dead session).
import { browser, toolbarAction } from '../lib/browser';
import type { LoginResponse } from '../lib/server-routes';
import { ApiError, api, logoutAtServer } from '../lib/api';
import { getSession, getSettings, setSession, type LogoutReason } from '../lib/storage';
import { backgroundT } from './language';
import { clearReminder, showReminder } from './reminder';

export const ALARM_REMINDER = 'kindkans-reminder';
export const ALARM_IDLE = 'kindkans-idle';
export const ALARM_EXPIRY = 'kindkans-expiry';

export async function startSession(login: LoginResponse): Promise<void> {
  const now = Date.now();
  await browser.storage.session.clear();
  await setSession({
    session: { ...login, startedAt: now },
    lastActivity: now,
    downloads: [],
    farewell: null,
  });
  await showBadge(login.user.displayName);
  await scheduleTimers();
}

export async function showBadge(name: string | null): Promise<void> {
  const action = toolbarAction();
  if (!action) return;
  if (name) {
    await action.setBadgeBackgroundColor({ color: '#1d6b52' });
    await action.setBadgeText({ text: '✓' });
    await action.setTitle({ title: await backgroundT('badgeTitle', { name }) });
  } else {
    await action.setBadgeText({ text: '' });
    await action.setTitle({ title: 'Kindkans' });
  }
}

/** (Re)plans the reminder, the idle logout and the absolute expiry from the last activity. */
export async function scheduleTimers(): Promise<void> {
  const [session, lastActivity, settings] = await Promise.all([
    getSession('session'), getSession('lastActivity'), getSettings(),
  ]);
  await Promise.all([ALARM_REMINDER, ALARM_IDLE, ALARM_EXPIRY].map((name) => browser.alarms.clear(name)));
  if (!session) return;
  const idleMs = session.idleTimeoutSeconds * 1000;
  // Log out just before the server would, so the logout call still ends the session there.
  const idleAt = lastActivity + Math.max(idleMs - 2000, idleMs * 0.95);
  const reminderAt = lastActivity + settings.reminderMinutes * 60_000;
  if (reminderAt < idleAt) browser.alarms.create(ALARM_REMINDER, { when: reminderAt });
  browser.alarms.create(ALARM_IDLE, { when: idleAt });
  const expiry = Date.parse(session.expiresAt);
  if (Number.isFinite(expiry)) browser.alarms.create(ALARM_EXPIRY, { when: expiry });
}

export async function onAlarm(name: string): Promise<void> {
  const session = await getSession('session');
  if (!session) return;
  if (name === ALARM_REMINDER) {
    await showReminder();
    const settings = await getSettings();
    const lastActivity = await getSession('lastActivity');
    const next = Date.now() + settings.reminderMinutes * 60_000;
    if (next < lastActivity + session.idleTimeoutSeconds * 1000) browser.alarms.create(ALARM_REMINDER, { when: next });
  } else if (name === ALARM_IDLE) {
    await logout('idle');
  } else if (name === ALARM_EXPIRY) {
    await logout('expired');
  }
}

/** "Aangemeld blijven": touch the session at the server, which counts as activity. */
export async function stayLoggedIn(): Promise<void> {
  await clearReminder();
  const session = await getSession('session');
  if (!session) return;
  try {
    // A success counts as activity (api.ts records it); a dead session is logged out here.
    await api.session();
  } catch (error) {
    if (error instanceof ApiError && error.code === 'session_expired') return logout('expired');
    // offline or a server error: keep the local timers as they are
  }
}

/** Ends the session everywhere: local wipe first, then the server; remembers what to say. */
export async function logout(reason: LogoutReason): Promise<void> {
  const [session, downloads] = await Promise.all([getSession('session'), getSession('downloads')]);
  // Without a session there is nothing to wipe, and the first reason stays on screen.
  if (session) await browser.storage.session.clear();
  await Promise.all([ALARM_REMINDER, ALARM_IDLE, ALARM_EXPIRY].map((name) => browser.alarms.clear(name)));
  await showBadge(null);
  await clearReminder();
  if (!session) return;
  const files = [...new Set(downloads.filter((d) => d.state !== 'interrupted').map((d) => d.filename))];
  await setSession({ farewell: { reason, at: Date.now(), files } });
  const { serverUrl } = await getSettings();
  await logoutAtServer(serverUrl, session.token);
}

/** The screen was locked: log out at once. */
export async function onIdleState(state: string): Promise<void> {
  if (state === 'locked') await logout('locked');
}
