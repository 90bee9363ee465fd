// Beheer → Statussen (admins): the organisation's hulpvraag statuses — name, order, and whether
// reaching one closes the hulpvraag. Hulpvragen and automation rules follow a rename.
import { useCallback, useState } from 'preact/hooks';
import { errorMessage } from '../../lib/errors';
import { formatStatus } from '../../lib/format';
import { useLoad } from '../../components/use-load';
import { adminApi, type HulpvraagStatus } from '../api';
import { at } from '../i18n';
import { confirm } from '../parts/confirm';

export function StatusesScreen() {
  const loaded = useLoad(useCallback(() => adminApi.statuses(), []));
  const [error, setError] = useState('');
  const [name, setName] = useState('');
  const run = async (f: () => Promise<unknown>) => {
    try { await f(); setError(''); loaded.reload(); return true; } catch (err) { setError(errorMessage(err)); return false; }
  };
  const list = loaded.data ?? [];
  const remove = async (s: HulpvraagStatus) => (await confirm(at('confirm_deleteStatus', { name: formatStatus(s.name) }), at('delete'))) && run(() => adminApi.deleteStatus(s.id));
  const rename = async (s: HulpvraagStatus, value: string) => value.trim() && value.trim() !== s.name && run(() => adminApi.updateStatus(s.id, { name: value.trim() }));
  return (
    <section aria-labelledby="statuses-title">
      <div class="section-head"><h2 id="statuses-title">{at('statuses')}</h2></div>
      <p class="muted">{at('statusesIntro')}</p>
      {(error || loaded.error) && <p class="alert alert-error" role="alert">{error || errorMessage(loaded.error)}</p>}
      <table class="table table-middle" aria-labelledby="statuses-title">
        <thead><tr><th scope="col">{at('order')}</th><th scope="col">{at('name')}</th><th scope="col">{at('closes')}</th><th scope="col">{at('inUse')}</th><th scope="col"><span class="sr-only">{at('actions')}</span></th></tr></thead>
        <tbody>
          {list.map((s, i) => (
            <tr key={s.id}>
              <td>{s.position}</td>
              <td><input aria-label={`${at('name')}: ${s.name}`} defaultValue={s.name} maxLength={50} onChange={(e) => void rename(s, e.currentTarget.value)} /></td>
              <td><input type="checkbox" aria-label={`${at('closes')}: ${s.name}`} checked={s.closes} onChange={(e) => void run(() => adminApi.updateStatus(s.id, { closes: e.currentTarget.checked }))} /></td>
              <td>{s.inUse}</td>
              <td class="entry-actions">
                <button type="button" class="button button-small" disabled={i === 0} aria-label={`${at('moveUp')}: ${s.name}`} onClick={() => void run(() => adminApi.updateStatus(s.id, { position: s.position - 1 }))}>↑</button>
                <button type="button" class="button button-small" disabled={i === list.length - 1} aria-label={`${at('moveDown')}: ${s.name}`} onClick={() => void run(() => adminApi.updateStatus(s.id, { position: s.position + 1 }))}>↓</button>
                <button type="button" class="button button-small button-quiet" disabled={s.inUse > 0} aria-label={`${at('delete')}: ${s.name}`} onClick={() => void remove(s)}>{at('delete')}</button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <form class="form panel-form" onSubmit={(e) => { e.preventDefault(); void run(() => adminApi.createStatus({ name: name.trim() })).then((ok) => ok && setName('')); }}>
        <label for="status-new">{at('newStatusName')}</label>
        <input id="status-new" required maxLength={50} value={name} onInput={(e) => setName(e.currentTarget.value)} />
        <div class="row"><button type="submit" class="button button-primary">{at('add')}</button></div>
      </form>
    </section>
  );
}
