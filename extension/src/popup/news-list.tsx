import { useCallback } from 'preact/hooks';
import { api } from '../lib/api';
import { formatDate } from '../lib/format';
import { t } from '../lib/i18n';
import { useLoad } from '../components/use-load';

/** News from the partnership, newest first; quietly absent when it cannot be loaded. */
export function NewsList() {
  const news = useLoad(useCallback(() => api.news(), []));
  if (!news.data) return null;
  return (
    <section class="news" aria-labelledby="news-title">
      <h2 id="news-title">{t('news')}</h2>
      {news.data.length === 0 ? (
        <p class="muted">{t('noNews')}</p>
      ) : (
        news.data.slice(0, 3).map((item) => (
          <details key={item.id} class="news-item">
            <summary>
              <span class="news-date">{formatDate(item.publishedAt)}</span> {item.title}
            </summary>
            <p class="news-body">{item.body}</p>
          </details>
        ))
      )}
    </section>
  );
}
