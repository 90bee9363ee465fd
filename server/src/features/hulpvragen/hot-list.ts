import type { Context } from 'hono';
import { depsOf, type AppEnv } from '../../app-env.ts';
import { preparedStatement } from '../../db/prepared.ts';
import { isUuid, PageQuery } from '../../lib/openapi.ts';
import { sessionPrincipal } from '../../authz/principal.ts';
import { combinedRead, type CombinedRead } from '../../authz/authenticate.ts';
import type { VisibleDossier } from '../../authz/visibility.ts';
import { liveSession, liveSessionParams, liveSessionSql, sessionPolicy, type LiveSessionRow } from '../auth/session.ts';

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
const statement = preparedStatement<LiveSessionRow & { dossierSchoolId: string | null; dossierLabel: string | null; total: number | null; items: string | null }>(`
  with ${liveSessionSql},
  visible as (
    select d.id, d.school_id, d.first_name || ' ' || d.last_name as label
    from dossiers d join live on d.organisation_id = live."organisationId"
    where d.id = $5::uuid and case live.role
      when 'parent' then exists (select 1 from guardians g where g.dossier_id = d.id and g.user_id = live."userId")
      when 'school' then d.school_id in (select ss.school_id from staff_schools ss where ss.user_id = live."userId")
      else live.role in ('coordinator', 'admin') end
  ),
  page as (
    select h.id, h.date, h.title, h.status, h.visible_to_parents,
      (select count(*)::int from attachments a where a.hulpvraag_id = h.id) as attachment_count
    from hulpvragen h
    where h.dossier_id = (select id from visible) and (h.visible_to_parents or (select role from live) <> 'parent')
    order by h.date desc nulls last, h.created_at desc nulls last, h.id desc nulls last
    limit $6 offset $7
  )
  select live.*, visible.school_id as "dossierSchoolId", visible.label as "dossierLabel",
    -- Two counts, not one with "visible_to_parents or role <> 'parent'": the parent's is index-only
    -- through hulpvragen_dossier_parents_idx (partial), which a condition with an OR cannot use.
    case when live.role = 'parent' then (select count(*)::int from hulpvragen c where c.dossier_id = visible.id and c.visible_to_parents)
      else (select count(*)::int from hulpvragen c where c.dossier_id = visible.id) end as total,
    (select coalesce(json_agg(json_build_object('id', p.id, 'date', p.date, 'title', p.title, 'status', p.status,
      'attachmentCount', p.attachment_count, 'visibleToParents', p.visible_to_parents)), '[]')::text from page p) as items
  from live left join visible on true`);

/** What the statement found: the dossier and the answer's body, ready to send. */
interface HotPage { dossier: VisibleDossier; body: string }

/**
 * The combined read for `authenticate({ combined })` on the list route. It runs before the route's
 * validation, so it reads the id and the page itself; anything unusual (a malformed id or page)
 * goes the ordinary way, where validation answers it.
 */
export const hotHulpvragenPage: CombinedRead<HotPage> = combinedRead(async <E extends AppEnv>(c: Context<E>, bearer: string) => {
  const dossierId = c.req.param('id');
  const query = PageQuery.safeParse(c.req.query());
  if (!dossierId || !isUuid(dossierId) || !query.success) return null;
  const { page, pageSize } = query.data;
  const { db, clock, env } = depsOf(c);
  const now = clock.now();
  const policy = sessionPolicy(env);
  const [row] = await statement(db, [...liveSessionParams(bearer, now, policy), dossierId, pageSize, (page - 1) * pageSize]);
  if (!row) return null;
  const { user, session } = liveSession(row, now, policy);
  const principal = sessionPrincipal(user, session);
  if (row.dossierLabel === null || row.items === null) return { principal, result: null };
  return {
    principal,
    result: {
      dossier: { id: dossierId, organisationId: user.organisationId, schoolId: row.dossierSchoolId!, label: row.dossierLabel },
      body: `{"items":${row.items},"page":${page},"pageSize":${pageSize},"total":${Number(row.total)}}`,
    },
  };
});
