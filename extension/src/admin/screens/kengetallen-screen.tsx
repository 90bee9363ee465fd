// Kengetallen (top menu, coordinators and admins): the organisation's figures as hand-made SVG
// charts, each with its numbers as a table beside it (the table is what screen readers read; the
// chart is aria-hidden), and a CSV download per table (fetched with the session's Bearer token,
// saved from a blob). Filters: school and a period of whole months.
import type { InferResponseType } from 'hono/client';
import { useCallback, useState } from 'preact/hooks';
import { clients } from '../../lib/api';
import { errorMessage } from '../../lib/errors';
import { formatDate, formatStatus } from '../../lib/format';
import { currentLanguage } from '../../lib/i18n';
import { success, type ServerClient } from '../../lib/server-routes';
import { useLoad } from '../../components/use-load';
import { downloadCsv } from '../audit-api';
import { SchoolPicker } from '../parts/school-picker';
import './kengetallen.css';

type Figures = InferResponseType<ServerClient['api']['v1']['kengetallen']['$get'], 200>;
type Table = 'byStatus' | 'bySchool' | 'perMonth' | 'doorlooptijd' | 'tlvExpiring';
interface KengetallenFilters { school: string; from: string; to: string }

// The screen's words, Dutch first (kept here: only this screen uses them).
const nl = {
  title: 'Kengetallen',
  notForRole: 'Kengetallen zijn er voor coördinatoren en beheerders van het samenwerkingsverband.',
  school: 'School', from: 'Van (maand)', to: 'Tot en met (maand)', show: 'Tonen', monthHint: 'jjjj-mm',
  badPeriod: 'Kies een periode waarvan de eerste maand niet na de laatste ligt (jjjj-mm).',
  periodOf: 'Periode {from} tot en met {to}', wholeOrg: 'alle scholen',
  byStatus: 'Hulpvragen per status', byStatusNote: 'Hulpvragen met een hulpvraagdatum in de periode, naar hun huidige status.',
  bySchool: 'Hulpvragen per school', bySchoolNote: 'De grafiek toont de {n} scholen met de meeste hulpvragen; de tabel alle scholen.',
  perMonth: 'Nieuwe hulpvragen per maand', perMonthNote: 'Naar hulpvraagdatum.',
  doorlooptijd: 'Doorlooptijd van aanmelding tot afgerond',
  doorlooptijdNote: 'Mediaan: de helft van de hulpvragen was sneller klaar, de helft langzamer. Van het moment van aanmelden tot de eerste keer dat de hulpvraag een afsluitende status kreeg, voor hulpvragen die in de periode voor het eerst werden afgesloten.',
  medianDays: '{n} dagen', noneClosed: 'Geen hulpvragen afgesloten in deze periode.', closedCount: 'Aantal afgesloten hulpvragen',
  median: 'Mediaan (dagen)',
  tlv: 'TLV’s die binnen 3 maanden aflopen', tlvNote: 'Toegekende TLV’s met een einddatum van {today} tot en met {until}. De periode telt hier niet.',
  tlvCount: '{n} TLV’s', tlvMore: 'De eerste {shown} van {n}; de CSV bevat ze allemaal.', noTlv: 'Geen TLV’s die binnenkort aflopen.',
  status: 'Status', count: 'Aantal', closes: 'sluit af', month: 'Maand', endDate: 'Einddatum', child: 'Kind', type: 'Soort',
  csv: 'CSV downloaden', csvOf: '{table} als CSV downloaden', downloading: 'Bezig…', loading: 'Een moment…',
  tlv_sbo: 'SBO', 'tlv_so-laag': 'SO laag', 'tlv_so-midden': 'SO midden', 'tlv_so-hoog': 'SO hoog',
};
type Key = keyof typeof nl;
const en: Record<Key, string> = {
  title: 'Key figures',
  notForRole: 'Key figures are for the partnership’s coordinators and administrators.',
  school: 'School', from: 'From (month)', to: 'To (month, included)', show: 'Show', monthHint: 'yyyy-mm',
  badPeriod: 'Choose a period whose first month is not after its last (yyyy-mm).',
  periodOf: 'Period {from} to {to}', wholeOrg: 'all schools',
  byStatus: 'Hulpvragen by status', byStatusNote: 'Hulpvragen dated in the period, by their current status.',
  bySchool: 'Hulpvragen by school', bySchoolNote: 'The chart shows the {n} schools with the most hulpvragen; the table every school.',
  perMonth: 'New hulpvragen per month', perMonthNote: 'By the hulpvraag’s date.',
  doorlooptijd: 'Time from aanmelding to afgerond',
  doorlooptijdNote: 'Median: half of the hulpvragen were done sooner, half later. From registration to the first time the hulpvraag reached a closing status, for hulpvragen first closed in the period.',
  medianDays: '{n} days', noneClosed: 'No hulpvragen were closed in this period.', closedCount: 'Hulpvragen closed',
  median: 'Median (days)',
  tlv: 'TLVs ending within 3 months', tlvNote: 'Granted TLVs with an end date from {today} to {until}. The period does not apply here.',
  tlvCount: '{n} TLVs', tlvMore: 'The first {shown} of {n}; the CSV has all of them.', noTlv: 'No TLVs ending soon.',
  status: 'Status', count: 'Number', closes: 'closes', month: 'Month', endDate: 'End date', child: 'Child', type: 'Type',
  csv: 'Download CSV', csvOf: 'Download {table} as CSV', downloading: 'Working…', loading: 'One moment…',
  tlv_sbo: 'SBO', 'tlv_so-laag': 'SO low', 'tlv_so-midden': 'SO middle', 'tlv_so-hoog': 'SO high',
};
function kt(key: Key, params: Record<string, string | number> = {}): string {
  const text = (currentLanguage() === 'en' ? en : nl)[key];
  return text.replace(/\{(\w+)\}/g, (_, k: string) => String(params[k] ?? `{${k}}`));
}

const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;
const TOP_SCHOOLS = 10;
const numberFormat = () => new Intl.NumberFormat(currentLanguage() === 'en' ? 'en-GB' : 'nl-NL');
const fmt = (n: number) => numberFormat().format(n);
/** `2025-03` → `mrt 2025` (or `Mar 2025`). */
function monthLabel(month: string, short = false): string {
  const d = new Date(`${month}-01T12:00:00Z`);
  const text = d.toLocaleDateString(currentLanguage() === 'en' ? 'en-GB' : 'nl-NL', { month: 'short', year: short ? '2-digit' : 'numeric', timeZone: 'UTC' });
  return text.replace('.', '');
}
const query = (f: KengetallenFilters) => Object.fromEntries(Object.entries(f).filter(([, v]) => v)) as Partial<KengetallenFilters>;

async function loadFigures(f: KengetallenFilters): Promise<Figures> {
  return success((await clients()).kengetallen.$get({ query: query(f) }));
}

/** One table's CSV, saved under the server's file name (audit-api: the session's token, an error answer is an error, never a file). */
const downloadTable = (table: Table, f: KengetallenFilters) => downloadCsv(`kengetallen/${table}/csv`, query(f));

export function KengetallenScreen({ role }: { role: string }) {
  if (role !== 'coordinator' && role !== 'admin') {
    return <main class="panel-main" id="main"><h1>{kt('title')}</h1><p>{kt('notForRole')}</p></main>;
  }
  return <Figures />;
}

function Figures() {
  const [draft, setDraft] = useState<KengetallenFilters>({ school: '', from: '', to: '' });
  const [filters, setFilters] = useState<KengetallenFilters>(draft);
  const [formError, setFormError] = useState('');
  const loaded = useLoad(useCallback(() => loadFigures(filters), [filters]));
  const submit = (e: Event) => {
    e.preventDefault();
    const from = draft.from.trim();
    const to = draft.to.trim();
    if ((from && !MONTH.test(from)) || (to && !MONTH.test(to)) || (from && to && from > to)) return setFormError(kt('badPeriod'));
    setFormError('');
    setFilters({ school: draft.school, from, to });
  };
  const data = loaded.data;
  return (
    <main class="panel-main kengetallen" id="main">
      <h1>{kt('title')}</h1>
      <form class="filters filters-inline" onSubmit={submit}>
        <div class="field"><SchoolPicker id="kg-school" label={kt('school')} value={draft.school} allowAny onChange={(school) => setDraft({ ...draft, school })} /></div>
        <div class="field">
          <label for="kg-from">{kt('from')}</label>
          <input id="kg-from" type="month" placeholder={kt('monthHint')} value={draft.from} onInput={(e) => setDraft({ ...draft, from: e.currentTarget.value })} aria-describedby={formError ? 'kg-error' : undefined} />
        </div>
        <div class="field">
          <label for="kg-to">{kt('to')}</label>
          <input id="kg-to" type="month" placeholder={kt('monthHint')} value={draft.to} onInput={(e) => setDraft({ ...draft, to: e.currentTarget.value })} aria-describedby={formError ? 'kg-error' : undefined} />
        </div>
        <button type="submit" class="button button-primary">{kt('show')}</button>
      </form>
      {formError ? <p class="alert alert-error" role="alert" id="kg-error">{formError}</p> : null}
      {loaded.error ? <p class="alert alert-error" role="alert">{errorMessage(loaded.error)}</p> : null}
      {!data && !loaded.error ? <p class="muted">{kt('loading')}</p> : null}
      {data && (
        <>
          <p class="kg-period" aria-live="polite">
            {kt('periodOf', { from: monthLabel(data.period.from), to: monthLabel(data.period.to) })} · {data.school ? `${data.school.brin} ${data.school.name}` : kt('wholeOrg')}
          </p>
          <div class="kg-grid">
            <Figure id="byStatus" title={kt('byStatus')} note={kt('byStatusNote')} filters={filters}
              chart={<Bars rows={data.byStatus.map((s) => ({ label: formatStatus(s.status), value: s.count }))} />}
              table={(
                <table class="table">
                  <caption class="sr-only">{kt('byStatus')}</caption>
                  <thead><tr><th scope="col">{kt('status')}</th><th scope="col" class="num">{kt('count')}</th></tr></thead>
                  <tbody>{data.byStatus.map((s) => <tr key={s.status}><th scope="row">{formatStatus(s.status)}{s.closes ? <span class="muted"> ({kt('closes')})</span> : null}</th><td class="num">{fmt(s.count)}</td></tr>)}</tbody>
                </table>
              )} />
            <Figure id="perMonth" title={kt('perMonth')} note={kt('perMonthNote')} filters={filters}
              chart={<Columns rows={data.perMonth.map((m) => ({ label: monthLabel(m.month, true), value: m.count }))} />}
              table={(
                <table class="table">
                  <caption class="sr-only">{kt('perMonth')}</caption>
                  <thead><tr><th scope="col">{kt('month')}</th><th scope="col" class="num">{kt('count')}</th></tr></thead>
                  <tbody>{data.perMonth.map((m) => <tr key={m.month}><th scope="row">{monthLabel(m.month)}</th><td class="num">{fmt(m.count)}</td></tr>)}</tbody>
                </table>
              )} />
            <Figure id="bySchool" title={kt('bySchool')} note={data.bySchool.length > TOP_SCHOOLS ? kt('bySchoolNote', { n: TOP_SCHOOLS }) : ''} filters={filters}
              chart={<Bars rows={data.bySchool.slice(0, TOP_SCHOOLS).map((s) => ({ label: s.name, value: s.count }))} />}
              table={(
                <div class="kg-scroll">
                  <table class="table">
                    <caption class="sr-only">{kt('bySchool')}</caption>
                    <thead><tr><th scope="col">{kt('school')}</th><th scope="col" class="num">{kt('count')}</th></tr></thead>
                    <tbody>{data.bySchool.map((s) => <tr key={s.brin}><th scope="row">{s.name} <span class="muted">{s.brin}</span></th><td class="num">{fmt(s.count)}</td></tr>)}</tbody>
                  </table>
                </div>
              )} />
            <Figure id="doorlooptijd" title={kt('doorlooptijd')} note={kt('doorlooptijdNote')} filters={filters}
              chart={<p class="kg-big">{data.doorlooptijd.medianDays === null ? '—' : kt('medianDays', { n: fmt(data.doorlooptijd.medianDays) })}</p>}
              table={(
                <>
                {data.doorlooptijd.medianDays === null && <p class="muted">{kt('noneClosed')}</p>}
                <table class="table">
                  <caption class="sr-only">{kt('doorlooptijd')}</caption>
                  <tbody>
                    <tr><th scope="row">{kt('median')}</th><td class="num">{data.doorlooptijd.medianDays === null ? '—' : fmt(data.doorlooptijd.medianDays)}</td></tr>
                    <tr><th scope="row">{kt('closedCount')}</th><td class="num">{fmt(data.doorlooptijd.count)}</td></tr>
                  </tbody>
                </table>
                </>
              )} />
          </div>
          <Figure id="tlvExpiring" wide title={kt('tlv')} note={kt('tlvNote', { today: formatDate(data.today), until: formatDate(data.tlvExpiring.until) })} filters={filters}
            chart={<p class="kg-big">{kt('tlvCount', { n: fmt(data.tlvExpiring.count) })}</p>}
            table={data.tlvExpiring.count === 0 ? <p class="muted">{kt('noTlv')}</p> : (
              <>
                {data.tlvExpiring.count > data.tlvExpiring.items.length && <p class="muted">{kt('tlvMore', { shown: data.tlvExpiring.items.length, n: data.tlvExpiring.count })}</p>}
                <table class="table">
                  <caption class="sr-only">{kt('tlv')}</caption>
                  <thead><tr><th scope="col">{kt('endDate')}</th><th scope="col">{kt('child')}</th><th scope="col">{kt('school')}</th><th scope="col">{kt('type')}</th></tr></thead>
                  <tbody>
                    {data.tlvExpiring.items.map((i) => (
                      <tr key={i.id}>
                        <td>{formatDate(i.endDate)}</td>
                        <td><a href={`#/dossiers/${i.dossierId}/tlv`}>{i.lastName}, {i.firstName}</a></td>
                        <td>{i.school.name}</td>
                        <td>{`tlv_${i.type}` in nl ? kt(`tlv_${i.type}` as Key) : i.type}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </>
            )} />
        </>
      )}
    </main>
  );
}

/** One figure: heading, note, the chart (hidden from screen readers) beside its table, and its CSV button. */
function Figure({ id, title, note, chart, table, filters, wide = false }: { id: Table; title: string; note: string; chart: preact.ComponentChildren; table: preact.ComponentChildren; filters: KengetallenFilters; wide?: boolean }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');
  const download = async () => {
    setBusy(true);
    setError('');
    try {
      await downloadTable(id, filters);
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <section class={`kg-figure${wide ? ' kg-wide' : ''}`} aria-labelledby={`kg-${id}`}>
      <div class="kg-head">
        <h2 id={`kg-${id}`}>{title}</h2>
        <button type="button" class="button button-small" aria-label={kt('csvOf', { table: title })} disabled={busy} onClick={() => void download()}>{busy ? kt('downloading') : kt('csv')}</button>
      </div>
      {note ? <p class="muted kg-note">{note}</p> : null}
      {error ? <p class="alert alert-error" role="alert">{error}</p> : null}
      <div class="kg-body">
        <div class="kg-chart" aria-hidden="true">{chart}</div>
        <div class="kg-table">{table}</div>
      </div>
    </section>
  );
}

interface Datum { label: string; value: number }
const BAR_H = 20;
const LABEL_W = 110;
const CHART_W = 320;

/** Horizontal bars with their labels and values (SVG, scaled to the largest value). */
function Bars({ rows }: { rows: Datum[] }) {
  const max = Math.max(1, ...rows.map((r) => r.value));
  const plot = CHART_W - LABEL_W - 50;
  const height = rows.length * (BAR_H + 6) + 4;
  return (
    <svg class="kg-svg" viewBox={`0 0 ${CHART_W} ${height}`} width="100%" focusable="false">
      {rows.map((r, i) => {
        const y = 2 + i * (BAR_H + 6);
        const w = (r.value / max) * plot;
        return (
          <g key={`${r.label}-${i}`}>
            <text x={LABEL_W - 6} y={y + BAR_H / 2} class="kg-label" text-anchor="end" dominant-baseline="middle">{r.label.length > 16 ? `${r.label.slice(0, 15)}…` : r.label}</text>
            <rect x={LABEL_W} y={y} width={Math.max(w, r.value > 0 ? 2 : 0)} height={BAR_H} rx="3" class="kg-bar" />
            <text x={LABEL_W + w + 6} y={y + BAR_H / 2} class="kg-value" dominant-baseline="middle">{fmt(r.value)}</text>
          </g>
        );
      })}
    </svg>
  );
}

/** Vertical columns, one per month, with a baseline and the value above each column. */
function Columns({ rows }: { rows: Datum[] }) {
  const max = Math.max(1, ...rows.map((r) => r.value));
  const height = 200;
  const top = 18;
  const bottom = 24;
  const step = CHART_W / Math.max(1, rows.length);
  const colW = Math.max(2, Math.min(28, step * 0.7));
  const every = Math.ceil(rows.length / 6);
  return (
    <svg class="kg-svg" viewBox={`0 0 ${CHART_W} ${height}`} width="100%" focusable="false">
      <line x1="0" x2={CHART_W} y1={height - bottom} y2={height - bottom} class="kg-axis" />
      {rows.map((r, i) => {
        const h = (r.value / max) * (height - top - bottom);
        const x = i * step + (step - colW) / 2;
        return (
          <g key={`${r.label}-${i}`}>
            <rect x={x} y={height - bottom - h} width={colW} height={h} rx="2" class="kg-bar" />
            {rows.length <= 24 && <text x={x + colW / 2} y={height - bottom - h - 4} class="kg-value" text-anchor="middle">{fmt(r.value)}</text>}
            {i % every === 0 && <text x={i === 0 ? x : x + colW / 2} y={height - 8} class="kg-label" text-anchor={i === 0 ? 'start' : 'middle'}>{r.label}</text>}
          </g>
        );
      })}
    </svg>
  );
}
