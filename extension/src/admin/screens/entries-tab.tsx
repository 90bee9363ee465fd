// Aanpak, TLV and Overlegronde: dated items, newest first, each with its own Bijlagen, a switch
// "Zichtbaar voor ouders" (off by default) and edit/delete. An expired TLV is marked. A TLV can be
// archived (coordinators, admins; admins see archived ones with "Gearchiveerd tonen" and restore
// them); an Overlegronde can be closed to the staff and guardians invited to it.
import { useCallback, useState } from 'preact/hooks';
import { errorMessage } from '../../lib/errors';
import { formatDate } from '../../lib/format';
import { useLoad } from '../../components/use-load';
import { adminApi, type AanpakItem, type EntryKind, type OverlegItem, type TlvItem } from '../api';
import { at, type AdminKey } from '../i18n';
import { Attachments } from '../parts/attachments';
import { confirm } from '../parts/confirm';

type Item = AanpakItem & Partial<Omit<TlvItem, keyof AanpakItem>> & Partial<Omit<OverlegItem, keyof AanpakItem>>;
const tlvTypes = ['sbo', 'so-laag', 'so-midden', 'so-hoog'] as const;
const tlvStatuses = ['aangevraagd', 'toegekend', 'afgewezen', 'ingetrokken'] as const;

export function EntriesTab({ kind, dossierId, role, readOnly = false }: { kind: EntryKind; dossierId: string; role?: string; readOnly?: boolean }) {
  const [showArchived, setShowArchived] = useState(false);
  const loaded = useLoad(useCallback(() => adminApi.entries(kind, dossierId, showArchived) as Promise<Item[]>, [kind, dossierId, showArchived]));
  const mayArchive = kind === 'tlv' && !readOnly && (role === 'coordinator' || role === 'admin');
  const [editing, setEditing] = useState<Item | 'new' | null>(null);
  const [error, setError] = useState('');

  async function remove(item: Item) {
    const title = item.title || at(`tab_${kind}`);
    if (!(await confirm(at('deleteItemConfirm', { title }), at('delete')))) return;
    try { await adminApi.deleteEntry(kind, item.id); loaded.reload(); } catch (err) { setError(errorMessage(err)); }
  }

  async function archive(item: Item, back: boolean) {
    if (!back && !(await confirm(at('archiveConfirm', { title: entryTitle(kind, item) }), at('archive')))) return;
    try {
      if (back) await adminApi.unarchiveTlv(item.id);
      else await adminApi.archiveTlv(item.id);
      loaded.reload();
    } catch (err) { setError(errorMessage(err)); }
  }

  return (
    <div>
      <div class="toolbar">
        {!readOnly && <button type="button" class="button" onClick={() => setEditing('new')}>+ {at('newItem')}</button>}
        {kind === 'tlv' && role === 'admin' && (
          <label class="check"><input type="checkbox" checked={showArchived} onChange={(e) => setShowArchived(e.currentTarget.checked)} /> {at('showArchived')}</label>
        )}
      </div>
      {editing && <EntryForm kind={kind} dossierId={dossierId} item={editing === 'new' ? undefined : editing} onDone={() => { setEditing(null); loaded.reload(); }} />}
      {(error || loaded.error) && <p class="alert alert-error" role="alert">{error || errorMessage(loaded.error)}</p>}
      {loaded.data && loaded.data.length === 0 && <p class="muted">{at('noItems')}</p>}
      {loaded.data?.map((item) => (
        <article key={item.id} class="entry" aria-labelledby={`entry-${item.id}`}>
          <header class="entry-head">
            <h3 id={`entry-${item.id}`}>
              <span class="entry-date">{formatDate(item.date)}</span> {entryTitle(kind, item)}
              {item.expired && <span class="tag tag-warn">{at('expired')}</span>}
              {item.archivedAt && <span class="tag tag-warn">{at('archived')}</span>}
              {item.closed && <span class="tag tag-warn">{at('closedMeeting')}</span>}
              {kind !== 'overlegronden' && (item.visibleToParents ? <span class="tag">{at('visibleToParents')}</span> : <span class="tag tag-muted">{at('hiddenFromParents')}</span>)}
            </h3>
            {!readOnly && (
              <span class="entry-actions">
                {!item.archivedAt && <button type="button" class="button button-small" onClick={() => setEditing(item)} aria-label={`${at('edit')}: ${entryTitle(kind, item)}`}>{at('edit')}</button>}
                {mayArchive && !item.archivedAt && <button type="button" class="button button-small" onClick={() => void archive(item, false)} aria-label={`${at('archive')}: ${entryTitle(kind, item)}`}>{at('archive')}</button>}
                {mayArchive && item.archivedAt && role === 'admin' && <button type="button" class="button button-small" onClick={() => void archive(item, true)} aria-label={`${at('unarchive')}: ${entryTitle(kind, item)}`}>{at('unarchive')}</button>}
                <button type="button" class="button button-small button-quiet" onClick={() => void remove(item)} aria-label={`${at('delete')}: ${entryTitle(kind, item)}`}>{at('delete')}</button>
              </span>
            )}
          </header>
          {kind === 'tlv' && (
            <dl class="details details-inline">
              <dt>{at('tlvStatus')}</dt><dd>{at(`tlv_${item.status}` as AdminKey)}</dd>
              <dt>{at('startDate')}</dt><dd>{item.startDate ? formatDate(item.startDate) : '—'}</dd>
              <dt>{at('endDate')}</dt><dd>{item.endDate ? formatDate(item.endDate) : '—'}</dd>
              <dt>{at('decisionDate')}</dt><dd>{item.decisionDate ? formatDate(item.decisionDate) : '—'}</dd>
            </dl>
          )}
          {kind === 'overlegronden' && item.participants && item.participants.length > 0 && <p><strong>{at('participants')}:</strong> {item.participants.join(', ')}</p>}
          {item.closed && item.invited && <p><strong>{at('invitedLabel')}:</strong> {item.invited.map((p) => `${p.displayName} (${at(`role_${p.role}`)})`).join(', ')}</p>}
          {item.body && <p class="pre">{item.body}</p>}
          <p class="muted small">{at('author')}: {item.author?.displayName ?? '—'}</p>
          <Attachments files={item.attachments} target={{ kind, id: item.id }} onChange={loaded.reload} />
        </article>
      ))}
    </div>
  );
}

function entryTitle(kind: EntryKind, item: Item): string {
  if (kind === 'tlv') return `${at(`tlv_${item.type}` as AdminKey)}${item.title ? ` · ${item.title}` : ''}`;
  return item.title || at(`tab_${kind}`);
}

function EntryForm({ kind, dossierId, item, onDone }: { kind: EntryKind; dossierId: string; item?: Item | undefined; onDone: () => void }) {
  const [v, setV] = useState({
    date: item?.date ?? new Date().toLocaleDateString('sv-SE'), title: item?.title ?? '', body: item?.body ?? '', visibleToParents: item?.visibleToParents ?? false,
    type: item?.type ?? 'sbo', status: item?.status ?? 'aangevraagd', startDate: item?.startDate ?? '', endDate: item?.endDate ?? '', decisionDate: item?.decisionDate ?? '',
    participants: item?.participants?.join(', ') ?? '',
    closed: item?.closed ?? false,
  });
  const [invited, setInvited] = useState<string[]>(item?.invited?.map((p) => p.id) ?? []);
  const candidates = useLoad(useCallback(() => (kind === 'overlegronden' ? adminApi.overlegCandidates(dossierId) : Promise.resolve([])), [kind, dossierId]));
  const [error, setError] = useState('');
  const set = (k: keyof typeof v) => (e: Event) => setV({ ...v, [k]: (e.currentTarget as HTMLInputElement).value });
  async function submit(e: Event) {
    e.preventDefault();
    const common = { date: v.date, title: v.title, body: v.body, visibleToParents: v.visibleToParents };
    const body =
      kind === 'tlv' ? { ...common, type: v.type, status: v.status, startDate: v.startDate || null, endDate: v.endDate || null, decisionDate: v.decisionDate || null }
      : kind === 'overlegronden' ? { ...common, participants: v.participants.split(',').map((p) => p.trim()).filter(Boolean), closed: v.closed, ...(v.closed ? { invitedIds: invited } : {}) }
      : common;
    try {
      if (item) await adminApi.updateEntry(kind, item.id, body);
      else await adminApi.createEntry(kind, dossierId, body);
      onDone();
    } catch (err) {
      setError(errorMessage(err));
    }
  }
  const id = (s: string) => `e-${kind}-${s}`;
  return (
    <form class="form panel-form" onSubmit={submit} aria-label={`${at(`tab_${kind}`)}: ${item ? at('edit') : at('newItem')}`}>
      <label for={id('date')}>{at('date')}</label>
      <input id={id('date')} type="date" required value={v.date} onInput={set('date')} />
      {kind === 'tlv' && (
        <>
          <label for={id('type')}>{at('tlvType')}</label>
          <select id={id('type')} value={v.type} onChange={set('type')}>{tlvTypes.map((t) => <option key={t} value={t}>{at(`tlv_${t}`)}</option>)}</select>
          <label for={id('status')}>{at('tlvStatus')}</label>
          <select id={id('status')} value={v.status} onChange={set('status')}>{tlvStatuses.map((s) => <option key={s} value={s}>{at(`tlv_${s}`)}</option>)}</select>
          <label for={id('start')}>{at('startDate')}</label>
          <input id={id('start')} type="date" value={v.startDate} onInput={set('startDate')} />
          <label for={id('end')}>{at('endDate')}</label>
          <input id={id('end')} type="date" value={v.endDate} onInput={set('endDate')} />
          <label for={id('decision')}>{at('decisionDate')}</label>
          <input id={id('decision')} type="date" value={v.decisionDate} onInput={set('decisionDate')} />
        </>
      )}
      {kind === 'overlegronden' && (
        <>
          <label for={id('participants')}>{at('participants')}</label>
          <input id={id('participants')} value={v.participants} onInput={set('participants')} placeholder={at('participantsHint')} />
          <label class="check"><input type="checkbox" checked={v.closed} onChange={(e) => setV({ ...v, closed: e.currentTarget.checked })} aria-describedby={id('closed-hint')} /> {at('closedMeeting')}</label>
          <p id={id('closed-hint')} class="muted small">{at('closedMeetingHint')}</p>
          {v.closed && (
            <fieldset class="invitees" data-testid="invitees">
              <legend>{at('invitedLabel')}</legend>
              {candidates.data?.map((c) => (
                <label key={c.id} class="check">
                  <input type="checkbox" checked={invited.includes(c.id)} onChange={(e) => setInvited(e.currentTarget.checked ? [...invited, c.id] : invited.filter((x) => x !== c.id))} />
                  {' '}{c.displayName} ({at(`role_${c.role}`)})
                </label>
              ))}
            </fieldset>
          )}
        </>
      )}
      <label for={id('title')}>{at('title')}</label>
      <input id={id('title')} required={kind === 'aanpak'} maxLength={200} value={v.title} onInput={set('title')} />
      <label for={id('body')}>{kind === 'overlegronden' ? at('meetingNotes') : at('text')}</label>
      <textarea id={id('body')} rows={4} maxLength={20000} value={v.body} onInput={set('body')} />
      {kind !== 'overlegronden' && <label class="check"><input type="checkbox" checked={v.visibleToParents} onChange={(e) => setV({ ...v, visibleToParents: e.currentTarget.checked })} /> {at('visibleToParents')}</label>}
      {error && <p class="alert alert-error" role="alert">{error}</p>}
      <div class="row">
        <button type="submit" class="button button-primary">{at('save')}</button>
        <button type="button" class="button" onClick={onDone}>{at('cancel')}</button>
      </div>
    </form>
  );
}
