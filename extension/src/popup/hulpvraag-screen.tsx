import { useCallback, useEffect, useRef } from 'preact/hooks';
import { api } from '../lib/api';
import { errorMessage } from '../lib/errors';
import { formatDate, formatStatus } from '../lib/format';
import { t } from '../lib/i18n';
import { Alert } from '../components/alert';
import { useLoad } from '../components/use-load';
import { go } from '../stores/route';
import { AttachmentItem } from './attachment-item';

/** One hulpvraag: its details and its attachments. */
export function HulpvraagScreen({ id }: { id: string }) {
  const loaded = useLoad(useCallback(() => api.hulpvraag(id), [id]));
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), [loaded.data]);
  const h = loaded.data;
  return (
    <main class="screen screen-hulpvraag">
      <p class="back">
        <button type="button" class="link" onClick={() => go({ name: 'home' })}>← {t('back')}</button>
      </p>
      <h2 ref={heading} tabIndex={-1}>{h ? h.title : t('details')}</h2>
      {loaded.error ? <Alert kind="error">{errorMessage(loaded.error)}</Alert> : null}
      {loaded.loading && !h && <p class="muted">{t('loading')}</p>}
      {h && (
        <>
          <dl class="details">
            <dt>{t('hulpvraagDate')}</dt>
            <dd>{formatDate(h.date)}</dd>
            <dt>{t('status')}</dt>
            <dd><span class="status">{formatStatus(h.status)}</span></dd>
            <dt>{t('title')}</dt>
            <dd>{h.title}</dd>
            <dt>{t('description')}</dt>
            <dd class="pre-line">{h.description || t('none')}</dd>
            <dt>{t('coordinator')}</dt>
            <dd>{h.coordinator?.displayName ?? t('none')}</dd>
            <dt>{t('labels')}</dt>
            <dd>
              {h.labels.length ? h.labels.map((label) => <span key={label} class="label">{label}</span>) : t('none')}
            </dd>
            <dt>{t('attachments')}</dt>
            <dd>{h.attachments.length}</dd>
          </dl>
          {h.attachments.length > 0 && (
            <ul class="attachments" aria-label={t('attachments')}>
              {h.attachments.map((a) => <AttachmentItem key={a.id} attachment={a} />)}
            </ul>
          )}
        </>
      )}
    </main>
  );
}
