// The background service worker: wires browser events to the session, downloads and
// reminder functions. Listeners are registered synchronously at the top level (MV3).
import { browser, type Runtime } from '../lib/browser';
import { getSession, onStorageChange } from '../lib/storage';
import { handleMessage } from './handlers';
import { logout, onAlarm, onIdleState, scheduleTimers, showBadge, stayLoggedIn } from './session';
import { onDownloadChanged } from './downloads';
import { REMINDER_ID, clearReminder } from './reminder';

browser.runtime.onMessage.addListener((message: unknown, sender: Runtime.MessageSender) => {
  if (sender.id !== browser.runtime.id) return undefined; // only our own pages
  return handleMessage(message);
});

browser.alarms.onAlarm.addListener((alarm) => void onAlarm(alarm.name));
browser.idle.onStateChanged.addListener((state) => void onIdleState(state));
browser.downloads.onChanged.addListener((delta) => void onDownloadChanged(delta));

browser.notifications.onButtonClicked?.addListener((id, index) => {
  if (id !== REMINDER_ID) return;
  void (index === 0 ? logout('reminder') : stayLoggedIn());
});
browser.notifications.onClicked.addListener((id) => {
  if (id === REMINDER_ID) void clearReminder();
});

// Any activity (a call to the server) or a changed reminder setting re-plans the timers.
onStorageChange((changes, area) => {
  if ((area === 'session' && 'lastActivity' in changes) || (area === 'local' && 'settings' in changes)) {
    void scheduleTimers();
  }
});

// A restarted worker (or browser) shows the right badge.
void getSession('session').then((session) => showBadge(session?.user.displayName ?? null));
