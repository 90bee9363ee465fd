// The popup's view of the login, mirrored from session storage (the background owns the
// writes). A new or ended login starts again from the home screen with fresh data.
import { signal } from '@preact/signals';
import { getSession, onStorageChange, type Farewell, type Session } from '../lib/storage';
import { resetDossierStore } from './dossier';
import { go } from './route';

export const session = signal<Session | null>(null);
export const farewell = signal<Farewell | null>(null);
export const sessionLoaded = signal(false);

function showSession(next: Session | null) {
  if (next?.token !== session.value?.token || !sessionLoaded.value) {
    resetDossierStore();
    go({ name: 'home' });
  }
  session.value = next;
}

export async function loadSession(): Promise<() => void> {
  sessionLoaded.value = false;
  const [current, bye] = await Promise.all([getSession('session'), getSession('farewell')]);
  showSession(current);
  farewell.value = bye;
  sessionLoaded.value = true;
  return onStorageChange((changes, area) => {
    if (area !== 'session') return;
    if ('session' in changes) showSession((changes.session.newValue as Session | undefined) ?? null);
    if ('farewell' in changes) farewell.value = (changes.farewell.newValue as Farewell | undefined) ?? null;
  });
}
