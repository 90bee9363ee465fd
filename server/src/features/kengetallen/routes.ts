import { createRoute, z } from '@hono/zod-openapi';
import { authResponses, bearerSecurity, json, problem, queryResponses } from '../../lib/openapi.ts';
import { createRouter } from '../../lib/router.ts';
import { auditContext, recordAudit } from '../audit/service.ts';
import { authenticate, authorize } from '../../authz/index.ts';
import { csvDocument, csvHeaders } from '../../lib/csv.ts';
import { Kengetallen, KengetallenQuery, TableParam } from './schemas.ts';
import { kengetallen, resolveFilters, table } from './service.ts';

const noStore = { 'Cache-Control': 'no-store' };
const errors = { ...queryResponses, ...authResponses, 403: problem('Only coordinators and admins see the Kengetallen (API tokens: dossiers:read)') };
const filtersOf = (f: { school: { brin: string } | null; from: string; to: string }) => ({ school: f.school?.brin ?? null, from: f.from, to: f.to });

/** Kengetallen (top menu): the organisation's figures, and each table as CSV (coordinators and admins). */
export const kengetallenRoutes = createRouter()
  .openapi(
    createRoute({
      method: 'get', path: '/kengetallen', tags: ['Kengetallen'], operationId: 'getKengetallen',
      summary: 'Hulpvragen by status, by school and per month, the median doorlooptijd and the TLVs ending within 3 months (coordinators, admins)',
      middleware: [authenticate(), authorize('kengetallen.read')] as const, security: bearerSecurity,
      request: { query: KengetallenQuery },
      responses: { 200: json(Kengetallen, 'The figures'), ...errors },
    }),
    async (c) => {
      const { db, clock } = c.var.deps;
      const f = await resolveFilters(db, c.var.principal.organisationId, c.req.valid('query'), clock.now());
      const figures = await kengetallen(db, f);
      await recordAudit(db, { ...auditContext(c), action: 'kengetallen.read', outcome: 'success', subjectType: 'kengetallen', detail: filtersOf(f) });
      return c.json(figures, 200, noStore);
    },
  )
  .openapi(
    createRoute({
      method: 'get', path: '/kengetallen/{table}/csv', tags: ['Kengetallen'], operationId: 'downloadKengetallen',
      summary: 'One table of the Kengetallen as CSV for Dutch Excel (`;`, UTF-8 with BOM, RFC 4180 quoting; coordinators, admins)',
      middleware: [authenticate(), authorize('kengetallen.read')] as const, security: bearerSecurity,
      request: { params: TableParam, query: KengetallenQuery },
      responses: {
        200: { description: 'The table as CSV, Dutch headings', content: { 'text/csv': { schema: z.string() } } },
        ...errors,
      },
    }),
    async (c) => {
      const { db, clock } = c.var.deps;
      const name = c.req.valid('param').table;
      const f = await resolveFilters(db, c.var.principal.organisationId, c.req.valid('query'), clock.now());
      const { header, rows } = await table(db, f, name);
      await recordAudit(db, { ...auditContext(c), action: 'kengetallen.export', outcome: 'success', subjectType: 'kengetallen', detail: { table: name, rows: rows.length, ...filtersOf(f) } });
      const filename = `kengetallen-${name}-${name === 'tlvExpiring' ? f.today : `${f.from}-${f.to}`}${f.school ? `-${f.school.brin}` : ''}.csv`.replace(/[^A-Za-z0-9._-]/g, '_');
      return c.body(csvDocument(header, rows), 200, csvHeaders(filename));
    },
  );
