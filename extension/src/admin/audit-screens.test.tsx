import { afterEach, describe, expect, it, vi } from 'vitest';
import type { User } from '../lib/server-routes';
import { fireEvent, render, screen, waitFor, within } from '@testing-library/preact';
import { AdminApp } from './app';
import { handleMessage } from '../background/handlers';
import { setSession } from '../lib/storage';
import { fakeBrowser } from '../../test/fake-browser';
import { demoLogin, demoUser, fakeServer } from '../../test/fake-server';
import { go, listenToHash, parseHash } from './router';
import { loadAdminSession } from './session';

const admin: User = { ...demoUser, id: 'admin-1', displayName: 'Ilse Bakker', role: 'admin' };
const entry = (id: number, over: Record<string, unknown> = {}) => ({
  id, at: '2026-11-28T09:00:00.000Z', action: 'dossier.read', outcome: 'success',
  actor: { id: 'u-petra', role: 'coordinator', displayName: 'Petra de Vries', token: null },
  subject: { type: 'dossier', id: 'd1', label: 'Sam Jansen' }, dossierId: 'd1', ipAddress: '10.0.0.1', userAgent: 'x', detail: null, ...over,
});

async function openPanel(hash: string, user = admin) {
  fakeBrowser().runtime.onMessage.addListener((m: unknown) => handleMessage(m));
  location.hash = hash;
  go(parseHash(hash));
  await setSession({ session: { ...demoLogin({ user }), startedAt: Date.now() }, lastActivity: Date.now() });
  await loadAdminSession();
  listenToHash();
  return render(<AdminApp />);
}

afterEach(() => vi.unstubAllGlobals());

describe('Beheer → Auditlog', () => {
  it('routes: the audit log with an account or dossier filter, and the rights of a dossier or account', () => {
    expect(parseHash('#/beheer/auditlog')).toEqual({ name: 'audit' });
    expect(parseHash('#/beheer/auditlog/account/u1')).toEqual({ name: 'audit', actorId: 'u1' });
    expect(parseHash('#/beheer/auditlog/dossier/d1')).toEqual({ name: 'audit', dossierId: 'd1' });
    expect(parseHash('#/beheer/rechten/dossier/d1')).toEqual({ name: 'rights', kind: 'dossier', id: 'd1' });
    expect(parseHash('#/beheer/rechten/account/u1')).toEqual({ name: 'rights', kind: 'account', id: 'u1' });
    expect(parseHash('#/beheer/rechten/iets/u1')).toEqual({ name: 'accounts' });
  });

  it('lists entries, filters by outcome and period (remembering the outcome), loads more by cursor', async () => {
    const server = fakeServer()
      .route('GET /audit-log', (call) => ({
        body: call.path.includes('cursor=c2')
          ? { items: [entry(1, { action: 'attachment.download' })], nextCursor: null }
          : { items: [entry(3), entry(2, { outcome: 'denied', action: 'dossier.update', actor: { id: 'u-x', role: 'school', displayName: '=Kwaad', token: null } })], nextCursor: 'c2' },
      }));
    await openPanel('#/beheer/auditlog');
    const table = await screen.findByTestId('audit-table');
    expect(within(table).getAllByRole('row')).toHaveLength(3);
    expect(within(table).getByText('geweigerd')).toBeTruthy();
    expect(within(table).getByRole('link', { name: 'Petra de Vries' }).getAttribute('href')).toBe('#/beheer/auditlog/account/u-petra');
    fireEvent.click(screen.getByRole('button', { name: 'Meer laden' }));
    await waitFor(() => expect(within(screen.getByTestId('audit-table')).getAllByRole('row')).toHaveLength(4));
    expect(screen.queryByRole('button', { name: 'Meer laden' })).toBeNull();

    fireEvent.change(screen.getByLabelText('Uitkomst'), { target: { value: 'denied' } });
    fireEvent.input(screen.getByLabelText('Van'), { target: { value: '2026-11-01' } });
    fireEvent.input(screen.getByLabelText('Tot en met'), { target: { value: '2026-11-30' } });
    fireEvent.click(screen.getByRole('button', { name: 'Zoeken' }));
    await waitFor(() => expect(server.calls.some((c) => c.path.includes('outcome=denied') && c.path.includes('from=') && c.path.includes('to='))).toBe(true));
    const asked = new URL(`http://x${server.calls.findLast((c) => c.path.includes('outcome=denied'))!.path}`).searchParams;
    // "Tot en met 30 november" is up to the start of 1 December (local time).
    expect(new Date(asked.get('to')!).getTime()).toBe(new Date(2026, 11, 1).getTime());
    expect(new Date(asked.get('from')!).getTime()).toBe(new Date(2026, 10, 1).getTime());
    await waitFor(async () => expect((await fakeBrowser().storage.local.get('panel-filters:admin-1'))['panel-filters:admin-1']).toEqual({ audit: { outcome: 'denied' } }));
  });

  it('Exporteren downloads the CSV with the Bearer token, with the same filters, as a file', async () => {
    const server = fakeServer()
      .route('GET /audit-log', { body: { items: [], nextCursor: null } })
      .route('GET /audit-log/export', { body: 'x', headers: { 'Content-Type': 'text/csv; charset=utf-8', 'Content-Disposition': 'attachment; filename="auditlog-2026-11-28.csv"' } });
    const created = vi.fn(() => 'blob:kindkans/1');
    vi.stubGlobal('URL', Object.assign(URL, { createObjectURL: created, revokeObjectURL: vi.fn() }));
    const clicked: HTMLAnchorElement[] = [];
    const click = vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) { clicked.push(this); });
    await openPanel('#/beheer/auditlog/dossier/d1');
    expect(await screen.findByText('Geen regels gevonden.')).toBeTruthy();
    expect(screen.getByText('Alleen dossier d1')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Exporteren (CSV)' }));
    expect(await screen.findByText('Het bestand auditlog-2026-11-28.csv staat in uw downloads.')).toBeTruthy();
    const call = server.calls.find((c) => c.path.startsWith('/audit-log/export'))!;
    expect(call.path).toBe('/audit-log/export?dossierId=d1');
    expect(call.headers.authorization).toBe('Bearer tok-123');
    expect(clicked[0]?.download).toBe('auditlog-2026-11-28.csv');
    expect(created).toHaveBeenCalledOnce();
    click.mockRestore();
  });

  it('the menu shows Auditlog to admins only', async () => {
    fakeServer().route('GET /users', { body: { items: [], page: 1, pageSize: 50, total: 0 } });
    await openPanel('#/beheer/accounts', { ...admin, role: 'coordinator' });
    const sub = await screen.findByRole('navigation', { name: 'Beheer' });
    expect(within(sub).queryByRole('link', { name: 'Auditlog' })).toBeNull();
  });
});

describe('Beheer → Rechten', () => {
  it('a dossier: who sees it and why, in plain words', async () => {
    fakeServer().route('GET /dossiers/d1/rights', { body: {
      dossier: { id: 'd1', name: 'Sam Jansen', school: { brin: '12AB00', name: 'De Regenboog' } },
      items: [
        { kind: 'user', id: 'p1', displayName: 'Jan Jansen', role: 'parent', grant: 'guardian', school: null, scopes: null, onlyShared: true },
        { kind: 'user', id: 's1', displayName: 'Ingrid IB', role: 'school', grant: 'school', school: { brin: '12AB00', name: 'De Regenboog' }, scopes: null, onlyShared: false },
        { kind: 'user', id: 'c1', displayName: 'Petra de Vries', role: 'coordinator', grant: 'organisation', school: null, scopes: null, onlyShared: false },
        { kind: 'token', id: 't1', displayName: 'Leerlingadministratie', role: 'service', grant: 'organisation', school: null, scopes: ['dossiers:read'], onlyShared: false },
      ],
    } });
    await openPanel('#/beheer/rechten/dossier/d1');
    expect(await screen.findByRole('heading', { name: 'Rechten: dossier van Sam Jansen' })).toBeTruthy();
    const rows = within(screen.getByTestId('dossier-rights')).getAllByRole('row').slice(1).map((r) => within(r).getAllByRole('cell').map((c) => c.textContent));
    expect(rows).toEqual([
      ['Jan Jansen', 'account', 'ouder', 'gekoppeld als ouder/verzorger van dit kind', 'ja'],
      ['Ingrid IB', 'account', 'school', 'medewerker van De Regenboog (12AB00)', 'nee'],
      ['Petra de Vries', 'account', 'coördinator', 'rol coördinator in de organisatie', 'nee'],
      ['Leerlingadministratie', 'API-token', 'API-token', 'API-token met scope dossiers:read', 'nee'],
    ]);
    expect(screen.getByRole('link', { name: 'Auditlog van dit dossier' }).getAttribute('href')).toBe('#/beheer/auditlog/dossier/d1');
  });

  it('an account: what it sees and why, and that it cannot sign in', async () => {
    fakeServer().route('GET /users/p1/rights', { body: {
      user: { id: 'p1', displayName: 'Jan Jansen', username: 'j.jansen', role: 'parent', status: 'deactivated' },
      grant: 'guardian', schools: [], dossierCount: 1, onlyShared: true, actions: ['dossier.read', 'news.read'], canSignIn: false,
      dossiers: [{ id: 'd1', name: 'Sam Jansen', birthDate: '2014-03-02', school: { brin: '12AB00', name: 'De Regenboog' } }],
    } });
    await openPanel('#/beheer/rechten/account/p1');
    expect(await screen.findByRole('heading', { name: 'Rechten: Jan Jansen' })).toBeTruthy();
    expect(screen.getByText(/kan nu niet inloggen/)).toBeTruthy();
    expect(screen.getByText(/als ouder\/verzorger is gekoppeld/)).toBeTruthy();
    expect(within(screen.getByTestId('account-rights')).getByRole('link', { name: 'Sam Jansen' }).getAttribute('href')).toBe('#/beheer/rechten/dossier/d1');
    expect(screen.getByText('dossier.read')).toBeTruthy();
  });
});
