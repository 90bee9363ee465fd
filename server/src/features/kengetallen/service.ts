import { and, eq, sql, type SQL } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.ts';
import { schools } from '../../db/schema/index.ts';
import { AppError } from '../../lib/errors.ts';
import type { Kengetallen, KengetallenQuery, KengetallenTable } from './schemas.ts';

/**
 * Kengetallen: the organisation's figures, each one set-based query (no row is ever loaded into
 * the server to be counted). Every figure is for one organisation, optionally one school (the
 * dossier's school); the hulpvragen figures for a period of whole months.
 */

/** The figures' filters, resolved: dates as `YYYY-MM-DD`, the end exclusive. */
export interface Filters {
  organisationId: string;
  school: { id: string; brin: string; name: string } | null;
  from: string; // YYYY-MM
  to: string; // YYYY-MM, included
  fromDate: string; // first day of `from`
  endDate: string; // first day of the month after `to`
  today: string; // in the Netherlands
  tlvUntil: string; // today + 3 months
}

/** The longest period: ten years of months. */
const MAX_MONTHS = 120;
/** TLVs in the JSON answer (the CSV has all). */
const TLV_LIST_LIMIT = 500;

const ZONE = 'Europe/Amsterdam';
const todayIn = (now: Date) => now.toLocaleDateString('sv-SE', { timeZone: ZONE });
const monthIndex = (m: string) => Number(m.slice(0, 4)) * 12 + Number(m.slice(5, 7)) - 1;
const monthOf = (i: number) => `${String(Math.floor(i / 12)).padStart(4, '0')}-${String((i % 12) + 1).padStart(2, '0')}`;
/** `YYYY-MM-DD` plus `months` whole months, clamped to the month's last day (31 Jan + 1 → 28/29 Feb), as PostgreSQL does. */
function addMonths(date: string, months: number): string {
  const i = monthIndex(date.slice(0, 7)) + months;
  const [y, m] = [Math.floor(i / 12), (i % 12) + 1];
  const last = new Date(Date.UTC(y, m, 0)).getUTCDate();
  return `${monthOf(i)}-${String(Math.min(Number(date.slice(8, 10)), last)).padStart(2, '0')}`;
}

const invalid = (path: string, message: string) => new AppError('validation_failed', `${path}: ${message}`, { errors: [{ path, message }] });

/** Checks and completes the filters (400 validation_failed naming the parameter). */
export async function resolveFilters(db: DbOrTx, organisationId: string, query: KengetallenQuery, now: Date): Promise<Filters> {
  const today = todayIn(now);
  const to = query.to ?? (query.from ? monthOf(Math.min(monthIndex(query.from) + 11, monthIndex(today.slice(0, 7)))) : today.slice(0, 7));
  const from = query.from ?? monthOf(monthIndex(to) - 11);
  if (from > to) throw invalid('from', `the period starts (${from}) after it ends (${to})`);
  if (monthIndex(to) - monthIndex(from) + 1 > MAX_MONTHS) throw invalid('from', `a period is at most ${MAX_MONTHS} months`);
  let school: Filters['school'] = null;
  if (query.school) {
    const [row] = await db.select({ id: schools.id, brin: schools.brin, name: schools.name }).from(schools)
      .where(and(eq(schools.organisationId, organisationId), eq(schools.brin, query.school))).limit(1);
    if (!row) throw invalid('school', `your organisation has no school with BRIN "${query.school}"`);
    school = row;
  }
  return { organisationId, school, from, to, fromDate: `${from}-01`, endDate: `${monthOf(monthIndex(to) + 1)}-01`, today, tlvUntil: addMonths(today, 3) };
}

/** The rows of a raw query on either driver (postgres.js answers an array, PGlite `{ rows }`). */
async function rows<T>(db: DbOrTx, query: SQL): Promise<T[]> {
  const result: unknown = await db.execute(query);
  return Array.isArray(result) ? (result as T[]) : (result as { rows: T[] }).rows;
}

/** Hulpvragen of the organisation with a hulpvraagdatum in the period (and of the school). */
function hulpvragenInScope(f: Filters): SQL {
  return sql`h.organisation_id = ${f.organisationId} and h.date >= ${f.fromDate}::date and h.date < ${f.endDate}::date${
    f.school ? sql` and h.dossier_id in (select d.id from dossiers d where d.school_id = ${f.school.id})` : sql``}`;
}

export const byStatusQuery = (f: Filters) => sql`
  select s.name as status, s.closes, coalesce(c.n, 0)::int as count
  from hulpvraag_statuses s
  left join (select h.status, count(*) as n from hulpvragen h where ${hulpvragenInScope(f)} group by h.status) c on c.status = s.name
  where s.organisation_id = ${f.organisationId}
  order by s.position, s.name`;

export const bySchoolQuery = (f: Filters) => sql`
  select sc.brin, sc.name, coalesce(c.n, 0)::int as count
  from schools sc
  left join (
    select d.school_id, count(*) as n from hulpvragen h join dossiers d on d.id = h.dossier_id
    where h.organisation_id = ${f.organisationId} and h.date >= ${f.fromDate}::date and h.date < ${f.endDate}::date
    group by d.school_id
  ) c on c.school_id = sc.id
  where sc.organisation_id = ${f.organisationId}${f.school ? sql` and sc.id = ${f.school.id}` : sql``}
  order by count desc, sc.name, sc.brin`;

export const perMonthQuery = (f: Filters) => sql`
  select to_char(m.month, 'YYYY-MM') as month, coalesce(c.n, 0)::int as count
  from generate_series(${f.fromDate}::date, ${f.endDate}::date - 1, interval '1 month') as m(month)
  left join (select date_trunc('month', h.date) as month, count(*) as n from hulpvragen h where ${hulpvragenInScope(f)} group by 1) c on c.month = m.month
  order by m.month`;

/**
 * Doorlooptijd: for each hulpvraag whose *first* arrival in a closing status (a status of the
 * organisation marked `closes`, as the list is now) fell in the period — months in Dutch time —
 * the days from its first row of Status informatie (written when it was registered) to that
 * arrival. Re-opening and closing again does not count twice, nor move the end. Both instants are
 * kept on the hulpvraag (`registered_at`, `first_closed_at`: hulpvragen/status-facts.ts), so this
 * is one range of `hulpvragen_org_first_closed_idx`.
 */
export const doorlooptijdQuery = (f: Filters) => sql`
  select count(*)::int as count,
    round((percentile_cont(0.5) within group (order by extract(epoch from h.first_closed_at - h.registered_at) / 86400.0))::numeric, 1)::float8 as median
  from hulpvragen h
  where h.organisation_id = ${f.organisationId}
    and h.first_closed_at >= (${f.fromDate}::timestamp at time zone ${ZONE}) and h.first_closed_at < (${f.endDate}::timestamp at time zone ${ZONE})${
    f.school ? sql` and h.dossier_id in (select d.id from dossiers d where d.school_id = ${f.school.id})` : sql``}`;

/** Granted TLVs ending between today and today + 3 months (both included), soonest first. */
export const tlvExpiringQuery = (f: Filters, limit: number | null) => sql`
  select e.id, e.dossier_id as "dossierId", d.first_name as "firstName", d.last_name as "lastName", sc.brin, sc.name as "schoolName",
    e.tlv_type as type, to_char(e.end_date, 'YYYY-MM-DD') as "endDate", count(*) over ()::int as total
  from dossier_entries e
  join dossiers d on d.id = e.dossier_id
  join schools sc on sc.id = d.school_id
  where e.organisation_id = ${f.organisationId} and e.kind = 'tlv' and e.tlv_status = 'toegekend' and e.archived_at is null
    and e.end_date >= ${f.today}::date and e.end_date <= ${f.tlvUntil}::date${f.school ? sql` and d.school_id = ${f.school.id}` : sql``}
  order by e.end_date, d.last_name, d.first_name, e.id${limit === null ? sql`` : sql` limit ${limit}`}`;

type TlvRow = { id: string; dossierId: string; firstName: string; lastName: string; brin: string; schoolName: string; type: string; endDate: string; total: number };

async function tlvExpiring(db: DbOrTx, f: Filters, limit: number | null): Promise<Kengetallen['tlvExpiring']> {
  const found = await rows<TlvRow>(db, tlvExpiringQuery(f, limit));
  return {
    until: f.tlvUntil,
    count: Number(found[0]?.total ?? 0),
    items: found.map((r) => ({ id: r.id, dossierId: r.dossierId, firstName: r.firstName, lastName: r.lastName, school: { brin: r.brin, name: r.schoolName }, type: r.type, endDate: r.endDate })),
  };
}

const counted = <T extends { count: number }>(list: T[]) => list.map((r) => ({ ...r, count: Number(r.count) }));

async function doorlooptijd(db: DbOrTx, f: Filters): Promise<Kengetallen['doorlooptijd']> {
  const [row] = await rows<{ count: number; median: number | null }>(db, doorlooptijdQuery(f));
  return { medianDays: row?.median === null || row?.median === undefined ? null : Number(row.median), count: Number(row?.count ?? 0) };
}

/** Every figure at once (the panel's screen). */
export async function kengetallen(db: DbOrTx, f: Filters): Promise<Kengetallen> {
  return {
    period: { from: f.from, to: f.to },
    school: f.school ? { brin: f.school.brin, name: f.school.name } : null,
    today: f.today,
    byStatus: counted(await rows<{ status: string; closes: boolean; count: number }>(db, byStatusQuery(f))),
    bySchool: counted(await rows<{ brin: string; name: string; count: number }>(db, bySchoolQuery(f))),
    perMonth: counted(await rows<{ month: string; count: number }>(db, perMonthQuery(f))),
    doorlooptijd: await doorlooptijd(db, f),
    tlvExpiring: await tlvExpiring(db, f, TLV_LIST_LIMIT),
  };
}

/** One table as header and rows, for the CSV (Dutch headings: the staff's spreadsheet). */
export async function table(db: DbOrTx, f: Filters, name: KengetallenTable): Promise<{ header: string[]; rows: (string | number | null)[][] }> {
  switch (name) {
    case 'byStatus': {
      const list = await rows<{ status: string; closes: boolean; count: number }>(db, byStatusQuery(f));
      return { header: ['Status', 'Sluit de hulpvraag', 'Aantal hulpvragen'], rows: list.map((r) => [r.status, r.closes ? 'ja' : 'nee', Number(r.count)]) };
    }
    case 'bySchool': {
      const list = await rows<{ brin: string; name: string; count: number }>(db, bySchoolQuery(f));
      return { header: ['BRIN', 'School', 'Aantal hulpvragen'], rows: list.map((r) => [r.brin, r.name, Number(r.count)]) };
    }
    case 'perMonth': {
      const list = await rows<{ month: string; count: number }>(db, perMonthQuery(f));
      return { header: ['Maand', 'Nieuwe hulpvragen'], rows: list.map((r) => [r.month, Number(r.count)]) };
    }
    case 'doorlooptijd': {
      const d = await doorlooptijd(db, f);
      return { header: ['Van', 'Tot en met', 'Mediaan dagen van aanmelding tot afgerond', 'Aantal afgeronde hulpvragen'], rows: [[f.from, f.to, d.medianDays, d.count]] };
    }
    case 'tlvExpiring': {
      const t = await tlvExpiring(db, f, null);
      return {
        header: ['Einddatum', 'Achternaam', 'Voornaam', 'BRIN', 'School', 'Soort TLV'],
        rows: t.items.map((r) => [r.endDate, r.lastName, r.firstName, r.school.brin, r.school.name, r.type]),
      };
    }
  }
}
