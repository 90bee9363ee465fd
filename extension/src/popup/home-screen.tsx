import { useCallback, useEffect } from 'preact/hooks';
import { api } from '../lib/api';
import { errorMessage } from '../lib/errors';
import { formatDate } from '../lib/format';
import { t } from '../lib/i18n';
import type { Session } from '../lib/storage';
import { Alert } from '../components/alert';
import { useLoad } from '../components/use-load';
import { chosenDossierId, dossiers } from '../stores/dossier';
import { go } from '../stores/route';
import { NewsList } from './news-list';
import { HulpvragenTable } from './hulpvragen-table';
import { SharedItems } from './shared-items';

export function HomeScreen({ session }: { session: Session }) {
  const { user } = session;
  const org = `${user.organisation.code} ${user.organisation.name}`;
  const loaded = useLoad(useCallback(() => (dossiers.value ? Promise.resolve(dossiers.value) : api.dossiers().then((p) => p.items)), []));

  useEffect(() => {
    if (!loaded.data) return;
    dossiers.value = loaded.data;
    if (!loaded.data.some((d) => d.id === chosenDossierId.value)) chosenDossierId.value = loaded.data[0]?.id ?? '';
  }, [loaded.data]);

  const list = loaded.data ?? [];
  const chosen = list.find((d) => d.id === chosenDossierId.value);

  return (
    <main class="screen screen-home">
      <Alert kind="success">{t('welcome', { name: user.displayName, org })}</Alert>
      <NewsList />
      {loaded.error ? <Alert kind="error">{errorMessage(loaded.error)}</Alert> : null}
      {loaded.data && list.length === 0 && <Alert kind="info">{t('noDossiers')}</Alert>}
      {list.length > 1 && (
        <div class="child-choice">
          <label for="child">{t('chooseChild')}</label>
          <select id="child" value={chosenDossierId.value} onChange={(e) => (chosenDossierId.value = e.currentTarget.value)}>
            {list.map((d) => (
              <option key={d.id} value={d.id}>{`${d.firstName} ${d.lastName} (${formatDate(d.birthDate)})`}</option>
            ))}
          </select>
        </div>
      )}
      {chosen && (
        <section class="dossier" aria-labelledby="dossier-title">
          <h2 id="dossier-title" class="dossier-title">
            {t('dossierOf', { name: `${chosen.firstName} ${chosen.lastName}` })}
          </h2>
          <p class="muted">
            {t('born', { date: formatDate(chosen.birthDate) })} · {chosen.school.name}
          </p>
          <HulpvragenTable dossierId={chosen.id} />
          <SharedItems dossierId={chosen.id} />
          <p class="below-table">
            <button type="button" class="link" onClick={() => go({ name: 'access-log', dossierId: chosen.id })}>
              {t('whoLooked')}
            </button>
          </p>
        </section>
      )}
      {loaded.loading && !loaded.data && <p class="muted">{t('loading')}</p>}
    </main>
  );
}
