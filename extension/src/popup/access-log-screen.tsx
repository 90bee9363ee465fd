import { useCallback, useState } from 'preact/hooks';
import { api } from '../lib/api';
import { errorMessage } from '../lib/errors';
import { formatDateTime } from '../lib/format';
import { t, type MessageKey } from '../lib/i18n';
import { Alert } from '../components/alert';
import { Paging } from '../components/paging';
import { useLoad } from '../components/use-load';
import { go } from '../stores/route';

const PAGE_SIZE = 10;

/** `download` → Gedownload; an action the extension does not know is shown as it is. */
function actionLabel(action: string): string {
  const word = action.toLowerCase().split(/[._:]/).pop() ?? action;
  return ['view', 'read', 'download'].includes(word) ? t(`action_${word}` as MessageKey) : action;
}

/** Wie heeft meegekeken: the dossier's access log. */
export function AccessLogScreen({ dossierId }: { dossierId: string }) {
  const [page, setPage] = useState(1);
  const loaded = useLoad(useCallback(() => api.accessLog(dossierId, page, PAGE_SIZE), [dossierId, page]));
  const data = loaded.data;
  return (
    <main class="screen screen-access-log">
      <p class="back">
        <button type="button" class="link" onClick={() => go({ name: 'home' })}>← {t('back')}</button>
      </p>
      <h2>{t('whoLooked')}</h2>
      <p class="intro">{t('accessLogIntro')}</p>
      {loaded.error ? <Alert kind="error">{errorMessage(loaded.error)}</Alert> : null}
      {data && data.items.length === 0 && <p class="muted">{t('noAccessLog')}</p>}
      {data && data.items.length > 0 && (
        <>
          <table class="table">
            <thead>
              <tr>
                <th scope="col">{t('when')}</th>
                <th scope="col">{t('who')}</th>
                <th scope="col">{t('what')}</th>
              </tr>
            </thead>
            <tbody>
              {data.items.map((entry, index) => (
                <tr key={`${entry.at}-${index}`}>
                  <td class="nowrap">{formatDateTime(entry.at)}</td>
                  <td>
                    {entry.actor.displayName}
                    <span class="muted"> ({t(`role_${entry.actor.role}` as MessageKey)})</span>
                  </td>
                  <td>{entry.subject ? `${actionLabel(entry.action)}: ${entry.subject}` : actionLabel(entry.action)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <Paging page={data.page} pageSize={data.pageSize} total={data.total} onPage={setPage} />
        </>
      )}
      {loaded.loading && !data && <p class="muted">{t('loading')}</p>}
    </main>
  );
}
