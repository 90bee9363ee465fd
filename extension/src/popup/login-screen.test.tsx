import { describe, expect, it } from 'vitest';
import { fireEvent, render, screen, waitFor } from '@testing-library/preact';
import { App } from './app';
import { loadSession } from '../stores/session';
import { handleMessage } from '../background/handlers';
import { fakeBrowser } from '../../test/fake-browser';
import { demoLogin, parentServer } from '../../test/fake-server';

async function openPopup() {
  fakeBrowser().runtime.onMessage.addListener((m: unknown) => handleMessage(m));
  await loadSession();
  return render(<App />);
}

async function fillIn(code = '123456') {
  await screen.findByRole('option', { name: 'PO2507 Stromenland' });
  fireEvent.change(screen.getByLabelText('Organisatie'), { target: { value: 'PO2507' } });
  fireEvent.input(screen.getByLabelText('Naam'), { target: { value: ' j.jansen ' } });
  fireEvent.input(screen.getByLabelText('Wachtwoord'), { target: { value: 'een lang wachtwoord' } });
  fireEvent.input(screen.getByLabelText('Code'), { target: { value: code } });
  fireEvent.click(screen.getByRole('button', { name: 'Aanmelden' }));
}

describe('login screen', () => {
  it('has exactly the labels a parent is told about', async () => {
    parentServer();
    await openPopup();
    expect(await screen.findByLabelText('Organisatie')).toBeTruthy();
    expect(screen.getByLabelText('Naam').getAttribute('autocomplete')).toBe('username');
    expect(screen.getByLabelText('Wachtwoord').getAttribute('type')).toBe('password');
    const code = screen.getByLabelText('Code');
    expect(code.getAttribute('autocomplete')).toBe('one-time-code');
    expect(code.getAttribute('inputmode')).toBe('numeric');
    expect(screen.getByRole('button', { name: 'Aanmelden' })).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Wachtwoord vergeten?' })).toBeTruthy();
    // the only organisation is chosen for the parent
    await waitFor(() => expect((screen.getByLabelText('Organisatie') as HTMLSelectElement).value).toBe('PO2507'));
  });

  it('logs in, keeps the token in session storage only, remembers the organisation', async () => {
    const server = parentServer().route('POST /auth/login', { body: demoLogin() });
    await openPopup();
    await fillIn('123 456');
    expect(await screen.findByText('U bent succesvol aangemeld als Jan Jansen in regio PO2507 Stromenland.')).toBeTruthy();
    expect(server.calls.find((c) => c.path === '/auth/login')!.body).toEqual({
      organisation: 'PO2507', username: 'j.jansen', password: 'een lang wachtwoord', code: '123456',
    });
    const browser = fakeBrowser();
    expect((browser.storage.session.data.get('session') as { token: string }).token).toBe('tok-123');
    expect(JSON.stringify([...browser.storage.local.data])).not.toContain('tok-123');
    expect(browser.storage.local.data.get('organisation')).toBe('PO2507');
    expect(browser.action.badge.text).not.toBe('');
  });

  it('says plainly why a login failed, with the clock hint', async () => {
    parentServer().problemRoute('POST /auth/login', 401, 'invalid_credentials');
    await openPopup();
    await fillIn();
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toMatch(/Aanmelden is niet gelukt/);
    expect(alert.textContent).toMatch(/klok van uw telefoon/);
    expect((screen.getByLabelText('Code') as HTMLInputElement).value).toBe('');
  });

  it('tells how long to wait when throttled', async () => {
    parentServer().problemRoute('POST /auth/login', 429, 'too_many_attempts', { 'Retry-After': '300' });
    await openPopup();
    await fillIn();
    expect((await screen.findByRole('alert')).textContent).toBe('Te veel pogingen. Wacht 5 minuten en probeer het dan opnieuw.');
  });

  it('requests a password reset from the popup', async () => {
    const server = parentServer().route('POST /auth/password-reset', { status: 202 });
    await openPopup();
    await screen.findByRole('option', { name: 'PO2507 Stromenland' });
    fireEvent.click(screen.getByRole('button', { name: 'Wachtwoord vergeten?' }));
    fireEvent.change(screen.getByLabelText('Organisatie'), { target: { value: 'PO2507' } });
    fireEvent.input(screen.getByLabelText('Naam'), { target: { value: 'j.jansen' } });
    fireEvent.click(screen.getByRole('button', { name: 'Link aanvragen' }));
    expect(await screen.findByText(/ontvangt u binnen enkele minuten een e-mail/)).toBeTruthy();
    expect(server.calls.find((c) => c.path === '/auth/password-reset')!.body).toEqual({ organisation: 'PO2507', username: 'j.jansen' });
  });
});

describe('login screen in English', () => {
  it('follows the language chosen in the options', async () => {
    parentServer();
    const { setLocal } = await import('../lib/storage');
    const { loadLanguage } = await import('../stores/settings');
    await setLocal('settings', { serverUrl: 'https://kindkans.test', language: 'en', reminderMinutes: 10 });
    await loadLanguage();
    await openPopup();
    expect(await screen.findByLabelText('Organisation')).toBeTruthy();
    expect(screen.getByLabelText('Password')).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Sign in' })).toBeTruthy();
    await setLocal('settings', { serverUrl: 'https://kindkans.test', language: 'nl', reminderMinutes: 10 });
    expect(await screen.findByLabelText('Organisatie')).toBeTruthy();
  });
});
