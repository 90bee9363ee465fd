import { useCallback } from 'preact/hooks';
// Aanpak and TLV items that staff marked "zichtbaar voor ouders", read-only, below the
// hulpvragen, and the closed Overlegronden the parent is invited to. Nothing is shown when there is nothing shared.
import { api } from '../lib/api';
import { formatDate } from '../lib/format';
import { t } from '../lib/i18n';
import { useLoad } from '../components/use-load';
import { AttachmentItem } from './attachment-item';

export function SharedItems({ dossierId }: { dossierId: string }) {
  const loaded = useLoad(useCallback(() => Promise.all([
    api.sharedAanpak(dossierId), api.sharedTlv(dossierId),
    // An older server refuses parents this list: then there is simply nothing to show.
    api.invitedOverleg(dossierId).catch(() => ({ items: [] as Awaited<ReturnType<typeof api.invitedOverleg>>['items'] })),
  ]), [dossierId]));
  if (!loaded.data) return null;
  const [aanpak, tlv, overleg] = loaded.data;
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
      {overleg.items.length > 0 && (
        <section class="shared" aria-labelledby="shared-overleg">
          <h3 id="shared-overleg">{t('overleg')}</h3>
          {overleg.items.map((m) => (
            <article key={m.id} class="shared-item">
              <h4>{formatDate(m.date)}{m.title ? ` · ${m.title}` : ''}</h4>
              {m.body && <p class="pre">{m.body}</p>}
              {m.attachments.length > 0 && <ul class="attachments">{m.attachments.map((f) => <li key={f.id}><AttachmentItem attachment={f} /></li>)}</ul>}
            </article>
          ))}
        </section>
      )}
    </>
  );
}
