import { describe, expect, it } from 'vitest';
import { fireEvent, render, screen, waitFor, within } from '@testing-library/preact';
import { App } from './app';
import { loadSession } from '../stores/session';
import { handleMessage } from '../background/handlers';
import { onDownloadChanged } from '../background/downloads';
import { setSession } from '../lib/storage';
import { fakeBrowser } from '../../test/fake-browser';
import { demoDossier, demoLogin, parentServer } from '../../test/fake-server';

async function openLoggedIn() {
  fakeBrowser().runtime.onMessage.addListener((m: unknown) => handleMessage(m));
  await setSession({ session: { ...demoLogin(), startedAt: Date.now() }, lastActivity: Date.now() });
  await loadSession();
  return render(<App />);
}

describe('after login', () => {
  it('shows the header, the welcome, the news and the hulpvragen table with paging', async () => {
    parentServer();
    await openLoggedIn();
    const header = screen.getByRole('banner');
    expect(within(header).getByText('Jan Jansen')).toBeTruthy();
    expect(within(header).getByRole('button', { name: 'Uitloggen' })).toBeTruthy();
    expect(screen.getByText('U bent succesvol aangemeld als Jan Jansen in regio PO2507 Stromenland.')).toBeTruthy();
    expect(await screen.findByText('Welkom bij Kindkans')).toBeTruthy();
    const table = await screen.findByRole('table');
    expect(within(table).getAllByRole('columnheader').map((th) => th.textContent)).toEqual(['Datum', 'Hulpvraag', 'Status']);
    expect(within(table).getByText('12-06-2020')).toBeTruthy();
    expect(within(table).getByRole('button', { name: 'Preventief SCP observatie' })).toBeTruthy();
    expect(within(table).getByText('Aanmelding')).toBeTruthy();
    expect(screen.getByText('1/1 (1 van 1)')).toBeTruthy();
  });

  it('lets a parent with two children choose', async () => {
    const other = { ...demoDossier, id: 'd2', firstName: 'Noor' };
    parentServer()
      .route('GET /dossiers', { body: { items: [demoDossier, other], page: 1, pageSize: 100, total: 2 } })
      .route('GET /dossiers/d2/hulpvragen', { body: { items: [], page: 1, pageSize: 10, total: 0 } });
    await openLoggedIn();
    const choice = await screen.findByLabelText('Kies uw kind');
    expect(await screen.findByText('Dossier van Sam Jansen')).toBeTruthy();
    fireEvent.change(choice, { target: { value: 'd2' } });
    expect(await screen.findByText('Dossier van Noor Jansen')).toBeTruthy();
    expect(await screen.findByText('Er zijn nog geen hulpvragen.')).toBeTruthy();
  });

  it('opens a hulpvraag with all its details and downloads an attachment with progress', async () => {
    parentServer();
    await openLoggedIn();
    fireEvent.click(await screen.findByRole('button', { name: 'Preventief SCP observatie' }));
    await screen.findByText('Hulpvraagdatum');
    for (const term of ['Hulpvraagdatum', 'Status', 'Titel', 'Omschrijving', 'Coördinator', 'Labels', 'Bijlagen']) {
      expect(screen.getByText(term, { selector: 'dt' })).toBeTruthy();
    }
    expect(screen.getByText('Petra de Vries')).toBeTruthy();
    expect(screen.getByText('Observatie in de klas.')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'verslag observatie.pdf downloaden' }));
    expect(await screen.findByRole('progressbar')).toBeTruthy();
    const browser = fakeBrowser();
    await waitFor(() => expect(browser.downloads.list).toHaveLength(1));
    const download = browser.downloads.list[0]!;
    expect(download.filename).toBe('verslag observatie.pdf');
    expect(download.url).toBe('https://kindkans.test/api/v1/attachments/a1/content');
    expect(download.url).not.toContain('tok-123');
    expect(download.headers).toEqual([{ name: 'Authorization', value: 'Bearer tok-123' }]);
    download.bytesReceived = 500;
    await waitFor(() => expect(screen.getByRole('progressbar').getAttribute('aria-valuenow')).toBe('50'));
    download.state = 'complete';
    await onDownloadChanged({ id: download.id, state: { current: 'complete' } });
    expect(await screen.findByText('Opgeslagen in uw map Downloads.')).toBeTruthy();
  });

  it('says clearly when a download fails', async () => {
    parentServer();
    await openLoggedIn();
    fireEvent.click(await screen.findByRole('button', { name: 'Preventief SCP observatie' }));
    fireEvent.click(await screen.findByRole('button', { name: 'verslag observatie.pdf downloaden' }));
    const browser = fakeBrowser();
    await waitFor(() => expect(browser.downloads.list).toHaveLength(1));
    Object.assign(browser.downloads.list[0]!, { state: 'interrupted', error: 'NETWORK_FAILED' });
    expect((await screen.findByRole('alert')).textContent).toBe(
      'Het downloaden van verslag observatie.pdf is mislukt. De verbinding werd verbroken.',
    );
  });

  it('shows who looked at the dossier', async () => {
    parentServer();
    await openLoggedIn();
    fireEvent.click(await screen.findByRole('button', { name: 'Wie heeft meegekeken' }));
    expect(await screen.findByText('Petra de Vries')).toBeTruthy();
    expect(screen.getByText('(coördinator)')).toBeTruthy();
    expect(screen.getByText('bekeken: Preventief SCP observatie')).toBeTruthy();
  });

  it('logs out: wipes the session, says so and names the downloaded files', async () => {
    const server = parentServer();
    await openLoggedIn();
    const browser = fakeBrowser();
    await setSession({ downloads: [{ downloadId: 1, attachmentId: 'a1', filename: 'verslag observatie.pdf', state: 'complete' }] });
    fireEvent.click(screen.getByRole('button', { name: 'Uitloggen' }));
    expect(await screen.findByText('U bent afgemeld')).toBeTruthy();
    expect(screen.getByText('verslag observatie.pdf')).toBeTruthy();
    expect(screen.getByLabelText('Wachtwoord')).toBeTruthy();
    expect(browser.storage.session.data.has('session')).toBe(false);
    expect(JSON.stringify([...browser.storage.session.data, ...browser.storage.local.data])).not.toContain('tok-123');
    expect(browser.action.badge.text).toBe('');
    await waitFor(() => expect(server.calls.some((c) => c.method === 'POST' && c.path === '/auth/logout')).toBe(true));
  });

  it('goes back to the login when the server says the session is dead', async () => {
    parentServer().problemRoute('GET /dossiers', 401, 'unauthorized');
    await openLoggedIn();
    expect(await screen.findByText('Uw sessie was verlopen. Meld u opnieuw aan.')).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Aanmelden' })).toBeTruthy();
  });
});
