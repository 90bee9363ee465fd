// Beheer → Nieuws (admins): write, edit, publish and withdraw the organisation's news.
import { useCallback, useState } from 'preact/hooks';
import { errorMessage } from '../../lib/errors';
import { formatDateTime } from '../../lib/format';
import { useLoad } from '../../components/use-load';
import { adminApi, type ManagedNews } from '../api';
import { at } from '../i18n';
import { confirm } from '../parts/confirm';

export function NewsScreen() {
  const loaded = useLoad(useCallback(() => adminApi.news(), []));
  const [editing, setEditing] = useState<ManagedNews | 'new' | null>(null);
  const [error, setError] = useState('');
  const run = async (f: () => Promise<unknown>) => {
    try { await f(); setError(''); loaded.reload(); } catch (err) { setError(errorMessage(err)); }
  };
  const publish = async (n: ManagedNews) => (await confirm(at('confirm_publish', { title: n.title }), at('publish'))) && run(() => adminApi.publishNews(n.id));
  const withdraw = async (n: ManagedNews) => (await confirm(at('confirm_withdraw', { title: n.title }), at('withdraw'))) && run(() => adminApi.withdrawNews(n.id));
  return (
    <section aria-labelledby="news-title">
      <div class="section-head">
        <h2 id="news-title">{at('news')}</h2>
        <button type="button" class="button" onClick={() => setEditing('new')}>+ {at('newNews')}</button>
      </div>
      {editing && <NewsForm item={editing === 'new' ? undefined : editing} onDone={() => { setEditing(null); loaded.reload(); }} />}
      {(error || loaded.error) && <p class="alert alert-error" role="alert">{error || errorMessage(loaded.error)}</p>}
      {loaded.data?.length === 0 && <p class="muted">{at('noNewsItems')}</p>}
      {loaded.data?.map((n) => (
        <article key={n.id} class="entry" aria-labelledby={`news-${n.id}`}>
          <header class="entry-head">
            <h3 id={`news-${n.id}`}>{n.title} <span class={`tag tag-news-${n.status}`}>{at(`news_${n.status}`)}</span></h3>
            <span class="entry-actions">
              <button type="button" class="button button-small" onClick={() => setEditing(n)} aria-label={`${at('edit')}: ${n.title}`}>{at('edit')}</button>
              {n.status !== 'published' && <button type="button" class="button button-small" onClick={() => void publish(n)} aria-label={`${at('publish')}: ${n.title}`}>{at('publish')}</button>}
              {n.status === 'published' && <button type="button" class="button button-small button-quiet" onClick={() => void withdraw(n)} aria-label={`${at('withdraw')}: ${n.title}`}>{at('withdraw')}</button>}
            </span>
          </header>
          <p class="pre">{n.body}</p>
          {n.publishedAt && <p class="muted small">{at('news_published')}: {formatDateTime(n.publishedAt)}</p>}
        </article>
      ))}
    </section>
  );
}

function NewsForm({ item, onDone }: { item?: ManagedNews | undefined; onDone: () => void }) {
  const [title, setTitle] = useState(item?.title ?? '');
  const [body, setBody] = useState(item?.body ?? '');
  const [error, setError] = useState('');
  async function save(publish: boolean) {
    try {
      if (item) await adminApi.updateNews(item.id, { title, body });
      else await adminApi.createNews({ title, body, publish });
      onDone();
    } catch (err) {
      setError(errorMessage(err));
    }
  }
  return (
    <form class="form panel-form" onSubmit={(e) => { e.preventDefault(); void save(false); }} aria-label={item ? at('edit') : at('newNews')}>
      <label for="n-title">{at('title')}</label>
      <input id="n-title" required maxLength={200} value={title} onInput={(e) => setTitle(e.currentTarget.value)} />
      <label for="n-body">{at('body')}</label>
      <textarea id="n-body" rows={5} required maxLength={10000} value={body} onInput={(e) => setBody(e.currentTarget.value)} />
      {error && <p class="alert alert-error" role="alert">{error}</p>}
      <div class="row">
        <button type="submit" class="button button-primary">{item ? at('save') : at('saveDraft')}</button>
        {!item && <button type="button" class="button" onClick={() => void save(true)}>{at('publish')}</button>}
        <button type="button" class="button" onClick={onDone}>{at('cancel')}</button>
      </div>
    </form>
  );
}
