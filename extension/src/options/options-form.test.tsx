import { describe, expect, it } from 'vitest';
import { fireEvent, render, screen, waitFor } from '@testing-library/preact';
import { OptionsForm } from './options-form';
import { isSecureServerUrl, normaliseServerUrl } from '../lib/server-url';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { getSettings, setLocal, setSession } from '../lib/storage';
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
    expect(((await screen.findByLabelText('Serveradres')) as HTMLInputElement).value).toBe('https://kindkans.test');
    expect((screen.getByLabelText('Taal') as HTMLSelectElement).value).toBe('auto');
    expect((screen.getByLabelText('Herinnering na (minuten zonder activiteit)') as HTMLInputElement).value).toBe('10');
  });

  it('asks for permission for another server and keeps the old one when refused', async () => {
    const browser = fakeBrowser();
    browser.permissions.answer = false;
    render(<OptionsForm />);
    await save('https://kindkans.stromenland.nl/');
    expect((await screen.findByRole('alert')).textContent).toMatch(/Zonder toestemming/);
    expect((await getSettings()).serverUrl).toBe('https://kindkans.test');
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
    await save('https://kindkans.test', '0');
    await waitFor(() => expect(screen.getByRole('alert').textContent).toMatch(/tussen 1 en 60/));
    expect(normaliseServerUrl('https://a.nl/kindkans/')).toBe('https://a.nl/kindkans');
    expect(normaliseServerUrl('https://user:pw@a.nl')).toBeNull();
  });

  it('accepts only https:// servers, plain http:// only for localhost and 127.0.0.1, with a Dutch message', async () => {
    const browser = fakeBrowser();
    render(<OptionsForm />);
    await save('http://kindkans.stromenland.nl');
    expect((await screen.findByRole('alert')).textContent).toBe('Gebruik een beveiligd adres dat begint met https://. Alleen http://localhost en http://127.0.0.1 mogen zonder (voor ontwikkeling).');
    expect((await getSettings()).serverUrl).toBe('https://kindkans.test');
    expect(browser.permissions.granted.size).toBe(0);
    for (const local of ['http://localhost:3000', 'http://127.0.0.1:8080']) {
      await save(local);
      await waitFor(async () => expect((await getSettings()).serverUrl).toBe(local));
    }
    expect(isSecureServerUrl('http://localhost.evil.nl')).toBe(false);
    expect(isSecureServerUrl('http://127.0.0.2')).toBe(false);
    expect(isSecureServerUrl('https://kindkans.stromenland.nl')).toBe(true);
  });

  it('a server preset by the school through browser policy (storage.managed) wins and is shown as set by the school', async () => {
    const browser = fakeBrowser();
    await setLocal('settings', { serverUrl: 'https://eigen.example.nl', language: 'nl', reminderMinutes: 7 });
    browser.storage.managed.data.set('serverUrl', 'https://kindkans.stromenland.nl/');
    expect(await getSettings()).toEqual({ serverUrl: 'https://kindkans.stromenland.nl', language: 'nl', reminderMinutes: 7 });
    render(<OptionsForm />);
    const input = (await screen.findByLabelText('Serveradres')) as HTMLInputElement;
    expect(input.value).toBe('https://kindkans.stromenland.nl');
    expect(input.readOnly).toBe(true);
    expect(screen.getByText('Ingesteld door uw school. U kunt dit adres niet wijzigen.')).toBeTruthy();
    // Saving the other settings keeps the school's server in force.
    await save('https://iets.anders.nl', '12');
    expect(await screen.findByText('De instellingen zijn opgeslagen.')).toBeTruthy();
    expect(await getSettings()).toEqual({ serverUrl: 'https://kindkans.stromenland.nl', language: 'nl', reminderMinutes: 12 });
  });

  it('without a usable policy the saved setting is used: none (Firefox rejects), or an insecure preset', async () => {
    const browser = fakeBrowser();
    await setLocal('settings', { serverUrl: 'https://eigen.example.nl', language: 'auto', reminderMinutes: 10 });
    browser.storage.managed.missing = true;
    expect((await getSettings()).serverUrl).toBe('https://eigen.example.nl');
    browser.storage.managed.missing = false;
    browser.storage.managed.data.set('serverUrl', 'http://kindkans.stromenland.nl');
    expect((await getSettings()).serverUrl).toBe('https://eigen.example.nl');
    render(<OptionsForm />);
    expect(((await screen.findByLabelText('Serveradres')) as HTMLInputElement).readOnly).toBe(false);
  });

  it('the built extension carries the managed-storage schema its manifest names', () => {
    const manifest = JSON.parse(readFileSync(resolve('manifest.json'), 'utf8'));
    expect(manifest.storage.managed_schema).toBe('managed-schema.json');
    const schema = JSON.parse(readFileSync(resolve('extension/public', manifest.storage.managed_schema), 'utf8'));
    expect(schema).toMatchObject({ type: 'object', properties: { serverUrl: { type: 'string' } } });
  });
});
