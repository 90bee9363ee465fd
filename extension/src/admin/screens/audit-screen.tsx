// Beheer → Auditlog (admins): the organisation's audit log with filters (who, what, dossier,
// period, outcome), newest first, paged by the server's cursor ("Meer laden"), and the same
// selection as a CSV download. The outcome and action filters are remembered per user.
import { useEffect, useState } from 'preact/hooks';
import { errorMessage } from '../../lib/errors';
import { formatDateTime } from '../../lib/format';
import { auditApi, downloadCsv, type AuditFilters, type AuditItem } from '../audit-api';
import { at, type AdminKey } from '../i18n';
import { recall, remember } from '../remembered';
import { go } from '../router';

const outcomes = ['success', 'denied', 'failure'] as const;
type Form = { action?: string; outcome?: string; fromDate?: string; toDate?: string };

/** A local calendar day as the instant it starts (the server filters on instants: from inclusive, to exclusive). */
const dayStart = (day: string, plusDays = 0) => {
  const [y, m, d] = day.split('-').map(Number);
  return new Date(y!, m! - 1, d! + plusDays).toISOString();
};

export function AuditScreen({ userId, actorId, dossierId }: { userId: string; actorId?: string | undefined; dossierId?: string | undefined }) {
  const [form, setForm] = useState<Form>({});
  const [ready, setReady] = useState(false);
  const [round, setRound] = useState(0);
  const [items, setItems] = useState<AuditItem[] | null>(null);
  const [cursor, setCursor] = useState<string | null>(null);
  const [message, setMessage] = useState<{ kind: 'error' | 'success' | 'info'; text: string } | null>(null);

  const filters = (): AuditFilters => ({
    ...(form.action?.trim() ? { action: form.action.trim() } : {}),
    ...(form.outcome ? { outcome: form.outcome as AuditFilters['outcome'] } : {}),
    ...(form.fromDate ? { from: dayStart(form.fromDate) } : {}),
    ...(form.toDate ? { to: dayStart(form.toDate, 1) } : {}),
    ...(actorId ? { actorId } : {}),
    ...(dossierId ? { dossierId } : {}),
  });

  useEffect(() => void recall(userId).then((r) => { setForm({ ...r.audit }); setReady(true); }), [userId]);
  useEffect(() => {
    if (!ready) return;
    setMessage(null);
    auditApi.auditLog(filters()).then((p) => { setItems(p.items); setCursor(p.nextCursor); }, (e: unknown) => setMessage({ kind: 'error', text: errorMessage(e) }));
    // Runs when asked (Zoeken bumps `round`) or when the account/dossier of the address changes.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [ready, round, actorId, dossierId]);

  const apply = (e: Event) => {
    e.preventDefault();
    void remember(userId, { audit: { ...(form.action ? { action: form.action } : {}), ...(form.outcome ? { outcome: form.outcome } : {}) } });
    setRound((n) => n + 1);
  };
  const more = async () => {
    if (!cursor) return;
    try {
      const p = await auditApi.auditLog(filters(), cursor);
      setItems([...(items ?? []), ...p.items]);
      setCursor(p.nextCursor);
    } catch (err) {
      setMessage({ kind: 'error', text: errorMessage(err) });
    }
  };
  const exportCsv = async () => {
    setMessage({ kind: 'info', text: at('exporting') });
    try {
      const name = await downloadCsv('audit-log/export', filters());
      setMessage({ kind: 'success', text: at('exported', { file: name }) });
    } catch (err) {
      setMessage({ kind: 'error', text: errorMessage(err) });
    }
  };
  const set = (k: keyof Form) => (e: Event) => setForm({ ...form, [k]: (e.currentTarget as HTMLInputElement).value || undefined });

  return (
    <section aria-labelledby="audit-title">
      <div class="section-head">
        <h2 id="audit-title">{at('auditLog')}</h2>
        <button type="button" class="button" onClick={() => void exportCsv()}>{at('exportCsv')}</button>
      </div>
      <p class="muted">{at('auditIntro')} {at('csvNote')}</p>
      <form class="filters filters-inline" role="search" onSubmit={apply}>
        <div class="field">
          <label for="au-action">{at('auditWhat')}</label>
          <input id="au-action" value={form.action ?? ''} onInput={set('action')} title={at('auditWhatHint')} list="au-actions" />
          <datalist id="au-actions">
            {['dossier.read', 'dossier.*', 'attachment.download', 'attachment.*', 'hulpvraag.*', 'login', 'user.*', 'audit-log.*', 'rights.*'].map((a) => <option key={a} value={a} />)}
          </datalist>
        </div>
        <div class="field">
          <label for="au-outcome">{at('outcome')}</label>
          <select id="au-outcome" value={form.outcome ?? ''} onChange={set('outcome')}>
            <option value="">{at('anyOutcome')}</option>
            {outcomes.map((o) => <option key={o} value={o}>{at(`outcome_${o}`)}</option>)}
          </select>
        </div>
        <div class="field">
          <label for="au-from">{at('periodFrom')}</label>
          <input id="au-from" type="date" value={form.fromDate ?? ''} onInput={set('fromDate')} />
        </div>
        <div class="field">
          <label for="au-to">{at('periodTo')}</label>
          <input id="au-to" type="date" value={form.toDate ?? ''} onInput={set('toDate')} />
        </div>
        <button type="submit" class="button button-primary">{at('search')}</button>
      </form>
      {(actorId || dossierId) && (
        <p class="row">
          <span class="tag">{actorId ? at('filterAccount', { id: actorId.slice(0, 8) }) : at('filterDossier', { id: dossierId!.slice(0, 8) })}</span>{' '}
          <button type="button" class="button button-small" onClick={() => go({ name: 'audit' })}>{at('removeFilter')}</button>
        </p>
      )}
      {message && <p class={`alert alert-${message.kind === 'info' ? 'success' : message.kind}`} role={message.kind === 'error' ? 'alert' : 'status'}>{message.text}</p>}
      {items && (items.length === 0 ? <p class="muted">{at('noEntries')}</p> : (
        <table class="table" data-testid="audit-table">
          <caption class="sr-only">{at('auditLog')}</caption>
          <thead><tr><th scope="col">{at('when')}</th><th scope="col">{at('who')}</th><th scope="col">{at('auditWhat')}</th><th scope="col">{at('subject')}</th><th scope="col">{at('outcome')}</th><th scope="col">{at('ipAddress')}</th></tr></thead>
          <tbody>
            {items.map((e) => (
              <tr key={e.id}>
                <td>{formatDateTime(e.at)}</td>
                <td><Actor entry={e} /></td>
                <td><code>{e.action}</code></td>
                <td>{e.subject.label ?? e.subject.id ?? ''}{e.subject.type ? <span class="muted small"> ({e.subject.type})</span> : null}</td>
                <td><span class={`tag tag-${e.outcome}`}>{at(`outcome_${e.outcome}` as AdminKey)}</span></td>
                <td>{e.ipAddress ?? ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ))}
      {cursor && <div class="row"><button type="button" class="button" onClick={() => void more()}>{at('loadMore')}</button></div>}
    </section>
  );
}

function Actor({ entry }: { entry: AuditItem }) {
  const a = entry.actor;
  if (!a) return <span class="muted">—</span>;
  const name = a.token ? (a.token.name ?? a.displayName ?? '') : (a.displayName ?? '');
  const role = a.role ? ` (${at(`role_${a.role}` as AdminKey)})` : '';
  if (!a.id || a.token) return <span>{name}{role}</span>;
  return (
    <span>
      <a href={`#/beheer/auditlog/account/${a.id}`} title={at('filterOnActor', { name })}>{name}</a>{role}
    </span>
  );
}
