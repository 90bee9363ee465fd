import { describe, expect, it } from 'vitest';
import { fireEvent, render, screen, waitFor } from '@testing-library/preact';
import { OptionsForm, normaliseServerUrl } from './options-form';
import { getSettings, setSession } from '../lib/storage';
import { handleMessage } from '../background/handlers';
import { fakeBrowser } from '../../test/fake-browser';
import { demoLogin, fakeServer } from '../../test/fake-server';

async function save(server: string, minutes = '10') {
  fireEvent.input(await screen.findByLabelText('Serveradres'), { target: { value: server } });
  fireEvent.input(screen.getByLabelText('Herinnering na (minuten zonder activiteit)'), { target: { value: minutes } });
  fireEvent.click(screen.getByRole('button', { name: 'Opslaan' }));
}

describe('options', () => {
  it('shows the built-in server address, the language and the reminder minutes', async () => {
    render(<OptionsForm />);
    expect((await screen.findByLabelText<HTMLInputElement>('Serveradres')).value).toBe('http://kindkans.test');
    expect(screen.getByLabelText<HTMLSelectElement>('Taal').value).toBe('auto');
    expect(screen.getByLabelText<HTMLInputElement>('Herinnering na (minuten zonder activiteit)').value).toBe('10');
  });

  it('shows settings stored by an older version, upgraded rather than misread', async () => {
    fakeBrowser().storage.local.data.set('settings', { serverUrl: 'https://kindkans.stromenland.nl', language: 'nl', reminderMinutes: 'tien' });
    render(<OptionsForm />);
    await waitFor(() => expect(screen.getByLabelText<HTMLInputElement>('Serveradres').value).toBe('https://kindkans.stromenland.nl'));
    expect(screen.getByLabelText<HTMLSelectElement>('Taal').value).toBe('nl');
    expect(screen.getByLabelText<HTMLInputElement>('Herinnering na (minuten zonder activiteit)').value).toBe('10');
    expect(await getSettings()).toEqual({ serverUrl: 'https://kindkans.stromenland.nl', language: 'nl', reminderMinutes: 10 });
  });

  it('asks for permission for another server and keeps the old one when refused', async () => {
    const browser = fakeBrowser();
    browser.permissions.answer = false;
    render(<OptionsForm />);
    await save('https://kindkans.stromenland.nl/');
    expect((await screen.findByRole('alert')).textContent).toMatch(/Zonder toestemming/);
    expect((await getSettings()).serverUrl).toBe('http://kindkans.test');
  });

  it('saves another server once allowed, and ends a running session', async () => {
    fakeServer().route('POST /auth/logout', { status: 204 });
    const browser = fakeBrowser();
    browser.runtime.onMessage.addListener((m: unknown) => handleMessage(m));
    await setSession({ session: { ...demoLogin(), startedAt: 0 } });
    render(<OptionsForm />);
    await save('https://kindkans.stromenland.nl/', '5');
    expect(await screen.findByText('De instellingen zijn opgeslagen.')).toBeTruthy();
    expect(browser.permissions.granted.has('https://kindkans.stromenland.nl/*')).toBe(true);
    expect(await getSettings()).toEqual({ serverUrl: 'https://kindkans.stromenland.nl', language: 'auto', reminderMinutes: 5 });
    expect(browser.storage.session.data.has('session')).toBe(false);
  });

  it('refuses nonsense', async () => {
    render(<OptionsForm />);
    await save('ftp://x');
    expect((await screen.findByRole('alert')).textContent).toMatch(/geldig adres/);
    await save('http://kindkans.test', '0');
    await waitFor(() => expect(screen.getByRole('alert').textContent).toMatch(/tussen 1 en 60/));
    expect(normaliseServerUrl('https://a.nl/kindkans/')).toBe('https://a.nl/kindkans');
    expect(normaliseServerUrl('https://user:pw@a.nl')).toBeNull();
  });
});
