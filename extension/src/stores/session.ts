// The popup's view of the login, mirrored from session storage (the background owns writes
// on logout; the popup writes only at login through the background).
import { signal } from '@preact/signals';
import { getSession, onStorageChange, type Farewell, type Session } from '../lib/storage';

export const session = signal<Session | null>(null);
export const farewell = signal<Farewell | null>(null);
export const sessionLoaded = signal(false);

export async function loadSession(): Promise<() => void> {
  const [current, bye] = await Promise.all([getSession('session'), getSession('farewell')]);
  session.value = current;
  farewell.value = bye;
  sessionLoaded.value = true;
  return onStorageChange((changes, area) => {
    if (area !== 'session') return;
    if ('session' in changes) session.value = (changes.session!.newValue as Session | undefined) ?? null;
    if ('farewell' in changes) farewell.value = (changes.farewell!.newValue as Farewell | undefined) ?? null;
  });
}
