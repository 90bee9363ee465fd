import { createRoute, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { IdParam, PageQuery, authResponses, bearerSecurity, json, jsonBody, pageOf, problem, bodyResponses, queryResponses } from '../../lib/openapi.ts';
import { createRouter } from '../../lib/router.ts';
import { eq } from 'drizzle-orm';
import { hulpvragen } from '../../db/schema/index.ts';
import { afterCommit, automate } from '../automation/hooks.ts';
import { auditContext, recordAudit } from '../audit/service.ts';
import { authenticate, authorize, denyInvisible, findVisibleDossier, findVisibleHulpvraag, loadVisible, refuseIfAnonymised, type AuthEnv } from '../../authz/index.ts';
import { hotHulpvragenPage } from './hot-list.ts';
import { Hulpvraag, HulpvraagCreate, HulpvraagListItem, HulpvraagPatch, HulpvraagSummary, StatusChange } from './schemas.ts';
import { createHulpvraag, getHulpvraag, listStatusHistory, listVisibleHulpvragen, updateHulpvraag } from './service.ts';
import { hotStaffList, searchHulpvragen, StaffListParams } from './staff-list.ts';

const noStore = { 'Cache-Control': 'no-store' };
const readResponses = { ...authResponses, 404: problem('Not found, or not visible to you') };
const writeResponses = { ...readResponses, 400: problem('Invalid input'), 409: problem('conflict: the dossier is anonymised') };

const audited = (c: Context<AuthEnv>, action: string, subject: { type: string; id: string; label: string; dossierId: string }, detail?: Record<string, unknown>) => ({
  ...auditContext(c), action, outcome: 'success' as const,
  subjectType: subject.type, subjectId: subject.id, subjectLabel: subject.label, dossierId: subject.dossierId, ...(detail ? { detail } : {}),
});

export const hulpvraagRoutes = createRouter()
  .openapi(
    createRoute({
      method: 'get', path: '/dossiers/{id}/hulpvragen', tags: ['Hulpvragen'], operationId: 'listHulpvragen', summary: "A dossier's hulpvragen, newest first",
      middleware: [authenticate({ combined: hotHulpvragenPage }), authorize('dossier.read')] as const, security: bearerSecurity,
      request: { params: IdParam, query: PageQuery },
      responses: { ...queryResponses, 200: json(pageOf(HulpvraagSummary, 'HulpvraagPage'), 'A page of hulpvragen'), ...readResponses },
    }),
    async (c) => {
      const { db } = c.var.deps;
      const hot = hotHulpvragenPage.resultOf(c);
      if (hot) {
        // Session, policy, page and total came in one statement with the authentication (hot-list.ts).
        await recordAudit(db, audited(c, 'hulpvragen.read', { type: 'dossier', id: hot.dossier.id, label: hot.dossier.label, dossierId: hot.dossier.id }));
        // The body is the same JSON, already text: `never` tells the typed route so (no re-parse to please the types).
        return c.body(hot.body, 200, { ...noStore, 'Content-Type': 'application/json' }) as never;
      }
      const id = c.req.valid('param').id;
      const found = await listVisibleHulpvragen(db, c.var.principal, id, c.req.valid('query'));
      const { dossier, page } = found ?? (await denyInvisible(c, id, { action: 'hulpvragen.read', subjectType: 'dossier' }));
      await recordAudit(db, audited(c, 'hulpvragen.read', { type: 'dossier', id: dossier.id, label: dossier.label, dossierId: dossier.id }));
      return c.json(page, 200, noStore);
    },
  )
  .openapi(
    createRoute({
      method: 'get', path: '/hulpvragen/{id}', tags: ['Hulpvragen'], operationId: 'getHulpvraag', summary: 'One hulpvraag with coordinator, labels and attachments',
      middleware: [authenticate(), authorize('dossier.read')] as const, security: bearerSecurity,
      request: { params: IdParam },
      responses: { 200: json(Hulpvraag, 'The hulpvraag'), ...readResponses },
    }),
    async (c) => {
      const found = await loadVisible(c, findVisibleHulpvraag, c.req.valid('param').id, { action: 'hulpvraag.read', subjectType: 'hulpvraag' });
      const { db } = c.var.deps;
      const hulpvraag = await getHulpvraag(db, found.id);
      await recordAudit(db, audited(c, 'hulpvraag.read', { type: 'hulpvraag', id: found.id, label: found.title, dossierId: found.dossierId }));
      return c.json(hulpvraag, 200, noStore);
    },
  )
  .openapi(
    createRoute({
      method: 'post', path: '/dossiers/{id}/hulpvragen', tags: ['Hulpvragen'], operationId: 'createHulpvraag', summary: 'Add a hulpvraag to a dossier (staff)',
      middleware: [authenticate(), authorize('hulpvraag.create')] as const, security: bearerSecurity,
      request: { params: IdParam, body: jsonBody(HulpvraagCreate) },
      responses: { ...bodyResponses, 201: json(Hulpvraag, 'The new hulpvraag'), ...writeResponses },
    }),
    async (c) => {
      const dossier = await loadVisible(c, findVisibleDossier, c.req.valid('param').id, { action: 'hulpvraag.create', subjectType: 'dossier' });
      await refuseIfAnonymised(c, dossier, 'hulpvraag.create');
      const input = c.req.valid('json');
      const { db, clock } = c.var.deps;
      const { hulpvraag, automation } = await db.transaction(async (tx) => {
        const id = await createHulpvraag(tx, c.var.principal.user, dossier.id, input, clock.now());
        await recordAudit(tx, audited(c, 'hulpvraag.create', { type: 'hulpvraag', id, label: input.title, dossierId: dossier.id }));
        const [created] = await tx.select({ status: hulpvragen.status }).from(hulpvragen).where(eq(hulpvragen.id, id));
        // Workflow: the title and the first status can set off the organisation's rules, in this transaction.
        const automation = await automate(c, tx, [{ type: 'created', hulpvraagId: id }, { type: 'status', hulpvraagId: id, status: created!.status }]);
        return { hulpvraag: await getHulpvraag(tx, id), automation };
      });
      afterCommit(c, automation);
      return c.json(hulpvraag, 201, noStore);
    },
  )
  .openapi(
    createRoute({
      method: 'patch', path: '/hulpvragen/{id}', tags: ['Hulpvragen'], operationId: 'updateHulpvraag', summary: 'Edit a hulpvraag; status changes are kept as history (staff)',
      middleware: [authenticate(), authorize('hulpvraag.update')] as const, security: bearerSecurity,
      request: { params: IdParam, body: jsonBody(HulpvraagPatch) },
      responses: { ...bodyResponses, 200: json(Hulpvraag, 'The hulpvraag'), ...writeResponses },
    }),
    async (c) => {
      const found = await loadVisible(c, findVisibleHulpvraag, c.req.valid('param').id, { action: 'hulpvraag.update', subjectType: 'hulpvraag' });
      await refuseIfAnonymised(c, found, 'hulpvraag.update');
      const input = c.req.valid('json');
      const { db, clock } = c.var.deps;
      const { hulpvraag, automation } = await db.transaction(async (tx) => {
        const change = await updateHulpvraag(tx, c.var.principal.user, found.id, input, clock.now());
        const statusChange = change && change.from !== change.to ? { from: change.from, to: change.to } : null;
        await recordAudit(tx, audited(c, 'hulpvraag.update', { type: 'hulpvraag', id: found.id, label: input.title ?? found.title, dossierId: found.dossierId }, statusChange ? { status: statusChange } : undefined));
        const automation = await automate(c, tx, [
          ...(change?.titleChanged ? [{ type: 'title' as const, hulpvraagId: found.id }] : []),
          ...(statusChange ? [{ type: 'status' as const, hulpvraagId: found.id, status: statusChange.to }] : []),
        ]);
        return { hulpvraag: await getHulpvraag(tx, found.id), automation };
      });
      afterCommit(c, automation);
      return c.json(hulpvraag, 200, noStore);
    },
  )
  .openapi(
    createRoute({
      method: 'get', path: '/hulpvragen/{id}/status-history', tags: ['Hulpvragen'], summary: 'Status informatie: every status change, oldest first (staff)', operationId: 'listHulpvraagStatusHistory',
      middleware: [authenticate(), authorize('hulpvraag.history.read')] as const, security: bearerSecurity,
      request: { params: IdParam },
      responses: { 200: json(z.array(StatusChange), 'Who, when, from → to, note'), ...readResponses, 403: problem('Not for your role') },
    }),
    async (c) => {
      const found = await loadVisible(c, findVisibleHulpvraag, c.req.valid('param').id, { action: 'hulpvraag.history.read', subjectType: 'hulpvraag' });
      const { db } = c.var.deps;
      const history = await listStatusHistory(db, found.id);
      await recordAudit(db, audited(c, 'hulpvraag.history.read', { type: 'hulpvraag', id: found.id, label: found.title, dossierId: found.dossierId }));
      return c.json(history, 200, noStore);
    },
  )
  .openapi(
    createRoute({
      method: 'get', path: '/hulpvragen', tags: ['Hulpvragen'], summary: 'Hulpvragen across the dossiers you may see, newest first (staff)', operationId: 'searchHulpvragen',
      middleware: [authenticate({ combined: hotStaffList }), authorize('hulpvraag.list')] as const, security: bearerSecurity,
      request: { query: StaffListParams },
      responses: { ...queryResponses, 200: json(pageOf(HulpvraagListItem, 'HulpvraagListPage'), 'A page of hulpvragen'), ...authResponses, 403: problem('Not for your role') },
    }),
    async (c) => {
      const { mine, ...query } = c.req.valid('query');
      const { db } = c.var.deps;
      // One prepared statement per role and filter (staff-list.ts), with a session together with its
      // check; the body comes out of PostgreSQL as JSON text.
      const { body, total } = hotStaffList.resultOf(c) ?? (await searchHulpvragen(db, c.var.principal, { ...query, mine: mine === 'true' }));
      await recordAudit(db, { ...auditContext(c), action: 'hulpvragen.search', outcome: 'success', subjectType: 'hulpvragen', detail: { status: query.status ?? null, mine: mine === 'true', total } });
      return c.body(body, 200, { ...noStore, 'Content-Type': 'application/json' }) as never;
    },
  );
