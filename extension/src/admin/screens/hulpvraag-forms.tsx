// The forms behind Nieuwe hulpvraag toevoegen / Hulpvraag bewerken, and Status wijzigen.
import { useEffect, useState } from 'preact/hooks';
import { errorMessage } from '../../lib/errors';
import { formatStatus } from '../../lib/format';
import { adminApi, type Hulpvraag } from '../api';
import { at } from '../i18n';

export const statuses = ['aanmelding', 'in behandeling', 'advies', 'afgerond'];

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

export function StatusForm({ hulpvraag, onSaved, onCancel }: { hulpvraag: Hulpvraag; onSaved: (h: Hulpvraag) => void; onCancel: () => void }) {
  const [status, setStatus] = useState(statuses.find((s) => s !== hulpvraag.status) ?? statuses[0]!);
  const [note, setNote] = useState('');
  const [error, setError] = useState('');
  async function submit(e: Event) {
    e.preventDefault();
    try {
      onSaved(await adminApi.updateHulpvraag(hulpvraag.id, { status, ...(note.trim() ? { statusNote: note } : {}) }));
    } catch (err) {
      setError(errorMessage(err));
    }
  }
  const options = statuses.includes(hulpvraag.status) ? statuses : [hulpvraag.status, ...statuses];
  return (
    <form class="form panel-form" onSubmit={submit} aria-labelledby="st-title">
      <h3 id="st-title">{at('changeStatus')}</h3>
      <p class="muted">{at('status')}: {formatStatus(hulpvraag.status)}</p>
      <label for="st-status">{at('newStatus')}</label>
      <select id="st-status" value={status} onChange={(e) => setStatus(e.currentTarget.value)}>
        {options.map((s) => <option key={s} value={s} disabled={s === hulpvraag.status}>{formatStatus(s)}</option>)}
      </select>
      <label for="st-note">{at('note')}</label>
      <textarea id="st-note" rows={3} maxLength={2000} value={note} onInput={(e) => setNote(e.currentTarget.value)} />
      {error && <p class="alert alert-error" role="alert">{error}</p>}
      <div class="row">
        <button type="submit" class="button button-primary">{at('changeStatus')}</button>
        <button type="button" class="button" onClick={onCancel}>{at('cancel')}</button>
      </div>
    </form>
  );
}
