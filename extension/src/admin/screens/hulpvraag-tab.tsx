// The Hulpvraag tab: the table as parents see it (Datum, Hulpvraag, Status) and the chosen
// hulpvraag with Status wijzigen · Status informatie · Hulpvraag bewerken · Nieuwe hulpvraag toevoegen.
import { useCallback, useState } from 'preact/hooks';
import { errorMessage } from '../../lib/errors';
import { formatDate, formatDateTime, formatStatus } from '../../lib/format';
import { useLoad, type Loaded } from '../../components/use-load';
import { adminApi, type Hulpvraag, type HulpvraagStatus } from '../api';
import { at } from '../i18n';
import { Attachments } from '../parts/attachments';
import { go } from '../router';
import { StatusText, useStatuses } from '../parts/statuses';
import { HulpvraagForm, StatusForm } from './hulpvraag-forms';
import { AnonymiseDialog } from '../parts/anonymise-dialog';

type Mode = 'view' | 'status' | 'history' | 'edit' | 'new';

/** `role`: admins may anonymise a hulpvraag (typing `childName`); no `childName`: the dossier is anonymised, nothing to add. */
export function HulpvraagTab({ dossierId, hulpvraagId, role, childName }: { dossierId: string; hulpvraagId?: string | undefined; role?: string; childName?: string | undefined }) {
  const list = useLoad(useCallback(() => adminApi.hulpvragen(dossierId), [dossierId]));
  const statuses = useStatuses();
  const [mode, setMode] = useState<Mode>('view');
  const openId = hulpvraagId ?? list.data?.items[0]?.id;
  const open = (id: string) => { setMode('view'); go({ name: 'dossiers', id: dossierId, tab: 'hulpvraag', hulpvraagId: id }); };

  return (
    <div class="hulpvraag-tab">
      {childName !== undefined && (
        <div class="toolbar">
          <button type="button" class="button" aria-pressed={mode === 'new'} onClick={() => setMode('new')}>+ {at('newHulpvraag')}</button>
        </div>
      )}
      {list.error ? <p class="alert alert-error" role="alert">{errorMessage(list.error)}</p> : null}
      {list.data && (list.data.items.length === 0 ? <p class="muted">{at('noHulpvragen')}</p> : (
        <table class="table" data-testid="hulpvragen-table">
          <thead><tr><th scope="col">{at('date')}</th><th scope="col">{at('hulpvraag')}</th><th scope="col">{at('status')}</th></tr></thead>
          <tbody>
            {list.data.items.map((h) => (
              <tr key={h.id} aria-selected={h.id === openId} class={h.id === openId ? 'selected' : undefined}>
                <td>{formatDate(h.date)}</td>
                <td>
                  <button type="button" class="link" onClick={() => open(h.id)}>{h.title}</button>
                  {!h.visibleToParents && <span class="tag tag-muted">{at('hiddenFromParents')}</span>}
                  {h.attachmentCount > 0 && <span class="tag tag-muted">{at('fileCount', { n: h.attachmentCount })}</span>}
                </td>
                <td><StatusText name={h.status} statuses={statuses.data} /></td>
              </tr>
            ))}
          </tbody>
        </table>
      ))}
      {mode === 'new' && (
        <HulpvraagForm dossierId={dossierId} onCancel={() => setMode('view')} onSaved={(h) => { list.reload(); open(h.id); }} />
      )}
      {openId && mode !== 'new' && <HulpvraagDetail key={openId} id={openId} statuses={statuses} mode={mode} setMode={setMode} onChanged={list.reload} anonymiseAs={role === 'admin' ? childName : undefined} />}
    </div>
  );
}

function HulpvraagDetail({ id, statuses, mode, setMode, onChanged, anonymiseAs }: { id: string; statuses: Loaded<HulpvraagStatus[]>; mode: Mode; setMode: (m: Mode) => void; onChanged: () => void; anonymiseAs?: string | undefined }) {
  const loaded = useLoad(useCallback(() => adminApi.hulpvraag(id), [id]));
  const [anonymising, setAnonymising] = useState(false);
  const h = loaded.data;
  if (loaded.error) return <p class="alert alert-error" role="alert">{errorMessage(loaded.error)}</p>;
  if (!h) return <p class="muted">{at('loading')}</p>;
  const changed = (next?: Hulpvraag) => { loaded.reload(); onChanged(); setMode(next ? 'view' : mode); };
  const action = (m: Mode, label: string) => (
    <button type="button" class="button" aria-pressed={mode === m} onClick={() => setMode(mode === m ? 'view' : m)}>{label}</button>
  );
  return (
    <section class="block hulpvraag-detail" aria-labelledby="hv-title">
      <h2 id="hv-title">{h.title}</h2>
      {h.anonymised && <p class="alert" role="status">{at('anonymisedHulpvraag')}</p>}
      <div class="toolbar" role="group" aria-label={at('actions')}>
        {!h.anonymised && action('status', at('changeStatus'))}
        {action('history', at('statusInfo'))}
        {!h.anonymised && action('edit', at('editHulpvraag'))}
        {!h.anonymised && anonymiseAs && <button type="button" class="button button-danger" onClick={() => setAnonymising(true)}>{at('anonymiseHulpvraag')}</button>}
      </div>
      {anonymising && anonymiseAs && (
        <AnonymiseDialog
          what="hulpvraag" childName={anonymiseAs} onClose={() => setAnonymising(false)}
          onConfirm={async (confirm) => { await adminApi.anonymiseHulpvraag(h.id, confirm); setAnonymising(false); loaded.reload(); onChanged(); }}
        />
      )}
      {mode === 'status' && <StatusForm hulpvraag={h} statuses={statuses} onCancel={() => setMode('view')} onSaved={changed} />}
      {mode === 'history' && <StatusHistory id={h.id} />}
      {mode === 'edit' && <HulpvraagForm dossierId={h.dossierId} hulpvraag={h} onCancel={() => setMode('view')} onSaved={changed} />}
      <dl class="details">
        <dt>{at('hulpvraagDate')}</dt><dd>{formatDate(h.date)}</dd>
        <dt>{at('status')}</dt><dd><StatusText name={h.status} statuses={statuses.data} /></dd>
        <dt>{at('description')}</dt><dd class="pre">{h.description || '—'}</dd>
        <dt>{at('coordinator')}</dt><dd>{h.coordinator?.displayName ?? at('none')}</dd>
        <dt>{at('labels')}</dt><dd>{h.labels.length ? h.labels.map((l) => <span key={l} class="tag">{l}</span>) : at('none')}</dd>
        <dt>{at('visibleToParents')}</dt><dd>{h.visibleToParents ? '✓' : '—'}</dd>
      </dl>
      <Attachments files={h.attachments} target={{ kind: 'hulpvragen', id: h.id }} onChange={() => { loaded.reload(); onChanged(); }} />
    </section>
  );
}

function StatusHistory({ id }: { id: string }) {
  const loaded = useLoad(useCallback(() => adminApi.statusHistory(id), [id]));
  if (loaded.error) return <p class="alert alert-error" role="alert">{errorMessage(loaded.error)}</p>;
  if (!loaded.data) return <p class="muted">{at('loading')}</p>;
  if (loaded.data.length === 0) return <p class="muted">{at('noHistory')}</p>;
  return (
    <table class="table" data-testid="status-history" aria-label={at('statusInfo')}>
      <thead><tr><th scope="col">{at('when')}</th><th scope="col">{at('who')}</th><th scope="col">{at('fromTo')}</th><th scope="col">{at('note')}</th></tr></thead>
      <tbody>
        {[...loaded.data].reverse().map((c, i) => (
          <tr key={`${c.at}-${i}`}>
            <td>{formatDateTime(c.at)}</td>
            <td>{c.automatic ? <em>{at('automatic', { rule: c.rule?.name ?? '' })}</em> : (c.by?.displayName ?? '—')}</td>
            <td>{c.from ? `${formatStatus(c.from)} → ${formatStatus(c.to)}` : `→ ${formatStatus(c.to)}`}</td>
            <td class="pre">{c.note ?? ''}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
