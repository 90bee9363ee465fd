// A parent invited to a closed Overlegronde reads it in the popup, below the hulpvragen; the server
// gives parents only those meetings (visibleEntries), so the popup shows what it gets.
import { describe, expect, it } from 'vitest';
import { render, screen, within } from '@testing-library/preact';
import { App } from './app';
import { loadSession } from '../stores/session';
import { handleMessage } from '../background/handlers';
import { setSession } from '../lib/storage';
import { fakeBrowser } from '../../test/fake-browser';
import { demoLogin, parentServer } from '../../test/fake-server';

const empty = { body: { items: [], page: 1, pageSize: 50, total: 0 } };
const meeting = {
  id: 'o1', dossierId: 'd1', date: '2025-03-01', title: 'Overleg over groep 6', body: 'Afspraken over de overstap.', visibleToParents: false, author: null,
  createdAt: '2025-03-01T10:00:00Z', updatedAt: '2025-03-01T10:00:00Z', attachments: [], participants: [], closed: true, invited: [],
};

describe('popup: closed Overlegronden', () => {
  it('shows the meeting a parent is invited to, with its notes', async () => {
    parentServer()
      .route('GET /dossiers/d1/aanpak', empty)
      .route('GET /dossiers/d1/tlv', empty)
      .route('GET /dossiers/d1/overlegronden', { body: { items: [meeting], page: 1, pageSize: 50, total: 1 } });
    fakeBrowser().runtime.onMessage.addListener((m: unknown) => handleMessage(m));
    await setSession({ session: { ...demoLogin(), startedAt: Date.now() }, lastActivity: Date.now() });
    await loadSession();
    render(<App />);
    await screen.findByText('Preventief SCP observatie');
    const section = (await screen.findByRole('heading', { name: 'Overlegronde (besloten, u bent uitgenodigd)' }, { timeout: 5000 })).closest('section')!;
    expect(within(section).getByRole('heading', { name: '01-03-2025 · Overleg over groep 6' })).toBeTruthy();
    expect(within(section).getByText('Afspraken over de overstap.')).toBeTruthy();
  });
});
