import type { Context } from 'hono';
import { depsOf, type AppEnv } from '../../app-env.ts';
import { preparedStatement } from '../../db/prepared.ts';
import { isUuid, PageQuery } from '../../lib/openapi.ts';
import { sessionPrincipal } from '../../authz/principal.ts';
import { combinedRead, type CombinedRead } from '../../authz/authenticate.ts';
import { scopeOf } from '../../authz/rules.ts';
import type { VisibleDossier } from '../../authz/visibility.ts';
import { liveTokenSql, tokenHitsColumn, type LiveTokenParams, type LiveTokenRow } from '../api-tokens/service.ts';
import { liveSession, liveSessionParams, liveSessionSql, sessionPolicy, type LiveSessionRow } from '../auth/session.ts';

/**
 * The page and its total for the dossier in CTE `visible` (id, school_id, label), the same for
 * both statements below: CTE `page` (`limit`/`offset` placeholders, as scalar subqueries so that
 * PostgreSQL keeps the cached generic plan — see staff-list.ts `pageSql`) and the select's columns
 * `pageColumns`. `parent` is SQL that is true when the reader is a parent, who sees only the
 * hulpvragen shared with parents (`parentsSeeOnlyShared`); for a token it is `false`, which the
 * planner folds away.
 */
const pageSql = (parent: string, limit: string, offset: string) => `
  page as (
    select h.id, h.date, h.title, h.status, h.visible_to_parents,
      (select count(*)::int from attachments a where a.hulpvraag_id = h.id) as attachment_count
    from hulpvragen h
    where h.dossier_id = (select id from visible) and (h.visible_to_parents or not ${parent})
    order by h.date desc nulls last, h.created_at desc nulls last, h.id desc nulls last
    limit (select ${limit}) offset (select ${offset})
  )`;

/**
 * `PageColumns` from `visible` and `page` (`pageSql`). The total is two index-only counts over
 * the partial indexes that partition a dossier's hulpvragen (`hulpvragen_dossier_parents_idx`:
 * shared with parents; `hulpvragen_dossier_hidden_idx`: not), the second only for a reader who
 * is not a parent — small deduplicated indexes where the date index would be walked entry by
 * entry (hulpvragen-plan.test.ts).
 */
const pageColumns = (parent: string) => `visible.school_id as "dossierSchoolId", visible.label as "dossierLabel",
    (select count(*)::int from hulpvragen c where c.dossier_id = visible.id and c.visible_to_parents)
      + case when ${parent} then 0 else (select count(*)::int from hulpvragen c where c.dossier_id = visible.id and not c.visible_to_parents) end as total,
    (select coalesce(json_agg(json_build_object('id', p.id, 'date', p.date, 'title', p.title, 'status', p.status,
      'attachmentCount', p.attachment_count, 'visibleToParents', p.visible_to_parents)), '[]')::text from page p) as items`;

type PageColumns = { dossierSchoolId: string | null; dossierLabel: string | null; total: number | null; items: string | null };

/**
 * `GET /dossiers/{id}/hulpvragen` with a session, the most used read (issue 12): the session
 * check and its activity touch, the policy, the page and its total in ONE prepared statement —
 * one round trip and no query building per request; the page comes out of PostgreSQL as JSON
 * text and goes into the answer as it is. The audit row still goes through the group commit
 * before the answer (the route).
 *
 * Only the usual case is answered here: when the statement finds no live session, or the dossier
 * is not visible, the ordinary path runs (`validateSessionToken`, `listVisibleHulpvragen`,
 * `denyInvisible`), so the 401s, the deletion of an expired session and the audited 404 stay
 * where they are. The policy below is `visibleDossiers` and `parentsSeeOnlyShared`
 * (authz/visibility.ts) written out per role in SQL: a change there must be made here too —
 * hot-list.test.ts compares the two for every role.
 */
export const sessionStatementSql = `
  with ${liveSessionSql},
  visible as (
    select d.id, d.school_id, d.first_name || ' ' || d.last_name as label
    from dossiers d join live on d.organisation_id = live."organisationId"
    where d.id = $5::uuid and case live.role
      when 'parent' then exists (select 1 from guardians g where g.dossier_id = d.id and g.user_id = live."userId")
      when 'school' then d.school_id in (select ss.school_id from staff_schools ss where ss.user_id = live."userId")
      else live.role in ('coordinator', 'admin') end
  ),
  ${pageSql(`(select role from live) = 'parent'`, '$6::int', '$7::int')}
  select live.*, ${pageColumns(`live.role = 'parent'`)}
  from live left join visible on true`;
const statement = preparedStatement<LiveSessionRow & PageColumns>(sessionStatementSql);

/** What the statement found: the dossier and the answer's body, ready to send. */
interface HotPage { dossier: VisibleDossier; body: string }

/** The page the statement found, or null (the dossier is not visible): the ordinary path answers. */
function hotPage(row: PageColumns, dossierId: string, organisationId: string, page: number, pageSize: number): HotPage | null {
  if (row.dossierLabel === null || row.items === null) return null;
  return {
    dossier: { id: dossierId, organisationId, schoolId: row.dossierSchoolId!, label: row.dossierLabel },
    body: `{"items":${row.items},"page":${page},"pageSize":${pageSize},"total":${Number(row.total)}}`,
  };
}

/**
 * The same read with an API token (the organisation's service account): the token check, its
 * rate-limit hit and last-use note (`liveTokenSql`, `$1`–`$8`), the policy, the page and the
 * total in one statement. A token sees every dossier of its organisation and every hulpvraag in
 * it (`visibleDossiers`: `service` → organisation; no `parentsSeeOnlyShared`), and only with the
 * route's scope (`$10`, from authz/rules.ts; `authorize()` still runs after it). The rate-limit
 * reservation, when one is made, comes last (`tokenHitsColumn`); over the limit the page is read
 * but never sent (429). The page and total are the session statement's (`pageSql`) without the
 * parent's filter; hot-list-token.test.ts compares it with the ordinary path.
 */
export const tokenStatementSql = `
  with ${liveTokenSql},
  visible as (
    select d.id, d.school_id, d.first_name || ' ' || d.last_name as label
    from dossiers d join api_token t on d.organisation_id = t."organisationId"
    where d.id = $9::uuid and $10 = any(t.scopes)
  ),
  ${pageSql('false', '$11::int', '$12::int')}
  select api_token.*, ${pageColumns('false')}, ${tokenHitsColumn}
  from api_token left join visible on true`;
const tokenStatement = preparedStatement<LiveTokenRow & PageColumns>(tokenStatementSql);

const scope = scopeOf('dossier.read');

/**
 * The dossier and page asked for. The combined read runs before the route's validation, so it
 * reads them itself; anything unusual (a malformed id or page) is null: the ordinary way answers.
 */
function pageAsked<E extends AppEnv>(c: Context<E>): { dossierId: string; page: number; pageSize: number } | null {
  const dossierId = c.req.param('id');
  const query = PageQuery.safeParse(c.req.query());
  return dossierId && isUuid(dossierId) && query.success ? { dossierId, ...query.data } : null;
}

async function hotTokenPage<E extends AppEnv>(c: Context<E>, token: LiveTokenParams) {
  const asked = pageAsked(c);
  if (!asked) return null;
  const { dossierId, page, pageSize } = asked;
  const [row] = await tokenStatement(depsOf(c).db, [...token, dossierId, scope, pageSize, (page - 1) * pageSize]);
  return { row, result: row ? hotPage(row, dossierId, row.organisationId, page, pageSize) : null };
}

/** The combined read for `authenticate({ combined })` on the list route (session and token). */
export const hotHulpvragenPage: CombinedRead<HotPage> = combinedRead(async <E extends AppEnv>(c: Context<E>, bearer: string) => {
  const asked = pageAsked(c);
  if (!asked) return null;
  const { dossierId, page, pageSize } = asked;
  const { db, clock, env } = depsOf(c);
  const now = clock.now();
  const policy = sessionPolicy(env);
  const [row] = await statement(db, [...liveSessionParams(bearer, now, policy), dossierId, pageSize, (page - 1) * pageSize]);
  if (!row) return null;
  const { user, session } = liveSession(row, now, policy);
  const principal = sessionPrincipal(user, session);
  return { principal, result: hotPage(row, dossierId, user.organisationId, page, pageSize) };
}, hotTokenPage);
