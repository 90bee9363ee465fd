// The forms behind Nieuwe hulpvraag toevoegen / Hulpvraag bewerken, and Status wijzigen.
import { useEffect, useState } from 'preact/hooks';
import { errorMessage } from '../../lib/errors';
import { formatStatus } from '../../lib/format';
import type { Loaded } from '../../components/use-load';
import { adminApi, type Hulpvraag, type HulpvraagStatus } from '../api';
import { at } from '../i18n';
import { closes, proposedStatus, statusOption, StatusText } from '../parts/statuses';

function useCoordinators() {
  const [list, setList] = useState<{ id: string; displayName: string }[]>([]);
  useEffect(() => {
    Promise.all([adminApi.users({ role: 'coordinator', status: 'active' }), adminApi.users({ role: 'admin', status: 'active' })])
      .then(([a, b]) => setList([...a.items, ...b.items]), () => setList([]));
  }, []);
  return list;
}

export function HulpvraagForm({ dossierId, hulpvraag, onSaved, onCancel }: { dossierId: string; hulpvraag?: Hulpvraag; onSaved: (h: Hulpvraag) => void; onCancel: () => void }) {
  const coordinators = useCoordinators();
  const [v, setV] = useState({
    title: hulpvraag?.title ?? '', date: hulpvraag?.date ?? new Date().toLocaleDateString('sv-SE'), description: hulpvraag?.description ?? '',
    coordinatorId: hulpvraag?.coordinator?.id ?? '', labels: hulpvraag?.labels.join(', ') ?? '', visibleToParents: hulpvraag?.visibleToParents ?? true,
  });
  const [error, setError] = useState('');
  async function submit(e: Event) {
    e.preventDefault();
    const body = {
      title: v.title, date: v.date, description: v.description, visibleToParents: v.visibleToParents,
      labels: v.labels.split(',').map((l) => l.trim()).filter(Boolean),
      ...(coordinators.length || v.coordinatorId ? { coordinatorId: v.coordinatorId || null } : {}),
    };
    try {
      onSaved(hulpvraag ? await adminApi.updateHulpvraag(hulpvraag.id, body) : await adminApi.createHulpvraag(dossierId, body));
    } catch (err) {
      setError(errorMessage(err));
    }
  }
  const set = (k: keyof typeof v) => (e: Event) => setV({ ...v, [k]: (e.currentTarget as HTMLInputElement).value });
  return (
    <form class="form panel-form" onSubmit={submit} aria-labelledby="hv-form-title">
      <h3 id="hv-form-title">{hulpvraag ? at('editHulpvraag') : at('newHulpvraag')}</h3>
      <label for="hv-title-input">{at('title')}</label>
      <input id="hv-title-input" required maxLength={200} value={v.title} onInput={set('title')} />
      <label for="hv-date">{at('hulpvraagDate')}</label>
      <input id="hv-date" type="date" required value={v.date} onInput={set('date')} />
      <label for="hv-desc">{at('description')}</label>
      <textarea id="hv-desc" rows={4} maxLength={20000} value={v.description} onInput={set('description')} />
      {coordinators.length > 0 && (
        <>
          <label for="hv-coord">{at('coordinator')}</label>
          <select id="hv-coord" value={v.coordinatorId} onChange={set('coordinatorId')}>
            <option value="">{at('none')}</option>
            {coordinators.map((c) => <option key={c.id} value={c.id}>{c.displayName}</option>)}
          </select>
        </>
      )}
      <label for="hv-labels">{at('labels')}</label>
      <input id="hv-labels" value={v.labels} onInput={set('labels')} aria-describedby="hv-labels-hint" />
      <p class="hint" id="hv-labels-hint">{at('labelsHint')}</p>
      <label class="check"><input type="checkbox" checked={v.visibleToParents} onChange={(e) => setV({ ...v, visibleToParents: e.currentTarget.checked })} /> {at('visibleToParents')}</label>
      {error && <p class="alert alert-error" role="alert">{error}</p>}
      <div class="row">
        <button type="submit" class="button button-primary">{hulpvraag ? at('save') : at('newHulpvraag')}</button>
        <button type="button" class="button" onClick={onCancel}>{at('cancel')}</button>
      </div>
    </form>
  );
}

/**
 * Status wijzigen: the organisation's statuses in its order (the current one shown, not
 * choosable), a note, and a plain word when the choice closes or reopens the hulpvraag.
 */
export function StatusForm({ hulpvraag, statuses, onSaved, onCancel }: { hulpvraag: Hulpvraag; statuses: Loaded<HulpvraagStatus[]>; onSaved: (h: Hulpvraag) => void; onCancel: () => void }) {
  const [choice, setChoice] = useState<string | null>(null);
  const [note, setNote] = useState('');
  const [error, setError] = useState('');
  const list = statuses.data ?? [];
  const status = choice ?? proposedStatus(list, hulpvraag.status);
  async function submit(e: Event) {
    e.preventDefault();
    try {
      onSaved(await adminApi.updateHulpvraag(hulpvraag.id, { status, ...(note.trim() ? { statusNote: note } : {}) }));
    } catch (err) {
      setError(errorMessage(err));
    }
  }
  const known = list.some((s) => s.name === hulpvraag.status);
  const wasClosed = closes(list, hulpvraag.status);
  const willClose = closes(list, status);
  const hint = status === hulpvraag.status ? '' : willClose && !wasClosed ? at('statusClosesHint') : wasClosed && !willClose ? at('statusReopensHint') : '';
  const ready = statuses.data !== null && list.some((s) => s.name !== hulpvraag.status);
  return (
    <form class="form panel-form" onSubmit={submit} aria-labelledby="st-title">
      <h3 id="st-title">{at('changeStatus')}</h3>
      <p class="muted">{at('status')}: <StatusText name={hulpvraag.status} statuses={list} /></p>
      {statuses.error ? <p class="alert alert-error" role="alert">{errorMessage(statuses.error)}</p> : null}
      <label for="st-status">{at('newStatus')}</label>
      <select id="st-status" value={status} disabled={!ready} aria-describedby="st-hint" onChange={(e) => setChoice(e.currentTarget.value)}>
        {!known && <option value={hulpvraag.status} disabled>{formatStatus(hulpvraag.status)}</option>}
        {list.map((s) => <option key={s.id} value={s.name} disabled={s.name === hulpvraag.status}>{statusOption(s)}</option>)}
      </select>
      <p class="hint" id="st-hint" aria-live="polite">{hint}</p>
      <label for="st-note">{at('note')}</label>
      <textarea id="st-note" rows={3} maxLength={2000} value={note} onInput={(e) => setNote(e.currentTarget.value)} />
      {error && <p class="alert alert-error" role="alert">{error}</p>}
      <div class="row">
        <button type="submit" class="button button-primary" disabled={!ready}>{at('changeStatus')}</button>
        <button type="button" class="button" onClick={onCancel}>{at('cancel')}</button>
      </div>
    </form>
  );
}
