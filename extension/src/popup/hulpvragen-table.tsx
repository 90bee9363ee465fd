import { useCallback } from 'preact/hooks';
import { api } from '../lib/api';
import { errorMessage } from '../lib/errors';
import { formatDate, formatStatus } from '../lib/format';
import { t } from '../lib/i18n';
import { Alert } from '../components/alert';
import { Paging } from '../components/paging';
import { useLoad } from '../components/use-load';
import { hulpvragenPage } from '../stores/dossier';
import { go } from '../stores/route';

const HULPVRAGEN_PAGE_SIZE = 10;

/** The table Datum · Hulpvraag · Status; a title opens the details. */
export function HulpvragenTable({ dossierId }: { dossierId: string }) {
  const page = hulpvragenPage.value;
  const loaded = useLoad(useCallback(() => api.hulpvragen(dossierId, page, HULPVRAGEN_PAGE_SIZE), [dossierId, page]));
  const data = loaded.data;
  return (
    <section class="hulpvragen" aria-labelledby="hulpvragen-title">
      <h3 id="hulpvragen-title">{t('hulpvragen')}</h3>
      {loaded.error ? <Alert kind="error">{errorMessage(loaded.error)}</Alert> : null}
      {data && data.items.length === 0 && <p class="muted">{t('noHulpvragen')}</p>}
      {data && data.items.length > 0 && (
        <>
          <table class="table" data-testid="hulpvragen-table">
            <thead>
              <tr>
                <th scope="col">{t('date')}</th>
                <th scope="col">{t('hulpvraag')}</th>
                <th scope="col">{t('status')}</th>
              </tr>
            </thead>
            <tbody>
              {data.items.map((h) => (
                <tr key={h.id}>
                  <td class="nowrap">{formatDate(h.date)}</td>
                  <td>
                    <button type="button" class="link" onClick={() => go({ name: 'hulpvraag', id: h.id })}>
                      {h.title}
                    </button>
                  </td>
                  <td><span class="status">{formatStatus(h.status)}</span></td>
                </tr>
              ))}
            </tbody>
          </table>
          <Paging page={data.page} pageSize={data.pageSize} total={data.total}
            onPage={(next) => (hulpvragenPage.value = next)} />
        </>
      )}
      {loaded.loading && !data && <p class="muted">{t('loading')}</p>}
    </section>
  );
}
