import { describe, expect, it } from 'vitest';
import type { User } from '../lib/server-routes';
import { fireEvent, render, screen, waitFor, within } from '@testing-library/preact';
import { AdminApp } from './app';
import { App as PopupApp } from '../popup/app';
import { loadSession } from '../stores/session';
import { handleMessage } from '../background/handlers';
import { setSession } from '../lib/storage';
import { fakeBrowser } from '../../test/fake-browser';
import { demoLogin, demoUser, fakeServer } from '../../test/fake-server';
import { go, listenToHash, parseHash } from './router';
import { loadAdminSession } from './session';

const staff: User = { ...demoUser, id: 'staff-1', displayName: 'Ilse Bakker', role: 'admin' };
const dossier = {
  id: 'd1', firstName: 'Sam', lastName: 'Jansen', birthDate: '2014-03-02', school: { brin: '12AB00', name: 'De Regenboog' },
  schoolGroup: 'groep 5', contactName: 'Mw. de Wit', contactEmail: '', guardians: [{ id: 'p1', displayName: 'Jan Jansen' }],
};
const file = { id: 'a1', hulpvraagId: 'h1', entryId: null, filename: 'verslag.pdf', contentType: 'application/pdf', size: 2048, sha256: 'ab', createdAt: '2024-09-01T10:00:00Z' };
const hulpvraag = {
  id: 'h1', dossierId: 'd1', date: '2024-09-01', title: 'Leesproblemen', status: 'aanmelding', description: 'Moeite met lezen.',
  coordinator: null, labels: ['lezen'], visibleToParents: true, attachments: [file],
};

function staffServer() {
  return fakeServer()
    .route('GET /schools', { body: { items: [{ brin: '12AB00', name: 'De Regenboog', city: 'Nijmegen' }], page: 1, pageSize: 100, total: 1 } })
    .route('GET /dossiers', { body: { items: [dossier], page: 1, pageSize: 25, total: 1 } })
    .route('GET /dossiers/d1', { body: dossier })
    .route('GET /dossiers/d1/hulpvragen', { body: { items: [{ id: 'h1', date: '2024-09-01', title: 'Leesproblemen', status: 'aanmelding', attachmentCount: 1, visibleToParents: true }], page: 1, pageSize: 50, total: 1 } })
    .route('GET /hulpvragen/h1', { body: hulpvraag })
    .route('GET /hulpvragen/h1/status-history', { body: [
      { at: '2024-09-01T08:00:00Z', by: { id: 'x', displayName: 'Petra' }, from: null, to: 'aanmelding', note: null, kind: 'status', automatic: false, rule: null },
      { at: '2024-09-02T08:00:00Z', by: null, from: 'aanmelding', to: 'in behandeling', note: null, kind: 'status', automatic: true, rule: { id: 'r1', name: 'Bijlage → in behandeling' } },
    ] })
    .route('GET /users', { body: { items: [], page: 1, pageSize: 50, total: 0 } })
    .route('GET /hulpvraag-statuses', { body: ['aanmelding', 'in behandeling', 'advies', 'afgerond'].map((name, i) => ({ id: `s${i}`, name, position: i + 1, closes: name === 'afgerond', inUse: 0 })) });
}

async function openPanel(user = staff, hash = '#/dossiers') {
  fakeBrowser().runtime.onMessage.addListener((m: unknown) => handleMessage(m));
  location.hash = hash;
  go(parseHash(hash));
  await setSession({ session: { ...demoLogin({ user }), startedAt: Date.now() }, lastActivity: Date.now() });
  await loadAdminSession();
  listenToHash();
  return render(<AdminApp />);
}

describe('staff panel', () => {
  it('without a login: says to sign in through the toolbar button', async () => {
    await loadAdminSession();
    render(<AdminApp />);
    expect(await screen.findByRole('heading', { name: 'U bent niet aangemeld' })).toBeTruthy();
  });

  it('a parent gets a polite refusal and no menu', async () => {
    fakeServer();
    await openPanel(demoUser);
    expect(await screen.findByText(/Dit deel van Kindkans is voor medewerkers/)).toBeTruthy();
    expect(screen.queryByRole('navigation')).toBeNull();
  });

  it('shows the staff’s menu, searches dossiers and remembers the school filter per user', async () => {
    const server = staffServer();
    await openPanel();
    const menu = screen.getByRole('navigation', { name: 'Hoofdmenu' });
    expect(within(menu).getAllByRole('link').map((a) => a.textContent)).toEqual(['Hulpvragen', 'Dossiers', 'Kengetallen', 'Planning', 'Beheer']);
    expect(within(menu).getByRole('link', { name: 'Dossiers' }).getAttribute('aria-current')).toBe('page');
    expect(await screen.findByText('Jansen, Sam')).toBeTruthy();
    await screen.findByRole('option', { name: '12AB00 · De Regenboog (Nijmegen)' });
    fireEvent.input(screen.getByLabelText('Naam'), { target: { value: 'sam' } });
    fireEvent.change(screen.getByLabelText('School (BRIN)'), { target: { value: '12AB00' } });
    fireEvent.click(screen.getByRole('button', { name: 'Zoeken' }));
    await waitFor(() => expect(server.calls.some((c) => c.path.startsWith('/dossiers?') && c.path.includes('name=sam') && c.path.includes('school=12AB00'))).toBe(true));
    await waitFor(async () => expect((await fakeBrowser().storage.local.get('panel-filters:staff-1'))['panel-filters:staff-1']).toEqual({ dossiers: { school: '12AB00' } }));
    expect(JSON.stringify(fakeBrowser().storage.local.data.get('panel-filters:staff-1'))).not.toContain('sam'); // no names kept
  });

  it('opens a dossier on its tabs; arrow keys move between the seven tabs', async () => {
    staffServer();
    await openPanel(staff, '#/dossiers/d1/basisgegevens');
    expect(await screen.findByRole('heading', { name: 'Dossier van Sam Jansen' })).toBeTruthy();
    const tabs = screen.getAllByRole('tab');
    expect(tabs.map((t) => t.textContent)).toEqual(['Basisgegevens', 'Schoolgegevens', 'Hulpvraag', 'Aanpak', 'TLV', 'Overlegronde', 'Mijn notities']);
    expect((screen.getByLabelText('Voornaam') as HTMLInputElement).value).toBe('Sam');
    expect(screen.getByText('Kindkans bewaart nooit een BSN.')).toBeTruthy();
    expect(screen.getByText('Jan Jansen')).toBeTruthy();
    fireEvent.keyDown(tabs[0]!, { key: 'ArrowRight' });
    await waitFor(() => expect(location.hash).toBe('#/dossiers/d1/schoolgegevens'));
    expect(((await screen.findByLabelText('Groep')) as HTMLInputElement).value).toBe('groep 5');
    expect(screen.getByRole('tab', { name: 'Schoolgegevens' }).getAttribute('aria-selected')).toBe('true');
  });

  it('Hulpvraag: Status wijzigen sends the status and note; Status informatie shows the history', async () => {
    const server = staffServer().route('PATCH /hulpvragen/h1', (call) => ({ body: { ...hulpvraag, ...(call.body as object) } }));
    await openPanel(staff, '#/dossiers/d1/hulpvraag');
    expect(await screen.findByRole('heading', { name: 'Leesproblemen' })).toBeTruthy();
    for (const name of ['Status wijzigen', 'Status informatie', 'Hulpvraag bewerken', '+ Nieuwe hulpvraag toevoegen']) expect(screen.getByRole('button', { name })).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Status wijzigen' }));
    fireEvent.change(screen.getByLabelText('Nieuwe status'), { target: { value: 'advies' } });
    fireEvent.input(screen.getByLabelText('Toelichting'), { target: { value: 'Advies naar school.' } });
    fireEvent.submit(screen.getByLabelText('Nieuwe status').closest('form')!);
    await waitFor(() => expect(server.calls.find((c) => c.method === 'PATCH')?.body).toEqual({ status: 'advies', statusNote: 'Advies naar school.' }));
    fireEvent.click(screen.getByRole('button', { name: 'Status informatie' }));
    const table = await screen.findByTestId('status-history');
    expect(within(table).getByText('Petra')).toBeTruthy();
    expect(within(table).getByText('→ Aanmelding')).toBeTruthy();
    // An automatic change names the rule instead of a person.
    expect(within(table).getByText('Automatisch: Bijlage → in behandeling')).toBeTruthy();
  });

  it('deleting an attachment asks first, naming the file; Cancel changes nothing', async () => {
    const server = staffServer().route('DELETE /attachments/a1', { status: 204 });
    await openPanel(staff, '#/dossiers/d1/hulpvraag/h1');
    fireEvent.click(await screen.findByRole('button', { name: 'verslag.pdf verwijderen' }));
    const dialog = await screen.findByRole('alertdialog');
    expect(within(dialog).getByText('Bijlage “verslag.pdf” verwijderen? Het bestand is daarna voor iedereen weg.')).toBeTruthy();
    expect(document.activeElement?.textContent).toBe('Annuleren');
    fireEvent.keyDown(dialog, { key: 'Escape' });
    await waitFor(() => expect(screen.queryByRole('alertdialog')).toBeNull());
    expect(server.calls.some((c) => c.method === 'DELETE')).toBe(false);
    fireEvent.click(screen.getByRole('button', { name: 'verslag.pdf verwijderen' }));
    fireEvent.click(within(await screen.findByRole('alertdialog')).getByRole('button', { name: 'Verwijderen' }));
    await waitFor(() => expect(server.calls.some((c) => c.method === 'DELETE' && c.path === '/attachments/a1')).toBe(true));
  });

  it('Mijn notities says who can read them and saves a note', async () => {
    const server = staffServer().route('GET /dossiers/d1/notes', { body: [] }).route('POST /dossiers/d1/notes', { status: 201, body: { id: 'n1', dossierId: 'd1', body: 'x', createdAt: '2024-01-01T00:00:00Z', updatedAt: '2024-01-01T00:00:00Z' } });
    await openPanel(staff, '#/dossiers/d1/notes');
    expect(await screen.findByText(/Alleen u ziet deze notities/)).toBeTruthy();
    fireEvent.input(screen.getByLabelText('Nieuwe notitie'), { target: { value: 'Broertje in groep 3.' } });
    fireEvent.submit(screen.getByLabelText('Nieuwe notitie').closest('form')!);
    await waitFor(() => expect(server.calls.find((c) => c.method === 'POST')?.body).toEqual({ body: 'Broertje in groep 3.' }));
  });

  it('TLV: an expired TLV is marked', async () => {
    const tlv = { id: 't1', dossierId: 'd1', date: '2022-06-01', title: '', body: '', visibleToParents: false, author: { id: 'x', displayName: 'Petra' }, createdAt: '2022-06-01T00:00:00Z', updatedAt: '2022-06-01T00:00:00Z', attachments: [], type: 'so-hoog', status: 'toegekend', startDate: '2022-08-01', endDate: '2024-07-31', decisionDate: '2022-06-15', expired: true };
    staffServer().route('GET /dossiers/d1/tlv', { body: { items: [tlv], page: 1, pageSize: 100, total: 1 } });
    await openPanel(staff, '#/dossiers/d1/tlv');
    const heading = await screen.findByRole('heading', { name: /SO categorie hoog/ });
    expect(within(heading).getByText('Verlopen')).toBeTruthy();
    expect(within(heading).getByText('niet zichtbaar voor ouders')).toBeTruthy();
  });

  it('Accounts: each action asks first and says what happens; filters are remembered', async () => {
    const server = staffServer()
      .route('GET /users', { body: { items: [{ id: 'u9', username: 'a.ouder', displayName: 'Anna Ouder', email: 'anna@example.org', role: 'parent', status: 'active', lastLoginAt: null }], page: 1, pageSize: 50, total: 1 } })
      .route('POST /users/u9/deactivate', { status: 204 });
    await openPanel(staff, '#/beheer/accounts');
    fireEvent.click(await screen.findByRole('button', { name: 'Deactiveren: Anna Ouder' }));
    const dialog = await screen.findByRole('alertdialog');
    expect(dialog.textContent).toContain('Anna Ouder kan daarna niet meer aanmelden en wordt overal meteen afgemeld.');
    fireEvent.click(within(dialog).getByRole('button', { name: 'Deactiveren' }));
    await waitFor(() => expect(server.calls.some((c) => c.method === 'POST' && c.path === '/users/u9/deactivate')).toBe(true));
    fireEvent.change(screen.getByLabelText('Rol'), { target: { value: 'parent' } });
    fireEvent.change(screen.getByLabelText('Laatst aangemeld'), { target: { value: 'over90' } });
    fireEvent.submit(screen.getByLabelText('Rol').closest('form')!);
    await waitFor(() => expect(server.calls.some((c) => c.path.includes('role=parent') && c.path.includes('lastLogin=over90'))).toBe(true));
    await waitFor(async () => expect((await fakeBrowser().storage.local.get('panel-filters:staff-1'))['panel-filters:staff-1']).toMatchObject({ accounts: { role: 'parent', lastLogin: 'over90' } }));
  });

  it('Nieuws: publishing asks first and says parents will see it', async () => {
    const draft = { id: 'n1', title: 'Studiedag', body: 'Geen school.', status: 'draft', publishedAt: null, withdrawnAt: null, updatedAt: '2024-09-01T08:00:00Z' };
    const server = staffServer().route('GET /news/manage', { body: [draft] }).route('POST /news/n1/publish', { body: { ...draft, status: 'published', publishedAt: '2024-09-02T08:00:00Z' } });
    await openPanel(staff, '#/beheer/nieuws');
    expect(await screen.findByText('concept')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Publiceren: Studiedag' }));
    const dialog = await screen.findByRole('alertdialog');
    expect(dialog.textContent).toContain('“Studiedag” publiceren? Alle ouders zien het bericht daarna op de startpagina.');
    fireEvent.click(within(dialog).getByRole('button', { name: 'Publiceren' }));
    await waitFor(() => expect(server.calls.some((c) => c.method === 'POST' && c.path === '/news/n1/publish')).toBe(true));
  });

  it('a new dossier: the form sends the child, the school and the Schoolgegevens, and opens the dossier', async () => {
    const server = staffServer().route('POST /dossiers', { status: 201, body: { ...dossier, id: 'd9' } }).route('GET /dossiers/d9', { body: { ...dossier, id: 'd9' } });
    await openPanel(staff, '#/dossiers/nieuw');
    await waitFor(() => expect(screen.getAllByRole('option', { name: '12AB00 · De Regenboog (Nijmegen)' })).toHaveLength(2));
    fireEvent.input(screen.getByLabelText('Voornaam'), { target: { value: 'Ties' } });
    fireEvent.input(screen.getByLabelText('Achternaam'), { target: { value: 'Bakker' } });
    fireEvent.input(screen.getAllByLabelText('Geboortedatum').at(-1)!, { target: { value: '2016-06-06' } });
    fireEvent.change(screen.getAllByLabelText('School (BRIN)').at(-1)!, { target: { value: '12AB00' } });
    fireEvent.input(screen.getByLabelText('Groep'), { target: { value: 'groep 4' } });
    fireEvent.click(screen.getByRole('button', { name: 'Aanmaken' }));
    await waitFor(() => expect(server.calls.find((c) => c.method === 'POST')?.body).toEqual({
      firstName: 'Ties', lastName: 'Bakker', birthDate: '2016-06-06', schoolBrin: '12AB00', schoolGroup: 'groep 4', contactName: '', contactEmail: '',
    }));
    await waitFor(() => expect(location.hash).toBe('#/dossiers/d9/basisgegevens'));
    expect(await screen.findByRole('heading', { name: 'Dossier van Sam Jansen' })).toBeTruthy();
    await waitFor(() => expect(server.calls.filter((c) => c.path.startsWith('/dossiers?')).length).toBeGreaterThan(1)); // the list refreshed
  });

  it('Kengetallen and Planning say "binnenkort"', async () => {
    staffServer();
    await openPanel(staff, '#/planning');
    expect(await screen.findByText('Dit onderdeel komt binnenkort.')).toBeTruthy();
  });
});

describe('popup: the Beheer button', () => {
  async function openPopup(user = staff) {
    fakeServer().route('GET /news', { body: [] }).route('GET /dossiers', { body: { items: [], page: 1, pageSize: 100, total: 0 } });
    await setSession({ session: { ...demoLogin({ user }), startedAt: Date.now() }, lastActivity: Date.now() });
    await loadSession();
    return render(<PopupApp />);
  }

  it('staff get a Beheer button that opens admin.html in a tab', async () => {
    const close = window.close.bind(window);
    window.close = () => undefined;
    await openPopup();
    fireEvent.click(screen.getByRole('button', { name: 'Beheer' }));
    await waitFor(() => expect(fakeBrowser().tabs.opened).toEqual(['chrome-extension://kindkans-test/admin.html']));
    window.close = close;
  });

  it('parents do not', async () => {
    await openPopup(demoUser);
    expect(screen.queryByRole('button', { name: 'Beheer' })).toBeNull();
  });
});

describe('Beheer → Statussen', () => {
  const statuses = [
    { id: 's1', name: 'aanmelding', position: 1, closes: false, inUse: 3 },
    { id: 's2', name: 'wacht op school', position: 2, closes: false, inUse: 0 },
    { id: 's3', name: 'afgerond', position: 3, closes: true, inUse: 1 },
  ];

  it('admins see the list in order; add, rename, move and delete (asking first) go to the server', async () => {
    const server = staffServer()
      .route('GET /hulpvraag-statuses', { body: statuses })
      .route('POST /hulpvraag-statuses', { status: 201, body: { id: 's4', name: 'advies', position: 4, closes: false, inUse: 0 } })
      .route('PATCH /hulpvraag-statuses/s2', { body: { ...statuses[1], position: 1 } })
      .route('DELETE /hulpvraag-statuses/s2', { status: 204 });
    await openPanel(staff, '#/beheer/statussen');
    expect(await screen.findByRole('heading', { name: 'Statussen' })).toBeTruthy();
    expect(screen.getByRole('link', { name: 'Statussen' }).getAttribute('aria-current')).toBe('page');
    expect(((await screen.findByLabelText('Sluit de hulpvraag af: afgerond')) as HTMLInputElement).checked).toBe(true);
    // A status in use cannot be deleted; the first cannot move up.
    expect((screen.getByRole('button', { name: 'Verwijderen: aanmelding' }) as HTMLButtonElement).disabled).toBe(true);
    expect((screen.getByRole('button', { name: 'Omhoog: aanmelding' }) as HTMLButtonElement).disabled).toBe(true);
    fireEvent.click(screen.getByRole('button', { name: 'Omhoog: wacht op school' }));
    await waitFor(() => expect(server.calls.find((c) => c.method === 'PATCH')?.body).toEqual({ position: 1 }));
    fireEvent.input(screen.getByLabelText('Nieuwe status'), { target: { value: ' advies ' } });
    fireEvent.submit(screen.getByLabelText('Nieuwe status').closest('form')!);
    await waitFor(() => expect(server.calls.find((c) => c.method === 'POST')?.body).toEqual({ name: 'advies' }));
    fireEvent.click(screen.getByRole('button', { name: 'Verwijderen: wacht op school' }));
    const dialog = await screen.findByRole('alertdialog');
    expect(dialog.textContent).toContain('Status “Wacht op school” verwijderen?');
    fireEvent.click(within(dialog).getByRole('button', { name: 'Verwijderen' }));
    await waitFor(() => expect(server.calls.some((c) => c.method === 'DELETE' && c.path === '/hulpvraag-statuses/s2')).toBe(true));
  });

  it('a refusal from the server is shown in Dutch, and nothing else changes', async () => {
    staffServer()
      .route('GET /hulpvraag-statuses', { body: statuses })
      .route('POST /hulpvraag-statuses', { status: 400, body: { type: 'about:blank', title: 'De invoer klopt niet', status: 400, code: 'validation_failed', detail: 'name: your organisation already has the status "afgerond".', requestId: 'r' } });
    await openPanel(staff, '#/beheer/statussen');
    fireEvent.input(await screen.findByLabelText('Nieuwe status'), { target: { value: 'afgerond' } });
    fireEvent.submit(screen.getByLabelText('Nieuwe status').closest('form')!);
    expect(await screen.findByRole('alert')).toBeTruthy();
    expect((screen.getByLabelText('Nieuwe status') as HTMLInputElement).value).toBe('afgerond');
  });
});
