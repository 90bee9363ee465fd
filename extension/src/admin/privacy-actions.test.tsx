// Issue 11 in the panel: anonymising (the typed-name dialog), TLV archiveren with "Gearchiveerd
// tonen", and the Overlegronde met besloten deelname — each with axe on the new dialog or form.
import axe from 'axe-core';
import { describe, expect, it } from 'vitest';
import { fireEvent, render, screen, waitFor, within } from '@testing-library/preact';
import type { User } from '../lib/server-routes';
import { AdminApp } from './app';
import { handleMessage } from '../background/handlers';
import { setSession } from '../lib/storage';
import { fakeBrowser } from '../../test/fake-browser';
import { demoLogin, demoUser, fakeServer } from '../../test/fake-server';
import { go, listenToHash, parseHash } from './router';
import { loadAdminSession } from './session';

const admin: User = { ...demoUser, id: 'admin-1', displayName: 'Ilse Bakker', role: 'admin' };
const coordinator: User = { ...admin, id: 'coord-1', displayName: 'Ruud Coördinator', role: 'coordinator' };
const school: User = { ...admin, id: 'ib-1', displayName: 'Ineke IB', role: 'school' };
const dossier = {
  id: 'd1', firstName: 'Sam', lastName: 'Jansen', birthDate: '2014-03-02', school: { brin: '12AB00', name: 'De Regenboog' }, anonymised: false,
  schoolGroup: 'groep 5', contactName: 'Mw. de Wit', contactEmail: '', guardians: [{ id: 'p1', displayName: 'Jan Jansen' }],
};
const anonymised = { ...dossier, firstName: 'Geanonimiseerd', lastName: '', birthDate: '1900-01-01', schoolGroup: '', contactName: '', guardians: [], anonymised: true };
const tlv = {
  id: 't1', dossierId: 'd1', date: '2024-06-01', title: 'Besluit', body: '', visibleToParents: false, author: null, createdAt: '2024-06-01T10:00:00Z', updatedAt: '2024-06-01T10:00:00Z',
  attachments: [], type: 'so-laag', status: 'toegekend', startDate: '2024-08-01', endDate: '2026-07-31', decisionDate: null, expired: false, archivedAt: null,
};
const page = (items: unknown[]) => ({ body: { items, page: 1, pageSize: 100, total: items.length } });

async function openPanel(user: User, hash: string) {
  fakeBrowser().runtime.onMessage.addListener((m: unknown) => handleMessage(m));
  location.hash = hash;
  go(parseHash(hash));
  await setSession({ session: { ...demoLogin({ user }), startedAt: Date.now() }, lastActivity: Date.now() });
  await loadAdminSession();
  listenToHash();
  return render(<AdminApp />);
}

/**
 * axe-core on one part of the page. Colour contrast needs a real layout (the e2e checks it); the
 * heading order is the page's (a tab's items are h3 under the dossier's h1), not the part's.
 */
async function expectAccessible(element: Element) {
  const result = await axe.run(element, { rules: { 'color-contrast': { enabled: false }, 'heading-order': { enabled: false } } });
  expect(result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.html).join(' | ')}`)).toEqual([]);
}

describe('staff panel: anonymising, TLV archiveren, besloten overleg', () => {
  it('an admin anonymises a dossier only after typing the child’s name; the dossier then shows as Geanonimiseerd', async () => {
    let current: typeof dossier | typeof anonymised = dossier;
    const server = fakeServer()
      .route('GET /dossiers', { body: { items: [dossier], page: 1, pageSize: 25, total: 1 } })
      .route('GET /schools', page([]))
      .route('GET /dossiers/d1', () => ({ body: current }))
      .route('POST /dossiers/d1/anonymise', () => { current = anonymised; return { body: anonymised }; });
    await openPanel(admin, '#/dossiers/d1/basisgegevens');
    fireEvent.click(await screen.findByRole('button', { name: 'Dossier anonimiseren' }));
    const dialog = await screen.findByRole('dialog', { name: 'Dossier anonimiseren' });
    await expectAccessible(dialog);
    const field = within(dialog).getByLabelText('Typ ter bevestiging de naam van het kind: Sam Jansen');
    const go = within(dialog).getByRole('button', { name: 'Definitief anonimiseren' }) as HTMLButtonElement;
    expect(go.disabled).toBe(true);
    fireEvent.input(field, { target: { value: 'Sam Janssen' } });
    expect(go.disabled).toBe(true);
    fireEvent.submit(dialog.querySelector('form')!);
    expect(server.calls.some((c) => c.method === 'POST')).toBe(false);
    fireEvent.input(field, { target: { value: '  sam   JANSEN ' } });
    expect(go.disabled).toBe(false);
    fireEvent.click(go);
    await waitFor(() => expect(server.calls.find((c) => c.method === 'POST')?.body).toEqual({ confirm: '  sam   JANSEN ' }));
    expect(await screen.findByRole('heading', { name: /Geanonimiseerd/ })).toBeTruthy();
    expect(screen.getByText('Dit dossier is geanonimiseerd en kan niet meer worden gewijzigd.')).toBeTruthy();
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(screen.queryByRole('button', { name: 'Dossier anonimiseren' })).toBeNull();
  }, 30_000);

  it('Escape closes the dialog without a call; school staff do not get the button', async () => {
    const server = fakeServer().route('GET /dossiers', page([dossier])).route('GET /schools', page([])).route('GET /dossiers/d1', { body: dossier });
    const { unmount } = await openPanel(admin, '#/dossiers/d1/basisgegevens');
    fireEvent.click(await screen.findByRole('button', { name: 'Dossier anonimiseren' }));
    fireEvent.keyDown(await screen.findByRole('dialog'), { key: 'Escape' });
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    expect(server.calls.some((c) => c.method === 'POST')).toBe(false);
    unmount();
    await openPanel(school, '#/dossiers/d1/basisgegevens');
    expect(await screen.findByRole('heading', { name: /Sam Jansen/ })).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Dossier anonimiseren' })).toBeNull();
  }, 30_000);

  it('TLV: a coordinator archives after a confirmation; an admin shows archived ones and restores them', async () => {
    const server = fakeServer()
      .route('GET /dossiers', page([dossier])).route('GET /schools', page([])).route('GET /dossiers/d1', { body: dossier })
      .route('GET /dossiers/d1/tlv', (call) => (call.path.includes('includeArchived=true') ? page([{ ...tlv, archivedAt: '2025-01-01T10:00:00Z' }]) : page([tlv])))
      .route('POST /tlv/t1/archive', { body: { ...tlv, archivedAt: '2025-01-01T10:00:00Z' } })
      .route('POST /tlv/t1/unarchive', { body: tlv });
    const { unmount } = await openPanel(coordinator, '#/dossiers/d1/tlv');
    expect(screen.queryByLabelText('Gearchiveerd tonen')).toBeNull();
    fireEvent.click(await screen.findByRole('button', { name: /^Archiveren:/ }));
    const ask = await screen.findByRole('alertdialog');
    expect(ask.textContent).toContain('alleen beheerders');
    fireEvent.click(within(ask).getByRole('button', { name: 'Archiveren' }));
    await waitFor(() => expect(server.calls.some((c) => c.method === 'POST' && c.path === '/tlv/t1/archive')).toBe(true));
    unmount();

    await openPanel(admin, '#/dossiers/d1/tlv');
    const panel = await screen.findByTestId('panel-tlv');
    fireEvent.click(within(panel).getByLabelText('Gearchiveerd tonen'));
    expect(await within(panel).findByText('Gearchiveerd')).toBeTruthy();
    await waitFor(() => expect(server.calls.some((c) => c.path.includes('/dossiers/d1/tlv') && c.path.includes('includeArchived=true'))).toBe(true));
    await expectAccessible(panel);
    fireEvent.click(within(panel).getByRole('button', { name: /^Terugzetten:/ }));
    await waitFor(() => expect(server.calls.some((c) => c.method === 'POST' && c.path === '/tlv/t1/unarchive')).toBe(true));
  }, 30_000);

  it('Overlegronde: closing a meeting lists staff and guardians to invite, and sends who was chosen', async () => {
    const server = fakeServer()
      .route('GET /dossiers', page([dossier])).route('GET /schools', page([])).route('GET /dossiers/d1', { body: dossier })
      .route('GET /dossiers/d1/overlegronden', page([]))
      .route('GET /dossiers/d1/overlegronden/candidates', { body: [
        { id: 'p1', displayName: 'Jan Jansen', role: 'parent' }, { id: 'ib-1', displayName: 'Ineke IB', role: 'school' }, { id: 'coord-1', displayName: 'Ruud Coördinator', role: 'coordinator' },
      ] })
      .route('POST /dossiers/d1/overlegronden', { status: 201, body: {} });
    await openPanel(school, '#/dossiers/d1/overlegronden');
    fireEvent.click(await screen.findByRole('button', { name: '+ Toevoegen' }));
    const form = await screen.findByRole('form');
    fireEvent.input(within(form).getByLabelText('Datum'), { target: { value: '2025-03-01' } });
    fireEvent.input(within(form).getByLabelText('Titel'), { target: { value: 'Besloten overleg' } });
    fireEvent.click(within(form).getByLabelText('Besloten deelname'));
    const invitees = await within(form).findByRole('group', { name: 'Genodigden' });
    fireEvent.click(await within(invitees).findByLabelText('Jan Jansen (ouder)'));
    await expectAccessible(form);
    fireEvent.click(within(form).getByRole('button', { name: 'Opslaan' }));
    await waitFor(() => expect(server.calls.find((c) => c.method === 'POST')?.body).toMatchObject({ date: '2025-03-01', title: 'Besloten overleg', closed: true, invitedIds: ['p1'] }));
  }, 30_000);
});
