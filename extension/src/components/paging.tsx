import { t } from '../lib/i18n';
import { pageRange } from '../lib/format';

interface Props {
  page: number;
  pageSize: number;
  total: number;
  onPage: (page: number) => void;
}

/** Paging shown as `1/1 (1 van 1)` with Vorige/Volgende buttons. */
export function Paging({ page, pageSize, total, onPage }: Props) {
  const { pages, range } = pageRange(page, pageSize, total);
  return (
    <nav class="paging" aria-label={t('pageNav')}>
      <button type="button" class="button button-small" disabled={page <= 1} onClick={() => onPage(page - 1)}>
        {t('previous')}
      </button>
      <span class="paging-text" aria-live="polite">{t('pageOf', { page, pages, range, total })}</span>
      <button type="button" class="button button-small" disabled={page >= pages} onClick={() => onPage(page + 1)}>
        {t('next')}
      </button>
    </nav>
  );
}
