import { dossierGrants, type DossierGrant, type Principal } from '../../authz/index.ts';
import type { DbOrTx } from '../../db/client.ts';
import { preparedStatement } from '../../db/prepared.ts';
import type { PageQuery } from '../../lib/openapi.ts';

/**
 * `GET /hulpvragen` (the panel's staff list, issue 12): one page newest first and its exact total
 * in ONE prepared statement, the page as JSON text ready to send — no query building per request.
 * The route's filters (status, mine) and the caller's grant choose one of twelve statement texts,
 * each prepared once per connection, so every plan is the plan of its own combination:
 * - the page reads `hulpvragen_org_status_date_idx` (with a status) or `hulpvragen_org_date_idx`
 *   in order and stops after one page, at a million rows too;
 * - the total: for roles that see the whole organisation an index-only count of hulpvragen alone
 *   (`organisation_id` is the dossier's, so the join adds nothing); school staff count through
 *   their dossiers.
 * The visibility below is `visibleDossiers` (authz/visibility.ts) written out per grant in SQL: a
 * change there must be made here too — staff-list.test.ts compares the two for every role and
 * filter, hulpvragen-plan.test.ts checks the plans.
 */
export type StaffListQuery = PageQuery & { status?: string | undefined; mine?: boolean | undefined };

/** Which statement: the caller's grant and the filters given. */
interface Variant { grant: DossierGrant; status: boolean; mine: boolean }

const visibility: Record<DossierGrant, (user: string) => string> = {
  organisation: () => '',
  school: (user) => `and d.school_id in (select ss.school_id from staff_schools ss where ss.user_id = ${user})`,
  guardian: (user) => `and exists (select 1 from guardians g where g.dossier_id = d.id and g.user_id = ${user})`,
};

/** The statement's text and the order of its parameters (`$1`…). */
export function staffListStatement({ grant, status, mine }: Variant): { text: string; params: (keyof StatementParams)[] } {
  const params: (keyof StatementParams)[] = ['organisationId', 'limit', 'offset'];
  const slot = (name: keyof StatementParams, cast: string) => {
    if (!params.includes(name)) params.push(name);
    return `$${params.indexOf(name) + 1}::${cast}`;
  };
  const user = grant !== 'organisation' || mine ? slot('userId', 'uuid') : '';
  const filters = (alias: string) => [
    status ? `and ${alias}.status = ${slot('status', 'text')}` : '',
    mine ? `and ${alias}.coordinator_id = ${user}` : '',
  ].join(' ');
  const seen = `and d.organisation_id = $1::uuid ${visibility[grant](user)}`;
  const total = grant === 'organisation'
    ? `select count(*)::int from hulpvragen c where c.organisation_id = $1::uuid ${filters('c')}`
    : `select count(*)::int from hulpvragen c join dossiers d on d.id = c.dossier_id where c.organisation_id = $1::uuid ${filters('c')} ${seen}`;
  const text = `
    with page as (
      select json_build_object('id', h.id, 'date', h.date, 'title', h.title, 'status', h.status,
        'dossier', json_build_object('id', d.id, 'firstName', d.first_name, 'lastName', d.last_name),
        'coordinator', case when u.id is null then null else json_build_object('id', u.id, 'displayName', u.display_name) end) as item
      from hulpvragen h join dossiers d on d.id = h.dossier_id left join users u on u.id = h.coordinator_id
      where h.organisation_id = $1::uuid ${filters('h')} ${seen}
      order by h.date desc nulls last, h.created_at desc nulls last, h.id desc nulls last
      limit $2::int offset $3::int
    )
    select (${total}) as total, (select coalesce(json_agg(p.item), '[]')::text from page p) as items`;
  return { text, params };
}

interface StatementParams { organisationId: string; limit: number; offset: number; userId: string; status: string }

type Row = { total: number; items: string };
interface Prepared { text: string; params: (keyof StatementParams)[]; run: (db: DbOrTx, params: unknown[]) => Promise<Row[]> }
const statements = new Map<string, Prepared>();

/** The statement for this caller and these filters, with its parameter values (exported for the plan check). */
export function staffListCall(user: Principal, query: StaffListQuery): Omit<Prepared, 'params'> & { params: unknown[] } {
  const variant: Variant = { grant: dossierGrants[user.role], status: query.status !== undefined && query.status !== '', mine: query.mine === true };
  const key = `${variant.grant}/${variant.status}/${variant.mine}`;
  let found = statements.get(key);
  if (!found) {
    const { text, params } = staffListStatement(variant);
    found = { text, params, run: preparedStatement<Row>(text) };
    statements.set(key, found);
  }
  const values: StatementParams = { organisationId: user.organisationId, limit: query.pageSize, offset: (query.page - 1) * query.pageSize, userId: user.user.id, status: query.status ?? '' };
  return { text: found.text, params: found.params.map((name) => values[name]), run: found.run };
}

/** One page of the staff list and its total: the answer's body as JSON text, and the total for the audit. */
export async function searchHulpvragen(db: DbOrTx, user: Principal, query: StaffListQuery): Promise<{ body: string; total: number }> {
  const { run, params } = staffListCall(user, query);
  const [row] = await run(db, params);
  const total = Number(row?.total ?? 0);
  return { body: `{"items":${row?.items ?? '[]'},"page":${query.page},"pageSize":${query.pageSize},"total":${total}}`, total };
}
