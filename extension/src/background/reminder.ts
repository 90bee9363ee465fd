// The "log altijd uit" notification with the buttons Uitloggen and Aangemeld blijven.
import { browser } from '../lib/browser';
import { backgroundT } from './language';

export const REMINDER_ID = 'kindkans-reminder';

export async function showReminder(): Promise<void> {
  const base = {
    type: 'basic' as const,
    iconUrl: browser.runtime.getURL('icons/icon-128.png'),
    title: await backgroundT('reminderTitle'),
    message: await backgroundT('reminderMessage'),
    priority: 2,
  };
  const buttons = [{ title: await backgroundT('signOut') }, { title: await backgroundT('stayLoggedIn') }];
  await browser.notifications.clear(REMINDER_ID);
  try {
    await browser.notifications.create(REMINDER_ID, { ...base, buttons, requireInteraction: true } as typeof base);
  } catch {
    // Firefox knows neither buttons nor requireInteraction: show the message alone.
    await browser.notifications.create(REMINDER_ID, base);
  }
}

export async function clearReminder(): Promise<void> {
  await browser.notifications.clear(REMINDER_ID);
}
