import { createRoute, z } from '@hono/zod-openapi';
import { and, count, desc, eq, inArray, isNotNull } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.ts';
import { auditLog, type AccountRole } from '../../db/schema/index.ts';
import { IdParam, PageQuery, authResponses, bearerSecurity, json, pageOf, problem, type Page, queryResponses } from '../../lib/openapi.ts';
import { createRouter } from '../../lib/router.ts';
import { authenticate, authorize, findVisibleDossier, loadVisible } from '../../authz/index.ts';
import { auditContext, recordAudit } from '../audit/service.ts';
import { AccessLogEntry } from './schemas.ts';

/** The audit actions that are reads of the child's data, shown in the access log. */
export const accessActions = ['dossier.read', 'hulpvragen.read', 'hulpvraag.read', 'attachment.read', 'attachment.download', 'aanpak.read', 'tlv.read', 'overleg.read', 'hulpvraag.history.read'];

/** Who read or downloaded what of this dossier, newest first (successful accesses by signed-in users). */
export async function listAccessLog(db: DbOrTx, dossierId: string, page: PageQuery): Promise<Page<AccessLogEntry>> {
  const where = and(eq(auditLog.dossierId, dossierId), eq(auditLog.outcome, 'success'), inArray(auditLog.action, accessActions), isNotNull(auditLog.actorRole));
  const [rows, [total]] = await Promise.all([
    db.select().from(auditLog).where(where).orderBy(desc(auditLog.at), desc(auditLog.id)).limit(page.pageSize).offset((page.page - 1) * page.pageSize),
    db.select({ n: count() }).from(auditLog).where(where),
  ]);
  const items = rows.map((r) => ({
    at: r.at.toISOString(),
    actor: { displayName: r.actorDisplayName ?? '', role: r.actorRole as AccountRole },
    action: r.action,
    subject: r.subjectLabel ?? r.subjectType ?? '',
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
    const page = await listAccessLog(db, dossier.id, c.req.valid('query'));
    await recordAudit(db, { ...auditContext(c), action: 'access-log.read', outcome: 'success', subjectType: 'dossier', subjectId: dossier.id, subjectLabel: dossier.label, dossierId: dossier.id, detail: { page: page.page, entries: page.items.length } });
    return c.json(page, 200, { 'Cache-Control': 'no-store' });
  },
);
