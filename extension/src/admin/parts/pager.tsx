import { at } from '../i18n';

/** Previous · page x of y · next, under a list; nothing when everything fits on one page. */
export function Pager({ page, pages, onPage }: { page: number; pages: number; onPage: (page: number) => void }) {
  if (pages <= 1) return null;
  return (
    <nav class="pager" aria-label={at('page', { page, pages })}>
      <button type="button" class="button button-small" disabled={page <= 1} onClick={() => onPage(page - 1)}>{at('previous')}</button>
      <span>{at('page', { page, pages })}</span>
      <button type="button" class="button button-small" disabled={page >= pages} onClick={() => onPage(page + 1)}>{at('next')}</button>
    </nav>
  );
}
