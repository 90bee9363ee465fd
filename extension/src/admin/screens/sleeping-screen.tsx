// Beheer → Slapende accounts: accounts without a login for the organisation's number of months
// (never logged in: counted from the invitation), with their last login; deactivated in one step
// (the chosen ones, or all of them) behind a confirmation that says how many and what happens.
// Admins also set the daily job: on or off, and the number of months.
import { useCallback, useState } from 'preact/hooks';
import { useLoad } from '../../components/use-load';
import { errorMessage } from '../../lib/errors';
import { formatDate } from '../../lib/format';
import { adminApi, type SleepingAccount, type SleepingFilters } from '../api';
import { at } from '../i18n';
import { confirm } from '../parts/confirm';
import { Pager } from '../parts/pager';
import { SchoolPicker } from '../parts/school-picker';

const roles = ['parent', 'school', 'coordinator', 'admin'] as const;
const PAGE_SIZE = 50;
const day = (instant: string) => formatDate(instant.slice(0, 10));

export function SleepingScreen({ role }: { role: string }) {
  const [filters, setFilters] = useState<SleepingFilters>({});
  const [applied, setApplied] = useState<SleepingFilters>({});
  const [page, setPage] = useState(1);
  const [chosen, setChosen] = useState<Set<string>>(new Set());
  const [message, setMessage] = useState<{ kind: 'error' | 'success'; text: string } | null>(null);
  const loaded = useLoad(useCallback(() => adminApi.sleeping(applied, page, PAGE_SIZE), [applied, page]));
  const list = loaded.data;
  const canDeactivate = role === 'admin' || role === 'school';

  const reload = () => { setChosen(new Set()); loaded.reload(); };
  const toggle = (id: string, on: boolean) => { const next = new Set(chosen); if (on) next.add(id); else next.delete(id); setChosen(next); };
  const items = list?.items ?? [];
  const allOnPage = items.length > 0 && items.every((u) => chosen.has(u.id));

  async function deactivate(body: { ids: string[] } | { all: true }, n: number) {
    if (!(await confirm(at('confirm_sleepingDeactivate', { n }), at('sleepingDeactivateAction', { n })))) return;
    try {
      const r = await adminApi.deactivateSleeping(body);
      setMessage({ kind: 'success', text: at('sleepingDone', { n: r.deactivated }) + (r.skipped ? ` ${at('sleepingSkipped', { n: r.skipped })}` : '') });
      reload();
    } catch (err) {
      setMessage({ kind: 'error', text: errorMessage(err) });
    }
  }

  return (
    <section aria-labelledby="sleeping-title">
      <div class="section-head"><h2 id="sleeping-title">{at('sleeping')}</h2></div>
      <p class="muted">{at('sleepingIntro', { months: list?.months ?? '…' })}</p>
      {role === 'admin' && <SleepingSettingsForm onSaved={reload} />}
      <form class="filters filters-inline" role="search" onSubmit={(e) => { e.preventDefault(); setPage(1); setApplied({ ...filters }); setChosen(new Set()); }}>
        <label for="s-role">{at('role')}</label>
        <select id="s-role" value={filters.role ?? ''} onChange={(e) => setFilters({ ...filters, role: (e.currentTarget.value || undefined) as SleepingFilters['role'] })}>
          <option value="">{at('anyRole')}</option>
          {roles.map((r) => <option key={r} value={r}>{at(`role_${r}`)}</option>)}
        </select>
        <SchoolPicker id="s-school" label={at('school')} value={filters.school ?? ''} allowAny onChange={(school) => setFilters({ ...filters, school: school || undefined })} />
        <button type="submit" class="button button-primary">{at('search')}</button>
      </form>
      {message && <p class={`alert alert-${message.kind}`} role={message.kind === 'error' ? 'alert' : 'status'}>{message.text}</p>}
      {loaded.error && <p class="alert alert-error" role="alert">{errorMessage(loaded.error)}</p>}
      {list && (list.total === 0 ? <p class="muted">{at('noSleeping')}</p> : (
        <>
          {canDeactivate && (
            <div class="row bulk-actions">
              <button type="button" class="button" disabled={chosen.size === 0} onClick={() => void deactivate({ ids: [...chosen] }, chosen.size)}>{at('sleepingDeactivateChosen', { n: chosen.size })}</button>
              <button type="button" class="button button-danger" onClick={() => void deactivate({ all: true }, list.total)}>{at('sleepingDeactivateAll', { n: list.total })}</button>
            </div>
          )}
          <table class="table" data-testid="sleeping-table">
            <caption class="sr-only">{at('sleeping')} ({list.total})</caption>
            <thead>
              <tr>
                {canDeactivate && <th scope="col"><input type="checkbox" aria-label={at('chooseAllOnPage')} checked={allOnPage} onChange={(e) => { const next = new Set(chosen); for (const u of items) if (e.currentTarget.checked) next.add(u.id); else next.delete(u.id); setChosen(next); }} /></th>}
                <th scope="col">{at('displayName')}</th><th scope="col">{at('username')}</th><th scope="col">{at('role')}</th><th scope="col">{at('status')}</th><th scope="col">{at('lastLogin')}</th><th scope="col">{at('sleepingWarned')}</th>
              </tr>
            </thead>
            <tbody>
              {items.map((u) => <Row key={u.id} u={u} choosable={canDeactivate} chosen={chosen.has(u.id)} onChoose={(on) => toggle(u.id, on)} />)}
            </tbody>
          </table>
          <Pager page={list.page} pages={Math.ceil(list.total / list.pageSize)} onPage={(p) => { setPage(p); setChosen(new Set()); }} />
        </>
      ))}
    </section>
  );
}

function Row({ u, choosable, chosen, onChoose }: { u: SleepingAccount; choosable: boolean; chosen: boolean; onChoose: (on: boolean) => void }) {
  return (
    <tr>
      {choosable && <td><input type="checkbox" aria-label={`${at('choose')}: ${u.displayName}`} checked={chosen} onChange={(e) => onChoose(e.currentTarget.checked)} /></td>}
      <td>{u.displayName}<br /><span class="muted small">{u.email}</span></td>
      <td>{u.username}</td>
      <td>{at(`role_${u.role}`)}</td>
      <td><span class={`tag tag-${u.status}`}>{at(`status_${u.status}`)}</span></td>
      <td>{u.lastLoginAt ? day(u.lastLoginAt) : at('sleepingNever', { date: day(u.createdAt) })}</td>
      <td>{u.deactivateAt ? at('sleepingWarnedOn', { date: day(u.deactivateAt) }) : '—'}</td>
    </tr>
  );
}

function SleepingSettingsForm({ onSaved }: { onSaved: () => void }) {
  const loaded = useLoad(useCallback(() => adminApi.sleepingSettings(), []));
  const [edit, setEdit] = useState<{ enabled: boolean; months: string } | null>(null);
  const [note, setNote] = useState<{ kind: 'error' | 'success'; text: string } | null>(null);
  const v = edit ?? (loaded.data ? { enabled: loaded.data.enabled, months: String(loaded.data.months) } : null);
  if (!v) return loaded.error ? <p class="alert alert-error" role="alert">{errorMessage(loaded.error)}</p> : null;
  async function save(e: Event) {
    e.preventDefault();
    try {
      const saved = await adminApi.saveSleepingSettings({ enabled: v!.enabled, months: Number(v!.months) });
      setEdit(null);
      loaded.reload();
      setNote({ kind: 'success', text: saved.enabled ? at('sleepingSavedOn', { months: saved.months }) : at('sleepingSavedOff', { months: saved.months }) });
      onSaved();
    } catch (err) {
      setNote({ kind: 'error', text: errorMessage(err) });
    }
  }
  return (
    <form class="form panel-form" onSubmit={save} aria-labelledby="sleeping-settings-title">
      <h3 id="sleeping-settings-title">{at('sleepingSettings')}</h3>
      <label class="check">
        <input type="checkbox" checked={v.enabled} onChange={(e) => setEdit({ ...v, enabled: e.currentTarget.checked })} /> {at('sleepingEnabled')}
      </label>
      <label for="sleeping-months">{at('sleepingMonths')}</label>
      <input id="sleeping-months" type="number" inputMode="numeric" min={1} max={120} required value={v.months} onInput={(e) => setEdit({ ...v, months: e.currentTarget.value })} />
      {note && <p class={`alert alert-${note.kind}`} role={note.kind === 'error' ? 'alert' : 'status'}>{note.text}</p>}
      <div class="row"><button type="submit" class="button button-primary">{at('save')}</button></div>
    </form>
  );
}
