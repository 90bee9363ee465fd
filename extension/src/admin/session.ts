// The panel shares the popup's login: the same token in storage.session, written only by the
// background. Any call here records activity (lib/api.ts), so the idle timeout counts the panel
// too; a logout anywhere clears storage.session and this page follows at once.
import { signal } from '@preact/signals';
import { getSession, onStorageChange, type Farewell, type Session } from '../lib/storage';

export const session = signal<Session | null>(null);
const farewell = signal<Farewell | null>(null);
export const sessionLoaded = signal(false);

export async function loadAdminSession(): Promise<() => void> {
  const [current, bye] = await Promise.all([getSession('session'), getSession('farewell')]);
  session.value = current;
  farewell.value = bye;
  sessionLoaded.value = true;
  return onStorageChange((changes, area) => {
    if (area !== 'session') return;
    if ('session' in changes) session.value = (changes.session.newValue as Session | undefined) ?? null;
    if ('farewell' in changes) farewell.value = (changes.farewell.newValue as Farewell | undefined) ?? null;
  });
}
