// Mijn notities: private notes on this dossier, visible only to their author.
import { useCallback, useState } from 'preact/hooks';
import { errorMessage } from '../../lib/errors';
import { formatDateTime } from '../../lib/format';
import { useLoad } from '../../components/use-load';
import { adminApi, type Note } from '../api';
import { at } from '../i18n';
import { confirm } from '../parts/confirm';

export function NotesTab({ dossierId }: { dossierId: string }) {
  const loaded = useLoad(useCallback(() => adminApi.notes(dossierId), [dossierId]));
  const [text, setText] = useState('');
  const [editing, setEditing] = useState<{ id: string; body: string } | null>(null);
  const [error, setError] = useState('');
  const run = async (f: () => Promise<unknown>) => {
    try { await f(); setError(''); loaded.reload(); } catch (err) { setError(errorMessage(err)); }
  };
  const remove = async (n: Note) => {
    if (await confirm(at('deleteNoteConfirm'), at('delete'))) await run(() => adminApi.deleteNote(n.id));
  };
  return (
    <div>
      <p class="alert alert-info">🔒 {at('notesIntro')}</p>
      <form class="form panel-form" onSubmit={(e) => { e.preventDefault(); void run(async () => { await adminApi.createNote(dossierId, text); setText(''); }); }}>
        <label for="note-new">{at('newNote')}</label>
        <textarea id="note-new" rows={3} required maxLength={20000} value={text} onInput={(e) => setText(e.currentTarget.value)} />
        <div class="row"><button type="submit" class="button button-primary">{at('save')}</button></div>
      </form>
      {error && <p class="alert alert-error" role="alert">{error}</p>}
      {loaded.data && loaded.data.length === 0 && <p class="muted">{at('noNotes')}</p>}
      <ul class="plain-list notes">
        {loaded.data?.map((n) => (
          <li key={n.id} class="note">
            <p class="muted small">{formatDateTime(n.createdAt)}</p>
            {editing?.id === n.id ? (
              <form class="form" onSubmit={(e) => { e.preventDefault(); void run(async () => { await adminApi.updateNote(n.id, editing.body); setEditing(null); }); }}>
                <label for={`note-${n.id}`} class="sr-only">{at('edit')}</label>
                <textarea id={`note-${n.id}`} rows={3} value={editing.body} onInput={(e) => setEditing({ id: n.id, body: e.currentTarget.value })} />
                <div class="row"><button type="submit" class="button button-small">{at('save')}</button><button type="button" class="button button-small" onClick={() => setEditing(null)}>{at('cancel')}</button></div>
              </form>
            ) : (
              <>
                <p class="pre">{n.body}</p>
                <div class="row">
                  <button type="button" class="button button-small" onClick={() => setEditing({ id: n.id, body: n.body })}>{at('edit')}</button>
                  <button type="button" class="button button-small button-quiet" onClick={() => void remove(n)}>{at('delete')}</button>
                </div>
              </>
            )}
          </li>
        ))}
      </ul>
    </div>
  );
}
