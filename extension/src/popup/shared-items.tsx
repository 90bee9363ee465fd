import { useCallback } from 'preact/hooks';
// Aanpak and TLV items that staff marked "zichtbaar voor ouders", read-only, below the
// hulpvragen. Nothing is shown when there is nothing shared.
import { api } from '../lib/api';
import { formatDate } from '../lib/format';
import { t } from '../lib/i18n';
import { useLoad } from '../components/use-load';
import { AttachmentItem } from './attachment-item';

export function SharedItems({ dossierId }: { dossierId: string }) {
  const loaded = useLoad(useCallback(() => Promise.all([api.sharedAanpak(dossierId), api.sharedTlv(dossierId)]), [dossierId]));
  if (!loaded.data) return null;
  const [aanpak, tlv] = loaded.data;
  return (
    <>
      {aanpak.items.length > 0 && (
        <section class="shared" aria-labelledby="shared-aanpak">
          <h3 id="shared-aanpak">{t('aanpak')}</h3>
          {aanpak.items.map((a) => (
            <article key={a.id} class="shared-item">
              <h4>{formatDate(a.date)} · {a.title}</h4>
              {a.body && <p class="pre">{a.body}</p>}
              {a.attachments.length > 0 && <ul class="attachments">{a.attachments.map((f) => <li key={f.id}><AttachmentItem attachment={f} /></li>)}</ul>}
            </article>
          ))}
        </section>
      )}
      {tlv.items.length > 0 && (
        <section class="shared" aria-labelledby="shared-tlv">
          <h3 id="shared-tlv">{t('tlv')}</h3>
          {tlv.items.map((x) => (
            <article key={x.id} class="shared-item">
              <h4>{t(`tlv_${x.type}`)}{x.expired ? ` (${t('tlvExpired')})` : ''}</h4>
              <p>{x.startDate ? formatDate(x.startDate) : '…'} – {x.endDate ? formatDate(x.endDate) : '…'}{x.title ? ` · ${x.title}` : ''}</p>
              {x.attachments.length > 0 && <ul class="attachments">{x.attachments.map((f) => <li key={f.id}><AttachmentItem attachment={f} /></li>)}</ul>}
            </article>
          ))}
        </section>
      )}
    </>
  );
}
