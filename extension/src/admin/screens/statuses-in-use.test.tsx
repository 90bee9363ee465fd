// The organisation's own statuses (Beheer → Statussen) where the panel offers a status:
// Status wijzigen and the Hulpvragen screen's filter. Nothing of the four defaults is built in.
import { describe, expect, it } from 'vitest';
import { fireEvent, render, screen, waitFor, within } from '@testing-library/preact';
import type { User } from '../../lib/server-routes';
import { setSession } from '../../lib/storage';
import { handleMessage } from '../../background/handlers';
import { fakeBrowser } from '../../../test/fake-browser';
import { demoLogin, demoUser, fakeServer } from '../../../test/fake-server';
import { AdminApp } from '../app';
import { go, listenToHash, parseHash } from '../router';
import { loadAdminSession } from '../session';

const staff: User = { ...demoUser, id: 'staff-2', displayName: 'Ilse Bakker', role: 'coordinator' };
/** An organisation that renamed, added and reordered: "gesloten" closes, so does "verwezen". */
const statuses = [
  { id: 's1', name: 'nieuw', position: 1, closes: false, inUse: 1 },
  { id: 's2', name: 'wacht op school', position: 2, closes: false, inUse: 0 },
  { id: 's3', name: 'in onderzoek', position: 3, closes: false, inUse: 0 },
  { id: 's4', name: 'verwezen', position: 4, closes: true, inUse: 0 },
  { id: 's5', name: 'gesloten', position: 5, closes: true, inUse: 1 },
];
const dossier = { id: 'd1', firstName: 'Sam', lastName: 'Jansen', birthDate: '2014-03-02', school: { brin: '12AB00', name: 'De Regenboog' }, schoolGroup: '', contactName: '', contactEmail: '', guardians: [] };
const hulpvraag = (status: string) => ({
  id: 'h1', dossierId: 'd1', date: '2024-09-01', title: 'Leesproblemen', status, description: '', coordinator: null, labels: [], visibleToParents: true, attachments: [],
});

function server(status: string) {
  return fakeServer()
    .route('GET /hulpvraag-statuses', { body: statuses })
    .route('GET /dossiers/d1', { body: dossier })
    .route('GET /dossiers/d1/hulpvragen', { body: { items: [{ id: 'h1', date: '2024-09-01', title: 'Leesproblemen', status, attachmentCount: 0, visibleToParents: true }], page: 1, pageSize: 50, total: 1 } })
    .route('GET /hulpvragen/h1', { body: hulpvraag(status) })
    .route('GET /users', { body: { items: [], page: 1, pageSize: 50, total: 0 } })
    .route('PATCH /hulpvragen/h1', (call) => ({ body: { ...hulpvraag(status), ...(call.body as object) } }));
}

async function openPanel(hash: string) {
  fakeBrowser().runtime.onMessage.addListener((m: unknown) => handleMessage(m));
  location.hash = hash;
  go(parseHash(hash));
  await setSession({ session: { ...demoLogin({ user: staff }), startedAt: Date.now() }, lastActivity: Date.now() });
  await loadAdminSession();
  listenToHash();
  return render(<AdminApp />);
}

async function openStatusForm() {
  fireEvent.click(await screen.findByRole('button', { name: 'Status wijzigen' }));
  const select = screen.getByLabelText('Nieuwe status') as HTMLSelectElement;
  await waitFor(() => expect(select.disabled).toBe(false));
  return select;
}

const optionTexts = (select: HTMLSelectElement) => [...select.options].map((o) => o.textContent);

describe('Status wijzigen with the organisation’s statuses', () => {
  it('offers its names in its order, the current one not choosable, the next one proposed; sends the chosen name', async () => {
    const api = server('wacht op school');
    await openPanel('#/dossiers/d1/hulpvraag/h1');
    const select = await openStatusForm();
    expect(optionTexts(select)).toEqual(['Nieuw', 'Wacht op school', 'In onderzoek', 'Verwezen (sluit af)', 'Gesloten (sluit af)']);
    expect([...select.options].filter((o) => o.disabled).map((o) => o.value)).toEqual(['wacht op school']);
    expect(select.value).toBe('in onderzoek');
    expect(document.getElementById('st-hint')!.textContent).toBe('');
    fireEvent.change(select, { target: { value: 'nieuw' } });
    fireEvent.submit(select.closest('form')!);
    await waitFor(() => expect(api.calls.find((c) => c.method === 'PATCH')?.body).toEqual({ status: 'nieuw' }));
  });

  it('says so when the choice closes the hulpvraag, and when it reopens one', async () => {
    server('in onderzoek');
    await openPanel('#/dossiers/d1/hulpvraag/h1');
    const select = await openStatusForm();
    expect(select.value).toBe('verwezen');
    expect(document.getElementById('st-hint')!.textContent).toBe('Met deze status is de hulpvraag afgesloten.');
    fireEvent.change(select, { target: { value: 'nieuw' } });
    expect(document.getElementById('st-hint')!.textContent).toBe('');
  });

  it('a closed hulpvraag is marked "afgesloten"; choosing an open status says it opens again', async () => {
    server('gesloten');
    await openPanel('#/dossiers/d1/hulpvraag/h1');
    const table = await screen.findByTestId('hulpvragen-table');
    await waitFor(() => expect(within(table).getByText('afgesloten')).toBeTruthy());
    const select = await openStatusForm();
    // The last status proposes the first other one; a closing → closing move needs no word.
    expect(select.value).toBe('nieuw');
    expect(document.getElementById('st-hint')!.textContent).toBe('Met deze status is de hulpvraag weer open.');
    fireEvent.change(select, { target: { value: 'verwezen' } });
    expect(document.getElementById('st-hint')!.textContent).toBe('');
  });

  it('a status the list no longer has (renamed meanwhile) shows as current and proposes the first', async () => {
    server('aanmelding');
    await openPanel('#/dossiers/d1/hulpvraag/h1');
    const select = await openStatusForm();
    expect(optionTexts(select)[0]).toBe('Aanmelding');
    expect(select.options[0]!.disabled).toBe(true);
    expect(select.value).toBe('nieuw');
  });

  it('when the statuses cannot be read: an error, and nothing can be sent', async () => {
    const api = server('nieuw').problemRoute('GET /hulpvraag-statuses', 403, 'forbidden');
    await openPanel('#/dossiers/d1/hulpvraag/h1');
    fireEvent.click(await screen.findByRole('button', { name: 'Status wijzigen' }));
    const form = screen.getByLabelText('Nieuwe status').closest('form')!;
    expect(await within(form).findByRole('alert')).toBeTruthy();
    expect((within(form).getByRole('button', { name: 'Status wijzigen' }) as HTMLButtonElement).disabled).toBe(true);
    expect(api.calls.some((c) => c.method === 'PATCH')).toBe(false);
  });
});

describe('Hulpvragen: the status filter', () => {
  it('lists the organisation’s statuses in order and filters on the chosen name; closed rows are marked', async () => {
    const row = { id: 'h1', date: '2024-09-01', title: 'Leesproblemen', status: 'gesloten', dossier: { id: 'd1', firstName: 'Sam', lastName: 'Jansen' }, coordinator: null };
    const api = server('gesloten').route('GET /hulpvragen', { body: { items: [row], page: 1, pageSize: 25, total: 1 } });
    await openPanel('#/hulpvragen');
    const select = screen.getByLabelText('Status') as HTMLSelectElement;
    await waitFor(() => expect(optionTexts(select)).toEqual(['Alle statussen', 'Nieuw', 'Wacht op school', 'In onderzoek', 'Verwezen (sluit af)', 'Gesloten (sluit af)']));
    expect(within(screen.getByRole('table')).getByText('afgesloten')).toBeTruthy();
    fireEvent.change(select, { target: { value: 'wacht op school' } });
    await waitFor(() => expect(api.calls.some((c) => c.path.startsWith('/hulpvragen?') && new URLSearchParams(c.path.split('?')[1]).get('status') === 'wacht op school')).toBe(true));
  });
});
