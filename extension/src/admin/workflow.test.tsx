// Beheer → Automatisering and Mailsjablonen in the panel, against a fake of the API.
import { describe, expect, it } from 'vitest';
import { fireEvent, render, screen, waitFor, within } from '@testing-library/preact';
import type { User } from '../lib/server-routes';
import { handleMessage } from '../background/handlers';
import { setSession } from '../lib/storage';
import { fakeBrowser } from '../../test/fake-browser';
import { demoLogin, demoUser, fakeServer, type FakeCall } from '../../test/fake-server';
import { AdminApp } from './app';
import { go, listenToHash, parseHash } from './router';
import { loadAdminSession } from './session';

const admin: User = { ...demoUser, id: 'admin-1', displayName: 'Ilse Bakker', role: 'admin' };
const statuses = ['aanmelding', 'in behandeling', 'advies', 'afgerond'].map((name, i) => ({ id: `s${i}`, name, position: i + 1, closes: name === 'afgerond', inUse: 0 }));
const template = { id: 't1', name: 'Status gewijzigd', subject: 'Nieuws over {kind}', body: 'De hulpvraag van {kind} heeft nu de status {status}. Kijk op {link}', usedBy: 1 };
const spare = { id: 't2', name: 'Afgerond', subject: 'Afgerond', body: 'Klaar: {link}', usedBy: 0 };
const blank = { keyword: null, entryKind: null, whenStatus: null, setStatus: null, coordinator: null, description: null, mailTemplate: null, mailToGuardians: false, mailToCoordinator: false };
const rules = [
  { ...blank, id: 'r1', name: 'Bijlage → in behandeling', position: 1, enabled: true, kind: 'attachment_status', setStatus: 'in behandeling' },
  { ...blank, id: 'r2', name: 'Mail bij in behandeling', position: 2, enabled: false, kind: 'status_mail', whenStatus: 'in behandeling', mailTemplate: { id: 't1', name: 'Status gewijzigd' }, mailToGuardians: true },
  { ...blank, id: 'r3', name: 'Coördinator bij advies', position: 3, enabled: true, kind: 'status_coordinator', whenStatus: 'advies', coordinator: { id: 'c1', displayName: 'Petra de Vries' } },
];
const people = { coordinator: [{ id: 'c1', username: 'p.devries', displayName: 'Petra de Vries', email: 'p@example.org', role: 'coordinator', status: 'active', lastLoginAt: null }], admin: [{ id: 'admin-1', username: 'i.bakker', displayName: 'Ilse Bakker', email: 'i@example.org', role: 'admin', status: 'active', lastLoginAt: null }] };
const placeholders = ['kind', 'status', 'school', 'link', 'organisatie', 'datum', 'coordinator'].map((name) => ({ name, description: `uitleg ${name}` }));
const problem = (detail: string, errors: { path: string; message: string }[]) => ({
  status: 400, headers: { 'Content-Type': 'application/problem+json' }, body: { type: 'about:blank', title: 'The request is not valid', status: 400, code: 'validation_failed', detail, errors, requestId: 'r' },
});

function workflowServer() {
  return fakeServer()
    .route('GET /automation-rules', { body: rules })
    .route('GET /hulpvraag-statuses', { body: statuses })
    .route('GET /users', (call: FakeCall) => {
      const role = new URL(`http://x${call.path}`).searchParams.get('role') as 'coordinator' | 'admin';
      return { body: { items: people[role] ?? [], page: 1, pageSize: 50, total: 1 } };
    })
    .route('GET /mail-templates', { body: [spare, template] })
    .route('GET /mail-settings', { body: { closing: 'Met vriendelijke groet, het team.', placeholders } });
}

async function openPanel(hash: string, user = admin) {
  fakeBrowser().runtime.onMessage.addListener((m: unknown) => handleMessage(m));
  location.hash = hash;
  go(parseHash(hash));
  await setSession({ session: { ...demoLogin({ user }), startedAt: Date.now() }, lastActivity: Date.now() });
  await loadAdminSession();
  listenToHash();
  return render(<AdminApp />);
}

describe('Beheer → Automatisering', () => {
  it('lists the rules in order as sentences, each on or off; toggling and moving go to the server', async () => {
    const server = workflowServer()
      .route('PATCH /automation-rules/r2', (c) => ({ body: { ...rules[1], ...(c.body as object) } }))
      .route('PATCH /automation-rules/r3', (c) => ({ body: { ...rules[2], ...(c.body as object) } }));
    await openPanel('#/beheer/automatisering');
    expect(await screen.findByRole('heading', { name: 'Automatisering' })).toBeTruthy();
    expect(screen.getByRole('link', { name: 'Automatisering' }).getAttribute('aria-current')).toBe('page');
    const table = await screen.findByTestId('rules-table');
    const rows = within(table).getAllByRole('row').slice(1).map((r) => r.textContent);
    expect(rows[0]).toContain('Als er een bijlage bijkomt, dan status In behandeling.');
    expect(rows[1]).toContain('Als de status In behandeling wordt, dan mail “Status gewijzigd” aan de ouders/verzorgers.');
    expect(rows[2]).toContain('Als de status Advies wordt, dan coördinator Petra de Vries.');
    expect((screen.getByLabelText('Regel aan: Bijlage → in behandeling') as HTMLInputElement).checked).toBe(true);
    expect((screen.getByLabelText('Regel aan: Mail bij in behandeling') as HTMLInputElement).checked).toBe(false);
    // The first cannot move up, the last not down; the buttons name their rule.
    expect((screen.getByRole('button', { name: 'Omhoog: Bijlage → in behandeling' }) as HTMLButtonElement).disabled).toBe(true);
    expect((screen.getByRole('button', { name: 'Omlaag: Coördinator bij advies' }) as HTMLButtonElement).disabled).toBe(true);
    fireEvent.click(screen.getByLabelText('Regel aan: Mail bij in behandeling'));
    await waitFor(() => expect(server.calls.find((c) => c.method === 'PATCH' && c.path === '/automation-rules/r2')?.body).toEqual({ enabled: true }));
    fireEvent.click(screen.getByRole('button', { name: 'Omhoog: Coördinator bij advies' }));
    await waitFor(() => expect(server.calls.find((c) => c.method === 'PATCH' && c.path === '/automation-rules/r3')?.body).toEqual({ position: 2 }));
    await waitFor(() => expect(server.calls.filter((c) => c.path === '/automation-rules' && c.method === 'GET').length).toBeGreaterThan(2)); // reloaded
  });

  it('a refused toggle goes back, with the reason', async () => {
    workflowServer().problemRoute('PATCH /automation-rules/r2', 403, 'forbidden');
    await openPanel('#/beheer/automatisering');
    const box = (await screen.findByLabelText('Regel aan: Mail bij in behandeling')) as HTMLInputElement;
    fireEvent.click(box);
    expect(box.checked).toBe(true);
    expect(await screen.findByRole('alert')).toBeTruthy();
    await waitFor(() => expect(box.checked).toBe(false));
  });

  it('a new rule is a sentence: statuses, coordinators and templates come from the server', async () => {
    const server = workflowServer().route('POST /automation-rules', (c) => ({ status: 201, body: { ...blank, id: 'r9', position: 4, enabled: true, ...(c.body as object) } }));
    await openPanel('#/beheer/automatisering');
    fireEvent.click(await screen.findByRole('button', { name: '+ Nieuwe regel' }));
    const form = await screen.findByRole('form', { name: 'Nieuwe regel' });
    fireEvent.input(within(form).getByLabelText('Naam van de regel'), { target: { value: 'Leesproblemen naar advies' } });
    // Title keyword → status (the default kind)
    fireEvent.input(within(form).getByLabelText('Als de titel van de hulpvraag het woord'), { target: { value: 'lezen' } });
    const setStatus = within(form).getByLabelText('bevat, dan wordt de status') as HTMLSelectElement;
    expect([...setStatus.options].map((o) => o.value)).toEqual(['', 'aanmelding', 'in behandeling', 'advies', 'afgerond']);
    fireEvent.change(setStatus, { target: { value: 'advies' } });
    // Another kind: the sentence changes; coordinators are the active coordinators and admins.
    fireEvent.change(within(form).getByLabelText('Soort regel'), { target: { value: 'status_coordinator' } });
    expect(within(form).queryByLabelText('Als de titel van de hulpvraag het woord')).toBeNull();
    const coordinator = within(form).getByLabelText('wordt, dan wordt de coördinator') as HTMLSelectElement;
    expect([...coordinator.options].map((o) => o.text)).toEqual(['— kies —', 'Ilse Bakker', 'Petra de Vries']);
    fireEvent.change(within(form).getByLabelText('Soort regel'), { target: { value: 'status_mail' } });
    fireEvent.change(within(form).getByLabelText('Als de status'), { target: { value: 'in behandeling' } });
    const mail = within(form).getByLabelText('wordt, dan gaat de mail') as HTMLSelectElement;
    expect([...mail.options].map((o) => o.text)).toEqual(['— kies —', 'Afgerond', 'Status gewijzigd']);
    fireEvent.change(mail, { target: { value: 't1' } });
    fireEvent.click(within(form).getByLabelText('de coördinator'));
    fireEvent.submit(form);
    await waitFor(() => expect(server.calls.find((c) => c.method === 'POST')?.body).toEqual({
      name: 'Leesproblemen naar advies', kind: 'status_mail', whenStatus: 'in behandeling', mailTemplateId: 't1', mailToGuardians: true, mailToCoordinator: true,
    }));
    await waitFor(() => expect(screen.queryByRole('form', { name: 'Nieuwe regel' })).toBeNull());
  });

  it('shows what the server refused, per field, in Dutch; the form stays as it was', async () => {
    workflowServer().route('POST /automation-rules', problem('setStatus: needed for a rule of kind attachment_status', [{ path: 'setStatus', message: 'needed for a rule of kind attachment_status' }]));
    await openPanel('#/beheer/automatisering');
    fireEvent.click(await screen.findByRole('button', { name: '+ Nieuwe regel' }));
    const form = await screen.findByRole('form', { name: 'Nieuwe regel' });
    fireEvent.input(within(form).getByLabelText('Naam van de regel'), { target: { value: 'Bijlage' } });
    fireEvent.change(within(form).getByLabelText('Soort regel'), { target: { value: 'attachment_status' } });
    fireEvent.submit(form);
    expect((await within(form).findByRole('alert')).textContent).toBe('Nieuwe status: vul dit in.');
    expect((within(form).getByLabelText('Naam van de regel') as HTMLInputElement).value).toBe('Bijlage');
  });

  it('edits a rule, and deleting asks first, naming the rule', async () => {
    const server = workflowServer()
      .route('PATCH /automation-rules/r1', (c) => ({ body: { ...rules[0], ...(c.body as object) } }))
      .route('DELETE /automation-rules/r3', { status: 204 });
    await openPanel('#/beheer/automatisering');
    fireEvent.click(await screen.findByRole('button', { name: 'Bewerken: Bijlage → in behandeling' }));
    const form = await screen.findByRole('form', { name: 'Regel bewerken' });
    const set = within(form).getByLabelText('Als er een bijlage bij de hulpvraag komt, dan wordt de status') as HTMLSelectElement;
    expect(set.value).toBe('in behandeling');
    fireEvent.change(set, { target: { value: 'advies' } });
    fireEvent.submit(form);
    await waitFor(() => expect(server.calls.find((c) => c.method === 'PATCH')?.body).toEqual({ name: 'Bijlage → in behandeling', kind: 'attachment_status', setStatus: 'advies' }));
    fireEvent.click(screen.getByRole('button', { name: 'Verwijderen: Coördinator bij advies' }));
    const dialog = await screen.findByRole('alertdialog');
    expect(dialog.textContent).toContain('De regel “Coördinator bij advies” verwijderen?');
    fireEvent.click(within(dialog).getByRole('button', { name: 'Annuleren' }));
    await waitFor(() => expect(screen.queryByRole('alertdialog')).toBeNull());
    expect(server.calls.some((c) => c.method === 'DELETE')).toBe(false);
    fireEvent.click(screen.getByRole('button', { name: 'Verwijderen: Coördinator bij advies' }));
    fireEvent.click(within(await screen.findByRole('alertdialog')).getByRole('button', { name: 'Verwijderen' }));
    await waitFor(() => expect(server.calls.some((c) => c.method === 'DELETE' && c.path === '/automation-rules/r3')).toBe(true));
  });

  it('is in the Beheer menu for admins only', async () => {
    workflowServer().route('GET /users', { body: { items: [], page: 1, pageSize: 50, total: 0 } });
    await openPanel('#/beheer/accounts', { ...admin, role: 'coordinator' });
    await screen.findByRole('navigation', { name: 'Beheer' });
    expect(screen.queryByRole('link', { name: 'Automatisering' })).toBeNull();
    expect(screen.queryByRole('link', { name: 'Mailsjablonen' })).toBeNull();
  });
});

describe('Beheer → Mailsjablonen', () => {
  it('lists the templates; one a rule sends cannot be deleted; the other asks first', async () => {
    const server = workflowServer().route('DELETE /mail-templates/t2', { status: 204 });
    await openPanel('#/beheer/mailsjablonen');
    const table = await screen.findByTestId('templates-table');
    expect(within(table).getByText('Nieuws over {kind}')).toBeTruthy();
    expect(within(table).getByText('1 regel')).toBeTruthy();
    expect((screen.getByRole('button', { name: 'Verwijderen: Status gewijzigd' }) as HTMLButtonElement).disabled).toBe(true);
    fireEvent.click(screen.getByRole('button', { name: 'Verwijderen: Afgerond' }));
    const dialog = await screen.findByRole('alertdialog');
    expect(dialog.textContent).toContain('Het mailsjabloon “Afgerond” verwijderen?');
    fireEvent.click(within(dialog).getByRole('button', { name: 'Verwijderen' }));
    await waitFor(() => expect(server.calls.some((c) => c.method === 'DELETE' && c.path === '/mail-templates/t2')).toBe(true));
  });

  it('inserts placeholders where the cursor is, shows the server’s preview, and saves', async () => {
    const server = workflowServer()
      .route('POST /mail-templates/preview', (c) => {
        const { subject, body } = c.body as { subject: string; body: string };
        return { body: { subject: subject.replace('{kind}', 'Sam'), text: `${body.replace('{kind}', 'Sam').replace('{link}', 'https://kindkans.example.org')}\n\nMet vriendelijke groet, het team.`, html: '<p>…</p>' } };
      })
      .route('POST /mail-templates', (c) => ({ status: 201, body: { id: 't3', usedBy: 0, ...(c.body as object) } }));
    await openPanel('#/beheer/mailsjablonen');
    fireEvent.click(await screen.findByRole('button', { name: '+ Nieuw mailsjabloon' }));
    const form = await screen.findByRole('form', { name: 'Nieuw mailsjabloon' });
    expect(within(form).getAllByRole('button', { name: /^Invoegen / }).map((b) => b.textContent)).toEqual(['{kind}', '{status}', '{school}', '{link}', '{organisatie}', '{datum}', '{coordinator}']);
    fireEvent.input(within(form).getByLabelText('Naam van het sjabloon'), { target: { value: 'Nieuwe status' } });
    const subject = within(form).getByLabelText('Onderwerp') as HTMLInputElement;
    fireEvent.input(subject, { target: { value: 'Nieuws over ' } });
    fireEvent.focus(subject);
    subject.setSelectionRange(12, 12);
    fireEvent.click(within(form).getByRole('button', { name: 'Invoegen {kind}' }));
    await waitFor(() => expect(subject.value).toBe('Nieuws over {kind}'));
    const body = within(form).getByLabelText('Tekst') as HTMLTextAreaElement;
    fireEvent.input(body, { target: { value: 'Er is iets veranderd bij {kind}. Kijk op ' } });
    fireEvent.focus(body);
    body.setSelectionRange(body.value.length, body.value.length);
    fireEvent.click(within(form).getByRole('button', { name: 'Invoegen {link}' }));
    await waitFor(() => expect(body.value).toBe('Er is iets veranderd bij {kind}. Kijk op {link}'));
    const preview = screen.getByTestId('mail-preview');
    await waitFor(() => expect(preview.textContent).toContain('Onderwerp: Nieuws over Sam'), { timeout: 3000 });
    expect(preview.textContent).toContain('Er is iets veranderd bij Sam. Kijk op https://kindkans.example.org');
    expect(preview.textContent).toContain('Met vriendelijke groet, het team.');
    fireEvent.submit(form);
    await waitFor(() => expect(server.calls.find((c) => c.method === 'POST' && c.path === '/mail-templates')?.body).toEqual({
      name: 'Nieuwe status', subject: 'Nieuws over {kind}', body: 'Er is iets veranderd bij {kind}. Kijk op {link}',
    }));
  });

  it('an unknown placeholder: the preview says so while typing, and saving shows the refusal in Dutch', async () => {
    const message = 'unknown placeholders {titel}; use {kind}, {status}';
    workflowServer()
      .route('POST /mail-templates/preview', problem(`body: ${message}`, [{ path: 'body', message }]))
      .route('PATCH /mail-templates/t1', problem(`body: ${message}`, [{ path: 'body', message, unknownPlaceholders: ['titel'] } as never]));
    await openPanel('#/beheer/mailsjablonen');
    fireEvent.click(await screen.findByRole('button', { name: 'Bewerken: Status gewijzigd' }));
    const form = await screen.findByRole('form', { name: 'Mailsjabloon bewerken' });
    fireEvent.input(within(form).getByLabelText('Tekst'), { target: { value: 'De hulpvraag {titel} is veranderd.' } });
    await waitFor(() => expect(screen.getByTestId('mail-preview').textContent).toContain('Tekst: onbekende plaatshouders {titel}.'), { timeout: 3000 });
    fireEvent.submit(form);
    const alert = await within(form).findByRole('alert');
    expect(alert.textContent).toBe('Tekst: onbekende plaatshouders {titel}. Gebruik alleen {kind}, {status}, {school}, {link}, {organisatie}, {datum}, {coordinator}.');
    expect((within(form).getByLabelText('Tekst') as HTMLTextAreaElement).value).toBe('De hulpvraag {titel} is veranderd.');
  });

  it('keeps the organisation’s closing text', async () => {
    const server = workflowServer().route('PUT /mail-settings', (c) => ({ body: { closing: (c.body as { closing: string }).closing, placeholders } }));
    await openPanel('#/beheer/mailsjablonen');
    const closing = (await screen.findByLabelText('Afsluitende tekst')) as HTMLTextAreaElement;
    expect(closing.value).toBe('Met vriendelijke groet, het team.');
    fireEvent.input(closing, { target: { value: 'Groet, {organisatie}' } });
    fireEvent.submit(closing.closest('form')!);
    await waitFor(() => expect(server.calls.find((c) => c.method === 'PUT')?.body).toEqual({ closing: 'Groet, {organisatie}' }));
    expect(await screen.findByText('De afsluitende tekst is opgeslagen.')).toBeTruthy();
  });
});
