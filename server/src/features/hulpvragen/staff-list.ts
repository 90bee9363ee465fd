import type { Context } from 'hono';
import { z } from '@hono/zod-openapi';
import { depsOf, type AppEnv } from '../../app-env.ts';
import { dossierGrants, type DossierGrant, type Principal } from '../../authz/index.ts';
import { combinedRead, type CombinedRead } from '../../authz/authenticate.ts';
import { sessionPrincipal } from '../../authz/principal.ts';
import type { DbOrTx } from '../../db/client.ts';
import { preparedStatement } from '../../db/prepared.ts';
import { PageQuery } from '../../lib/openapi.ts';
import { liveSession, liveSessionParams, liveSessionSql, sessionPolicy, type LiveSessionRow } from '../auth/session.ts';

/**
 * `GET /hulpvragen` (the panel's staff list, issue 12): one page newest first and its exact total
 * in ONE prepared statement, the page as JSON text ready to send — no query building per request.
 * The route's filters (status, mine) and the caller's grant choose the statement text, each
 * prepared once per connection, so every plan is the plan of its own combination:
 * - the page reads `hulpvragen_org_status_date_idx` (with a status) or `hulpvragen_org_date_idx`
 *   in order and stops after one page, at a million rows too;
 * - the total: for roles that see the whole organisation an index-only count of hulpvragen alone
 *   (`organisation_id` is the dossier's, so the join adds nothing); school staff count through
 *   their dossiers.
 * With a session the statement also checks the session (`hotStaffList`, as hot-list.ts does for
 * the parents' list): one round trip for session, page and total.
 * The visibility below is `visibleDossiers` (authz/visibility.ts) written out in SQL: a change
 * there must be made here too — staff-list.test.ts compares the two for every role and filter,
 * on both paths; hulpvragen-plan.test.ts checks the plans.
 */
export const StaffListParams = PageQuery.extend({
  status: z.string().trim().max(50).optional(),
  mine: z.enum(['true', 'false']).optional().openapi({ description: 'Only those I coordinate' }),
});

export type StaffListQuery = PageQuery & { status?: string | undefined; mine?: boolean | undefined };

/** Which statement: the caller's grant and the filters given. */
interface Variant { grant: DossierGrant; status: boolean; mine: boolean }

const visibility: Record<DossierGrant, (user: string) => string> = {
  organisation: () => '',
  school: (user) => `and d.school_id in (select ss.school_id from staff_schools ss where ss.user_id = ${user})`,
  guardian: (user) => `and exists (select 1 from guardians g where g.dossier_id = d.id and g.user_id = ${user})`,
};

/** The statement's text and the order of its parameters (`$1`…). */
function staffListStatement({ grant, status, mine }: Variant): { text: string; params: (keyof StatementParams)[] } {
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
    with page as (${pageSql(`h.organisation_id = $1::uuid ${filters('h')} ${seen}`, '$2::int', '$3::int')})
    select (${total}) as total, (select coalesce(json_agg(p.item), '[]')::text from page p) as items`;
  return { text, params };
}

/**
 * One page of items as JSON, newest first in the order of the indexes (`DESC NULLS LAST`).
 * LIMIT and OFFSET are scalar subqueries, not bare parameters: a bare `$n` is planned with the
 * page size known in a custom plan but guessed (10 % of the rows) in the generic one, so
 * PostgreSQL judged the generic plan dearer and planned the statement anew on every execution
 * (`pg_prepared_statements.custom_plans`; ≈ 0.8 ms of planning per request, more than the
 * execution). Opaque to both, the costs match and the cached generic plan is used after the
 * first five (bench/README.md, *Fast reads*); the plan is the same index scan in order.
 */
const pageSql = (where: string, limit: string, offset: string) => `
  select json_build_object('id', h.id, 'date', h.date, 'title', h.title, 'status', h.status,
    'dossier', json_build_object('id', d.id, 'firstName', d.first_name, 'lastName', d.last_name),
    'coordinator', case when u.id is null then null else json_build_object('id', u.id, 'displayName', u.display_name) end) as item
  from hulpvragen h join dossiers d on d.id = h.dossier_id left join users u on u.id = h.coordinator_id
  where ${where}
  order by h.date desc nulls last, h.created_at desc nulls last, h.id desc nulls last
  limit (select ${limit}) offset (select ${offset})`;

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

/** One page of the staff list and its total: the answer's body as JSON text, and the total for the audit (an API token, or when `hotStaffList` had no answer). */
export async function searchHulpvragen(db: DbOrTx, user: Principal, query: StaffListQuery): Promise<{ body: string; total: number }> {
  const { run, params } = staffListCall(user, query);
  const [row] = await run(db, params);
  const total = Number(row?.total ?? 0);
  return { body: `{"items":${row?.items ?? '[]'},"page":${query.page},"pageSize":${query.pageSize},"total":${total}}`, total };
}

/**
 * The same list with the session check in the statement (`liveSessionSql`: `$1`–`$4`); the
 * caller's organisation, role and id come from the session (InitPlans, so the page's index scan
 * still takes the organisation as its index condition). One text per filter combination
 * (exported for the plan check). A parent's row has no total: `authorize()` refuses them anyway.
 */
export function sessionStaffListStatement({ status, mine }: { status: boolean; mine: boolean }): string {
  const live = (column: string) => `(select ${column} from live)`;
  const filters = (alias: string) => `${status ? `and ${alias}.status = $7::text` : ''} ${mine ? `and ${alias}.coordinator_id = ${live('"userId"')}` : ''}`;
  const ownSchools = `d.school_id in (select ss.school_id from staff_schools ss where ss.user_id = ${live('"userId"')})`;
  const org = live('"organisationId"');
  return `
    with ${liveSessionSql},
    page as (${pageSql(`h.organisation_id = ${org} ${filters('h')} and d.organisation_id = ${org}
      and case ${live('role')} when 'school' then ${ownSchools} else ${live('role')} in ('coordinator', 'admin') end`, '$5::int', '$6::int')})
    select live.*,
      case when live.role = 'school' then (select count(*)::int from hulpvragen c join dossiers d on d.id = c.dossier_id
          where c.organisation_id = ${org} ${filters('c')} and d.organisation_id = ${org} and ${ownSchools})
        when live.role in ('coordinator', 'admin') then (select count(*)::int from hulpvragen c where c.organisation_id = ${org} ${filters('c')})
      end as total,
      (select coalesce(json_agg(p.item), '[]')::text from page p) as items
    from live`;
}

type SessionRow = LiveSessionRow & { total: number | null; items: string };
const sessionStatements = new Map<string, (db: DbOrTx, params: unknown[]) => Promise<SessionRow[]>>();

/**
 * The combined read for `authenticate({ combined })` on the staff list: it runs before the route's
 * validation, so it reads the query itself; anything unusual (a malformed or repeated parameter)
 * goes the ordinary way, where validation answers it.
 */
export const hotStaffList: CombinedRead<{ body: string; total: number }> = combinedRead(async <E extends AppEnv>(c: Context<E>, bearer: string) => {
  if (Object.values(c.req.queries()).some((values) => values.length > 1)) return null;
  const parsed = StaffListParams.safeParse(c.req.query());
  if (!parsed.success) return null;
  const { page, pageSize, status, mine } = parsed.data;
  const variant = { status: status !== undefined && status !== '', mine: mine === 'true' };
  const key = `${variant.status}/${variant.mine}`;
  let run = sessionStatements.get(key);
  if (!run) sessionStatements.set(key, (run = preparedStatement<SessionRow>(sessionStaffListStatement(variant))));
  const { db, clock, env } = depsOf(c);
  const now = clock.now();
  const policy = sessionPolicy(env);
  const [row] = await run(db, [...liveSessionParams(bearer, now, policy), pageSize, (page - 1) * pageSize, ...(variant.status ? [status] : [])]);
  if (!row) return null;
  const { user, session } = liveSession(row, now, policy);
  const principal = sessionPrincipal(user, session);
  if (row.total === null) return { principal, result: null };
  const total = Number(row.total);
  return { principal, result: { body: `{"items":${row.items},"page":${page},"pageSize":${pageSize},"total":${total}}`, total } };
});
