import axe from 'axe-core';
import { describe, expect, it } from 'vitest';
import { fireEvent, render, screen, waitFor, within } from '@testing-library/preact';
import type { User } from '../lib/server-routes';
import { handleMessage } from '../background/handlers';
import { setSession } from '../lib/storage';
import { fakeBrowser } from '../../test/fake-browser';
import { demoLogin, demoUser, fakeServer } from '../../test/fake-server';
import { AdminApp } from './app';
import { go, listenToHash, parseHash } from './router';
import { loadAdminSession } from './session';

const admin: User = { ...demoUser, id: 'admin-1', displayName: 'Ilse Bakker', role: 'admin' };
const account = (id: string, displayName: string, over: Record<string, unknown> = {}) => ({
  id, username: id, displayName, email: `${id}@example.org`, role: 'parent', status: 'active', lastLoginAt: '2024-11-02T10:00:00Z',
  createdAt: '2023-01-10T10:00:00Z', inactiveSince: '2024-11-02T10:00:00Z', warnedAt: null, deactivateAt: null, ...over,
});
const sleepers = [
  account('u1', 'Jan Jansen', { status: 'invited', lastLoginAt: null, inactiveSince: '2023-01-10T10:00:00Z' }),
  account('u2', 'Petra de Wit', { warnedAt: '2025-11-25T00:10:00Z', deactivateAt: '2025-12-03T00:00:00Z' }),
];

function server(settings = { enabled: false, months: 12 }) {
  return fakeServer()
    .route('GET /schools', { body: { items: [{ brin: '12AB00', name: 'De Regenboog', city: 'Nijmegen' }], page: 1, pageSize: 100, total: 1 } })
    .route('GET /sleeping-accounts', { body: { items: sleepers, page: 1, pageSize: 50, total: 2, months: settings.months, asOf: '2025-12-01T10:00:00Z' } })
    .route('GET /sleeping-accounts/settings', { body: settings })
    .route('PUT /sleeping-accounts/settings', (call) => ({ body: call.body }))
    .route('POST /sleeping-accounts/deactivate', (call) => ({ body: { deactivated: (call.body as { ids?: string[] }).ids?.length ?? 2, skipped: 0 } }));
}

async function openPanel(user: User, hash = '#/beheer/slapend') {
  fakeBrowser().runtime.onMessage.addListener((m: unknown) => handleMessage(m));
  location.hash = hash;
  go(parseHash(hash));
  await setSession({ session: { ...demoLogin({ user }), startedAt: Date.now() }, lastActivity: Date.now() });
  await loadAdminSession();
  listenToHash();
  return render(<AdminApp />);
}

describe('Beheer → Slapende accounts', () => {
  it('lists the sleeping accounts with their last login (or “never”, since the invitation) and the warning', async () => {
    server();
    const { container } = await openPanel(admin);
    expect(await screen.findByRole('heading', { name: 'Slapende accounts' })).toBeTruthy();
    expect(screen.getByRole('link', { name: 'Slapende accounts' }).getAttribute('aria-current')).toBe('page');
    expect(await screen.findByText('Accounts die 12 maanden of langer niet zijn aangemeld. Wie nooit is aangemeld, telt vanaf de uitnodiging.')).toBeTruthy();
    const table = await screen.findByTestId('sleeping-table');
    const rows = within(table).getAllByRole('row').slice(1);
    expect(within(rows[0]!).getByText('nooit (uitgenodigd op 10-01-2023)')).toBeTruthy();
    expect(within(rows[1]!).getByText('02-11-2024')).toBeTruthy();
    expect(within(rows[1]!).getByText('ja: gedeactiveerd op 03-12-2025')).toBeTruthy();
    await screen.findByLabelText('Aantal maanden zonder aanmelding');
    const result = await axe.run(container, { rules: { 'color-contrast': { enabled: false } } });
    expect(result.passes.length).toBeGreaterThan(5); // axe did look at the screen
    expect(result.violations.map((v) => `${v.id}: ${v.help}`)).toEqual([]);
  });

  it('deactivates the chosen accounts after a confirmation that says how many and what happens', async () => {
    const s = server();
    await openPanel(admin);
    const chosen = (await screen.findByRole('button', { name: 'Gekozen accounts deactiveren (0)' })) as HTMLButtonElement;
    expect(chosen.disabled).toBe(true);
    fireEvent.click(await screen.findByLabelText('Kiezen: Petra de Wit'));
    fireEvent.click(screen.getByRole('button', { name: 'Gekozen accounts deactiveren (1)' }));
    const dialog = await screen.findByRole('alertdialog');
    expect(dialog.textContent).toContain('1 account(s) worden nu gedeactiveerd. Zij kunnen daarna niet meer aanmelden en worden overal meteen afgemeld');
    // Cancel changes nothing.
    fireEvent.click(within(dialog).getByRole('button', { name: 'Annuleren' }));
    await waitFor(() => expect(screen.queryByRole('alertdialog')).toBeNull());
    expect(s.calls.some((c) => c.method === 'POST')).toBe(false);
    fireEvent.click(screen.getByRole('button', { name: 'Gekozen accounts deactiveren (1)' }));
    fireEvent.click(within(await screen.findByRole('alertdialog')).getByRole('button', { name: '1 deactiveren' }));
    await waitFor(() => expect(s.calls.find((c) => c.method === 'POST')?.body).toEqual({ ids: ['u2'] }));
    expect((await screen.findByRole('status')).textContent).toBe('1 account(s) gedeactiveerd.');
  });

  it('“all sleeping as of now” names the total; choosing all on the page picks every row', async () => {
    const s = server();
    await openPanel(admin);
    fireEvent.click(await screen.findByLabelText('Alle accounts op deze pagina kiezen'));
    expect(screen.getByRole('button', { name: 'Gekozen accounts deactiveren (2)' })).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Alle 2 slapende accounts deactiveren' }));
    fireEvent.click(within(await screen.findByRole('alertdialog')).getByRole('button', { name: '2 deactiveren' }));
    await waitFor(() => expect(s.calls.find((c) => c.method === 'POST')?.body).toEqual({ all: true }));
  });

  it('filters by role and school like the Accounts screen', async () => {
    const s = server();
    await openPanel(admin);
    await screen.findByRole('option', { name: '12AB00 · De Regenboog (Nijmegen)' });
    fireEvent.change(screen.getByLabelText('Rol'), { target: { value: 'parent' } });
    fireEvent.change(screen.getByLabelText('School'), { target: { value: '12AB00' } });
    fireEvent.click(screen.getByRole('button', { name: 'Zoeken' }));
    await waitFor(() => expect(s.calls.some((c) => c.path.startsWith('/sleeping-accounts?') && c.path.includes('role=parent') && c.path.includes('school=12AB00'))).toBe(true));
  });

  it('admins set the daily job: on, and the number of months', async () => {
    const s = server();
    await openPanel(admin);
    fireEvent.click(await screen.findByLabelText('Elke dag slapende accounts deactiveren, met een e-mail een week van tevoren'));
    fireEvent.input(screen.getByLabelText('Aantal maanden zonder aanmelding'), { target: { value: '18' } });
    fireEvent.click(screen.getByRole('button', { name: 'Opslaan' }));
    await waitFor(() => expect(s.calls.find((c) => c.method === 'PUT')?.body).toEqual({ enabled: true, months: 18 }));
    expect(await screen.findByText('Opgeslagen. Accounts die 18 maanden niet zijn aangemeld, krijgen een e-mail en worden een week later gedeactiveerd.')).toBeTruthy();
  });

  it('school staff deactivate (their schools’ parents) but do not see the setting; coordinators have no link to it', async () => {
    const s = server();
    const view = await openPanel({ ...admin, role: 'school' });
    expect(await screen.findByRole('button', { name: 'Alle 2 slapende accounts deactiveren' })).toBeTruthy();
    expect(screen.queryByLabelText('Aantal maanden zonder aanmelding')).toBeNull();
    expect(s.calls.some((c) => c.path.startsWith('/sleeping-accounts/settings'))).toBe(false);
    view.unmount();
    server();
    await openPanel({ ...admin, role: 'coordinator' }, '#/beheer/accounts');
    const beheer = await screen.findByRole('navigation', { name: 'Beheer' });
    expect(within(beheer).queryByRole('link', { name: 'Slapende accounts' })).toBeNull();
  });
});
