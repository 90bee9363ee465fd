import { createRoute } from '@hono/zod-openapi';
import { authResponses, bearerSecurity, json, queryResponses } from '../../lib/openapi.ts';
import { createRouter } from '../../lib/router.ts';
import { csvHeaders } from '../../lib/csv.ts';
import { authenticate, authorize } from '../../authz/index.ts';
import { auditContext, completeAuditDetail, recordAudit } from '../audit/service.ts';
import { AuditFilters, AuditLogPage, AuditPageQuery } from './schemas.ts';
import { listAuditLog, streamAuditCsv } from './service.ts';

/** The filters that were set, for the audit entry of a read or an export of the log. */
const setFilters = (f: AuditFilters) => Object.fromEntries(Object.entries(f).filter(([k, v]) => v !== undefined && k in AuditFilters.shape));

const csvResponse = {
  description: 'The entries as CSV for a spreadsheet (UTF-8 with BOM, `;`-separated, RFC 4180 quoting), streamed',
  content: { 'text/csv': { schema: { type: 'string' as const } } },
};

export const auditLogRoutes = createRouter()
  .openapi(
    createRoute({
      method: 'get', path: '/audit-log', tags: ['Audit'], operationId: 'listAuditLog', summary: "The organisation's audit log, newest first (admins; tokens with audit:read)",
      description: 'Keyset paging: pass `nextCursor` as `cursor` for the next page. There is no total: counting millions of rows is what the paging avoids.',
      middleware: [authenticate(), authorize('audit.read')] as const, security: bearerSecurity,
      request: { query: AuditPageQuery },
      responses: { ...queryResponses, 200: json(AuditLogPage, 'A page of entries'), ...authResponses },
    }),
    async (c) => {
      const { cursor, pageSize, ...filters } = c.req.valid('query');
      const { db } = c.var.deps;
      const page = await listAuditLog(db, c.var.principal.organisationId, filters, { cursor, pageSize });
      await recordAudit(db, { ...auditContext(c), action: 'audit-log.read', outcome: 'success', subjectType: 'audit-log', detail: { filters: setFilters(filters), entries: page.items.length, ...(cursor ? { next: true } : {}) } });
      return c.json(page, 200, { 'Cache-Control': 'no-store' });
    },
  )
  .openapi(
    createRoute({
      method: 'get', path: '/audit-log/export', tags: ['Audit'], operationId: 'exportAuditLog', summary: 'The audit log with the same filters as CSV, streamed (admins; tokens with audit:read)',
      middleware: [authenticate(), authorize('audit.read')] as const, security: bearerSecurity,
      request: { query: AuditFilters },
      responses: { ...queryResponses, 200: csvResponse, ...authResponses },
    }),
    async (c) => {
      const filters = c.req.valid('query');
      const { db, logger, clock } = c.var.deps;
      // The export is itself in the log: written as it starts, completed with the rows sent (or `aborted`).
      const auditId = await recordAudit(db, { ...auditContext(c), action: 'audit-log.export', outcome: 'success', subjectType: 'audit-log', detail: { filters: setFilters(filters), transfer: 'started' } });
      const stream = streamAuditCsv(db, c.var.principal.organisationId, filters, (end) => {
        completeAuditDetail(db, auditId, { ...end }).catch((err) => logger.error('recording the end of an audit export failed', { auditId, err }));
      });
      const day = clock.now().toISOString().slice(0, 10);
      return c.body(stream, 200, csvHeaders(`auditlog-${day}.csv`));
    },
  );
