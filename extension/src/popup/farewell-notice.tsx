import { farewell } from '../stores/session';
import { t, type MessageKey } from '../lib/i18n';

/** "U bent afgemeld", why, and which downloaded files to delete from this computer. */
export function FarewellNotice() {
  const bye = farewell.value;
  if (!bye) return null;
  return (
    <section class="farewell" role="status" aria-labelledby="farewell-title">
      <h2 id="farewell-title">{t('signedOut')}</h2>
      <p>{t(`reason_${bye.reason}` as MessageKey)}</p>
      {bye.files.length > 0 && (
        <>
          <p>{t('deleteFiles')}</p>
          <ul class="file-list">
            {bye.files.map((file) => <li key={file}>{file}</li>)}
          </ul>
        </>
      )}
    </section>
  );
}
