import { createRoute } from '@hono/zod-openapi';
import { and, count, desc, eq, inArray, isNotNull, sql, type SQL } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.ts';
import { attachments, auditLog, dossierEntries, dossiers, hulpvragen, type AccountRole } from '../../db/schema/index.ts';
import { IdParam, PageQuery, authResponses, bearerSecurity, json, pageOf, problem, type Page, queryResponses } from '../../lib/openapi.ts';
import { createRouter } from '../../lib/router.ts';
import { authenticate, authorize, findVisibleDossier, loadVisible, visibleAttachments, visibleHulpvragen } from '../../authz/index.ts';
import type { Principal } from '../../authz/principal.ts';
import { auditContext, recordAudit } from '../audit/service.ts';
import { AccessLogEntry } from './schemas.ts';

/** The audit actions that are reads of the child's data, shown in the access log. */
const accessActions = ['dossier.read', 'hulpvragen.read', 'hulpvraag.read', 'attachment.read', 'attachment.download', 'aanpak.read', 'tlv.read', 'overleg.read', 'hulpvraag.history.read'];

/**
 * The entry's label (a file name, a hulpvraag's title) only when the reader may see that file or
 * hulpvraag now, by the same rules as everywhere (`visibleAttachments`, `visibleHulpvragen`, so also
 * `visibleEntries`: a closed Overlegronde they are not invited to, an archived TLV, an item not shared
 * with parents); otherwise null, and the entry says only *that* something of the dossier was looked
 * at. A file or hulpvraag that is gone can no longer be checked: its name is not shown either.
 * Other subjects (the dossier, a tab of it) are named by the dossier the reader sees already.
 */
function labelSeenBy(db: DbOrTx, principal: Principal): SQL<string | null> {
  // As a uuid (so the primary keys are used); an id that is not one (never for a successful read) matches nothing.
  const subject = sql.raw(`(case when "audit_log"."subject_id" ~* '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$' then "audit_log"."subject_id"::uuid end)`);
  const attachment = db.select({ one: sql`1` }).from(attachments)
    .leftJoin(hulpvragen, eq(hulpvragen.id, attachments.hulpvraagId))
    .leftJoin(dossierEntries, eq(dossierEntries.id, attachments.entryId))
    .innerJoin(dossiers, sql`"dossiers"."id" = coalesce(${hulpvragen.dossierId}, ${dossierEntries.dossierId})`)
    .where(and(sql`${attachments.id} = ${subject}`, visibleAttachments(principal)));
  const hulpvraag = db.select({ one: sql`1` }).from(hulpvragen)
    .innerJoin(dossiers, eq(dossiers.id, hulpvragen.dossierId))
    .where(and(sql`${hulpvragen.id} = ${subject}`, visibleHulpvragen(principal)));
  return sql<string | null>`case "audit_log"."subject_type"
    when 'attachment' then case when exists (${attachment}) then "audit_log"."subject_label" end
    when 'hulpvraag' then case when exists (${hulpvraag}) then "audit_log"."subject_label" end
    else "audit_log"."subject_label" end`;
}

/** Who read or downloaded what of this dossier, newest first (successful accesses by signed-in users); names only what the reader may see. */
async function listAccessLog(db: DbOrTx, principal: Principal, dossierId: string, page: PageQuery): Promise<Page<AccessLogEntry>> {
  const where = and(eq(auditLog.dossierId, dossierId), eq(auditLog.outcome, 'success'), inArray(auditLog.action, accessActions), isNotNull(auditLog.actorRole));
  const [rows, [total]] = await Promise.all([
    db.select({ at: auditLog.at, actorDisplayName: auditLog.actorDisplayName, actorRole: auditLog.actorRole, action: auditLog.action, subjectType: auditLog.subjectType, label: labelSeenBy(db, principal) })
      .from(auditLog).where(where).orderBy(desc(auditLog.at), desc(auditLog.id)).limit(page.pageSize).offset((page.page - 1) * page.pageSize),
    db.select({ n: count() }).from(auditLog).where(where),
  ]);
  const items = rows.map((r) => ({
    at: r.at.toISOString(),
    actor: { displayName: r.actorDisplayName ?? '', role: r.actorRole as AccountRole },
    action: r.action,
    subject: r.label ?? r.subjectType ?? '',
  }));
  return { items, page: page.page, pageSize: page.pageSize, total: total?.n ?? 0 };
}

export const accessLogRoutes = createRouter().openapi(
  createRoute({
    method: 'get', path: '/dossiers/{id}/access-log', tags: ['Dossiers'], operationId: 'listDossierAccessLog', summary: "Who looked at the child's dossier",
    middleware: [authenticate(), authorize('accessLog.read')] as const, security: bearerSecurity,
    request: { params: IdParam, query: PageQuery },
    responses: { ...queryResponses, 200: json(pageOf(AccessLogEntry, 'AccessLogPage'), 'Newest first'), ...authResponses, 404: problem('No such dossier, or not visible to you') },
  }),
  async (c) => {
    const dossier = await loadVisible(c, findVisibleDossier, c.req.valid('param').id, { action: 'access-log.read', subjectType: 'dossier' });
    const { db } = c.var.deps;
    const page = await listAccessLog(db, c.var.principal, dossier.id, c.req.valid('query'));
    await recordAudit(db, { ...auditContext(c), action: 'access-log.read', outcome: 'success', subjectType: 'dossier', subjectId: dossier.id, subjectLabel: dossier.label, dossierId: dossier.id, detail: { page: page.page, entries: page.items.length } });
    return c.json(page, 200, { 'Cache-Control': 'no-store' });
  },
);
