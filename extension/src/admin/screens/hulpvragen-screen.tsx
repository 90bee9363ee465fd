// Hulpvragen (top menu): every hulpvraag the staff member may see, newest first, by status;
// a click opens it in its dossier. The status filter lists the organisation's own statuses.
import { useCallback, useState } from 'preact/hooks';
import { errorMessage } from '../../lib/errors';
import { formatDate } from '../../lib/format';
import { useLoad } from '../../components/use-load';
import { adminApi } from '../api';
import { at } from '../i18n';
import { Pager } from '../parts/pager';
import { statusOption, StatusText, useStatuses } from '../parts/statuses';

export function HulpvragenScreen() {
  const [status, setStatus] = useState('');
  const [mine, setMine] = useState(false);
  const [pageNo, setPageNo] = useState(1);
  const statuses = useStatuses();
  const loaded = useLoad(useCallback(() => adminApi.allHulpvragen({ status, ...(mine ? { mine: 'true' as const } : {}) }, pageNo), [status, mine, pageNo]));
  const pages = loaded.data ? Math.max(1, Math.ceil(loaded.data.total / loaded.data.pageSize)) : 1;
  return (
    <main class="panel-main" id="main">
      <h1>{at('hulpvragen')}</h1>
      <div class="filters filters-inline">
        <label for="hv-status">{at('status')}</label>
        <select id="hv-status" value={status} onChange={(e) => { setStatus(e.currentTarget.value); setPageNo(1); }}>
          <option value="">{at('allStatuses')}</option>
          {statuses.data?.map((s) => <option key={s.id} value={s.name}>{statusOption(s)}</option>)}
        </select>
        <label class="check"><input type="checkbox" checked={mine} onChange={(e) => { setMine(e.currentTarget.checked); setPageNo(1); }} /> {at('mine')}</label>
      </div>
      {statuses.error ? <p class="alert alert-error" role="alert">{errorMessage(statuses.error)}</p> : null}
      {loaded.error ? <p class="alert alert-error" role="alert">{errorMessage(loaded.error)}</p> : null}
      {loaded.data && (loaded.data.items.length === 0 ? <p class="muted">{at('noHulpvragen')}</p> : (
        <table class="table">
          <thead><tr><th scope="col">{at('date')}</th><th scope="col">{at('hulpvraag')}</th><th scope="col">{at('child')}</th><th scope="col">{at('status')}</th><th scope="col">{at('coordinator')}</th></tr></thead>
          <tbody>
            {loaded.data.items.map((h) => (
              <tr key={h.id}>
                <td>{formatDate(h.date)}</td>
                <td><a href={`#/dossiers/${h.dossier.id}/hulpvraag/${h.id}`}>{h.title}</a></td>
                <td>{h.dossier.lastName ? `${h.dossier.lastName}, ${h.dossier.firstName}` : h.dossier.firstName}</td>
                <td><StatusText name={h.status} statuses={statuses.data} /></td>
                <td>{h.coordinator?.displayName ?? '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ))}
      <Pager page={pageNo} pages={pages} onPage={setPageNo} />
    </main>
  );
}
