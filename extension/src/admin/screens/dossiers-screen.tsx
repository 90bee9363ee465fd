// Dossiers: search on the left (name, birth date, school; the school filter is remembered per
// user), the chosen dossier with its tabs on the right, or the form for a new dossier.
import { useEffect, useState } from 'preact/hooks';
import type { User } from '../../lib/server-routes';
import { errorMessage } from '../../lib/errors';
import { formatDate } from '../../lib/format';
import { adminApi, type DossierFilters, type DossierPage } from '../api';
import { at } from '../i18n';
import { Pager } from '../parts/pager';
import { SchoolPicker } from '../parts/school-picker';
import { recall, remember } from '../remembered';
import { go, type Route } from '../router';
import { DossierDetail } from './dossier-detail';
import { DossierForm } from './dossier-form';

export function DossiersScreen({ route, user }: { route: Extract<Route, { name: 'dossiers' | 'dossier-new' }>; user: User }) {
  const [filters, setFilters] = useState<DossierFilters>({});
  const [ready, setReady] = useState(false);
  const [result, setResult] = useState<DossierPage | null>(null);
  const [error, setError] = useState('');
  const [pageNo, setPageNo] = useState(1);
  const [round, setRound] = useState(0);

  useEffect(() => {
    void recall(user.id).then((r) => {
      setFilters({ school: r.dossiers?.school ?? '' });
      setReady(true);
    });
  }, [user.id]);

  useEffect(() => {
    if (!ready) return;
    let current = true;
    adminApi.dossiers(filters, pageNo).then(
      (r) => current && (setResult(r), setError('')),
      (e: unknown) => current && setError(errorMessage(e)),
    );
    return () => void (current = false);
    // The search runs when it is asked for (Zoeken bumps `round`) or the page changes, not at every keystroke.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [ready, round, pageNo]);

  const search = (e: Event) => {
    e.preventDefault();
    setPageNo(1);
    setRound((n) => n + 1);
    void remember(user.id, { dossiers: { school: filters.school ?? '' } });
  };
  const chosen = route.name === 'dossiers' ? route.id : undefined;
  const pages = result ? Math.max(1, Math.ceil(result.total / result.pageSize)) : 1;
  const mayEdit = user.role === 'school' || user.role === 'admin';

  return (
    <div class="list-detail">
      <aside class="list-pane" aria-labelledby="search-title">
        <h1 id="search-title">{at('searchDossiers')}</h1>
        <form class="filters" role="search" onSubmit={search}>
          <label for="f-name">{at('name')}</label>
          <input id="f-name" value={filters.name ?? ''} placeholder={at('nameHint')} onInput={(e) => setFilters({ ...filters, name: e.currentTarget.value })} />
          <label for="f-birth">{at('birthDate')}</label>
          <input id="f-birth" type="date" value={filters.birthDate ?? ''} onInput={(e) => setFilters({ ...filters, birthDate: e.currentTarget.value })} />
          <SchoolPicker id="f-school" label={at('schoolBrin')} value={filters.school ?? ''} allowAny onChange={(school) => setFilters({ ...filters, school })} />
          <div class="row">
            <button type="submit" class="button button-primary">{at('search')}</button>
            <button type="button" class="button" onClick={() => { setFilters({ school: filters.school ?? '' }); setRound((n) => n + 1); }}>{at('clear')}</button>
          </div>
        </form>
        {mayEdit && <p><a class="button button-block" href="#/dossiers/nieuw">+ {at('newDossier')}</a></p>}
        {error && <p class="alert alert-error" role="alert">{error}</p>}
        {result && (
          <>
            <p class="muted" role="status">{at('results', { n: result.total })}</p>
            {result.items.length === 0 ? <p>{at('noResults')}</p> : (
              <ul class="result-list" data-testid="dossier-results">
                {result.items.map((d) => (
                  <li key={d.id}>
                    <a href={`#/dossiers/${d.id}/basisgegevens`} aria-current={d.id === chosen ? 'true' : undefined}>
                      <strong>{d.anonymised ? at('anonymised') : `${d.lastName}, ${d.firstName}`}</strong>
                      <span class="muted">{d.anonymised ? '—' : formatDate(d.birthDate)} · {d.school.name}</span>
                    </a>
                  </li>
                ))}
              </ul>
            )}
            <Pager page={pageNo} pages={pages} onPage={setPageNo} />
          </>
        )}
      </aside>
      <main class="detail-pane" id="main">
        {route.name === 'dossier-new' ? (
          <DossierForm mayEdit={mayEdit} onSaved={(d) => { setRound((n) => n + 1); go({ name: 'dossiers', id: d.id, tab: 'basisgegevens' }); }} />
        ) : chosen ? (
          <DossierDetail key={chosen} id={chosen} tab={route.tab ?? 'basisgegevens'} hulpvraagId={route.hulpvraagId} user={user} onChanged={() => setRound((n) => n + 1)} />
        ) : (
          <p class="placeholder">{at('chooseDossier')}</p>
        )}
      </main>
    </div>
  );
}
