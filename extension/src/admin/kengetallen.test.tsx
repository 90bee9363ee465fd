import { describe, expect, it, vi } from 'vitest';
import { fireEvent, render, screen, waitFor, within } from '@testing-library/preact';
import type { User } from '../lib/server-routes';
import { setLocal, setSession } from '../lib/storage';
import { loadLanguage } from '../stores/settings';
import { handleMessage } from '../background/handlers';
import { fakeBrowser } from '../../test/fake-browser';
import { demoLogin, demoUser, fakeServer } from '../../test/fake-server';
import { AdminApp } from './app';
import { go, listenToHash, parseHash } from './router';
import { loadAdminSession } from './session';

const coordinator: User = { ...demoUser, id: 'co-1', displayName: 'Petra Coördinator', role: 'coordinator' };
const figures = {
  period: { from: '2025-02', to: '2026-01' },
  school: null,
  today: '2026-01-15',
  byStatus: [
    { status: 'aanmelding', closes: false, count: 3 }, { status: 'in behandeling', closes: false, count: 1200 },
    { status: 'advies', closes: false, count: 0 }, { status: 'afgerond', closes: true, count: 7 },
  ],
  bySchool: [{ brin: '12AB00', name: 'De Regenboog', count: 9 }, { brin: '34CD00', name: 'De Klimop', count: 2 }],
  perMonth: Array.from({ length: 12 }, (_, i) => ({ month: `${i < 11 ? 2025 : 2026}-${String(((i + 1) % 12) + 1).padStart(2, '0')}`, count: i === 3 ? 5 : 0 })),
  doorlooptijd: { medianDays: 25.5, count: 4 },
  tlvExpiring: { until: '2026-04-15', count: 1, items: [{ id: 't1', dossierId: 'd1', firstName: 'Sam', lastName: 'Jansen', school: { brin: '12AB00', name: 'De Regenboog' }, type: 'so-midden', endDate: '2026-03-15' }] },
};

function server() {
  return fakeServer()
    .route('GET /schools', { body: { items: [{ brin: '12AB00', name: 'De Regenboog', city: 'Nijmegen' }], page: 1, pageSize: 100, total: 1 } })
    .route('GET /kengetallen', { body: figures });
}

async function openKengetallen(user = coordinator) {
  fakeBrowser().runtime.onMessage.addListener((m: unknown) => handleMessage(m));
  location.hash = '#/kengetallen';
  go(parseHash('#/kengetallen'));
  await setSession({ session: { ...demoLogin({ user }), startedAt: Date.now() }, lastActivity: Date.now() });
  await loadAdminSession();
  listenToHash();
  return render(<AdminApp />);
}

describe('Kengetallen', () => {
  it('shows each figure as a chart hidden from screen readers, with its numbers in a table beside it', async () => {
    server();
    const { container } = await openKengetallen();
    expect(await screen.findByRole('heading', { level: 1, name: 'Kengetallen' })).toBeTruthy();
    const byStatus = await screen.findByRole('region', { name: 'Hulpvragen per status' });
    const rows = within(byStatus).getAllByRole('row').map((r) => r.textContent);
    expect(rows).toEqual(['StatusAantal', 'Aanmelding3', 'In behandeling1.200', 'Advies0', 'Afgerond (sluit af)7']);
    // Every chart is an aria-hidden SVG; one bar per status, one column per month.
    const charts = container.querySelectorAll('.kg-chart');
    expect(charts.length).toBe(5);
    for (const chart of charts) expect(chart.getAttribute('aria-hidden')).toBe('true');
    expect(byStatus.querySelectorAll('svg rect')).toHaveLength(4);
    expect(screen.getByRole('region', { name: 'Nieuwe hulpvragen per maand' }).querySelectorAll('svg rect')).toHaveLength(12);
    expect(within(screen.getByRole('region', { name: 'Nieuwe hulpvragen per maand' })).getByRole('rowheader', { name: 'mei 2025' })).toBeTruthy();
    const doorloop = screen.getByRole('region', { name: 'Doorlooptijd van aanmelding tot afgerond' });
    expect(within(doorloop).getByRole('row', { name: /Mediaan \(dagen\) 25,5/ })).toBeTruthy();
    const tlv = screen.getByRole('region', { name: 'TLV’s die binnen 3 maanden aflopen' });
    expect(within(tlv).getByText(/15-01-2026 tot en met 15-04-2026/)).toBeTruthy();
    expect(within(tlv).getByRole('link', { name: 'Jansen, Sam' }).getAttribute('href')).toBe('#/dossiers/d1/tlv');
    expect(within(tlv).getByText('SO midden')).toBeTruthy();
    expect(screen.getByText(/Periode feb 2025 tot en met jan 2026 · alle scholen/)).toBeTruthy();
  });

  it('filters by school and period; refuses a period that ends before it starts', async () => {
    const s = server();
    await openKengetallen();
    await screen.findByRole('region', { name: 'Hulpvragen per status' });
    await screen.findByRole('option', { name: '12AB00 · De Regenboog (Nijmegen)' });
    fireEvent.change(screen.getByLabelText('School'), { target: { value: '12AB00' } });
    fireEvent.input(screen.getByLabelText('Van (maand)'), { target: { value: '2025-06' } });
    fireEvent.input(screen.getByLabelText('Tot en met (maand)'), { target: { value: '2025-01' } });
    fireEvent.click(screen.getByRole('button', { name: 'Tonen' }));
    expect((await screen.findByRole('alert')).textContent).toMatch(/eerste maand niet na de laatste/);
    expect(s.calls.filter((c) => c.path.startsWith('/kengetallen')).length).toBe(1);
    fireEvent.input(screen.getByLabelText('Tot en met (maand)'), { target: { value: '2025-12' } });
    fireEvent.click(screen.getByRole('button', { name: 'Tonen' }));
    await waitFor(() => expect(s.calls.map((c) => c.path)).toContain('/kengetallen?school=12AB00&from=2025-06&to=2025-12'));
    expect(screen.queryByRole('alert')).toBeNull();
  });

  it('downloads a table as CSV with the session token, from a blob, under the server’s file name', async () => {
    const s = server().route('GET /kengetallen/byStatus/csv', { body: 'x', headers: { 'Content-Type': 'text/csv; charset=utf-8', 'Content-Disposition': 'attachment; filename="kengetallen-byStatus-2025-02-2026-01.csv"' } });
    const created = vi.fn(() => 'blob:kindkans/1');
    vi.stubGlobal('URL', Object.assign(URL, { createObjectURL: created, revokeObjectURL: vi.fn() }));
    const clicked: { href: string; download: string }[] = [];
    const click = vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) { clicked.push({ href: this.href, download: this.download }); });
    await openKengetallen();
    const region = await screen.findByRole('region', { name: 'Hulpvragen per status' });
    fireEvent.click(within(region).getByRole('button', { name: 'Hulpvragen per status als CSV downloaden' }));
    await waitFor(() => expect(clicked).toEqual([{ href: 'blob:kindkans/1', download: 'kengetallen-byStatus-2025-02-2026-01.csv' }]));
    const call = s.calls.find((c) => c.path.startsWith('/kengetallen/byStatus/csv'))!;
    expect(call.headers.authorization).toMatch(/^Bearer /);
    expect(call.headers.accept).toBe('text/csv');
    expect(created).toHaveBeenCalledWith(expect.any(Blob));
    // Saved with the server's type, so the browser keeps the .csv and Excel opens it.
    expect((created.mock.calls[0] as unknown as [Blob])[0].type).toBe('text/csv; charset=utf-8');
    click.mockRestore();
  });

  it('an error answer to a download is shown and never saved as a file', async () => {
    server().problemRoute('GET /kengetallen/perMonth/csv', 403, 'forbidden');
    const created = vi.fn(() => 'blob:kindkans/2');
    vi.stubGlobal('URL', Object.assign(URL, { createObjectURL: created, revokeObjectURL: vi.fn() }));
    const click = vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(() => undefined);
    await openKengetallen();
    const region = await screen.findByRole('region', { name: 'Nieuwe hulpvragen per maand' });
    fireEvent.click(within(region).getByRole('button', { name: 'Nieuwe hulpvragen per maand als CSV downloaden' }));
    await waitFor(() => expect(within(region).getByRole('alert')).toBeTruthy());
    expect(created).not.toHaveBeenCalled();
    expect(click).not.toHaveBeenCalled();
    click.mockRestore();
  });

  it('school staff see that the figures are for coordinators and admins, and nothing is fetched', async () => {
    const s = server();
    await openKengetallen({ ...coordinator, role: 'school' });
    expect(await screen.findByText(/voor coördinatoren en beheerders/)).toBeTruthy();
    expect(s.calls.some((c) => c.path.startsWith('/kengetallen'))).toBe(false);
  });

  it('speaks English when the settings say so', async () => {
    await setLocal('settings', { serverUrl: 'https://kindkans.test', language: 'en', reminderMinutes: 10 });
    await loadLanguage();
    server();
    await openKengetallen();
    expect(await screen.findByRole('region', { name: 'Hulpvragen by status' })).toBeTruthy();
    expect(screen.getByRole('region', { name: 'Time from aanmelding to afgerond' })).toBeTruthy();
    expect(screen.getAllByRole('button', { name: /as CSV$/ })).toHaveLength(5);
    await setLocal('settings', { serverUrl: 'https://kindkans.test', language: 'nl', reminderMinutes: 10 });
    await loadLanguage();
  });
});
