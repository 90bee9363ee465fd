import { createRoute, z } from '@hono/zod-openapi';
import { IdParam, authResponses, bodyResponses, bearerSecurity, json, jsonBody, problem } from '../../lib/openapi.ts';
import { createRouter } from '../../lib/router.ts';
import { auditContext, recordAudit } from '../audit/service.ts';
import { authenticate, authorize } from '../../authz/index.ts';
import { HulpvraagStatus, HulpvraagStatusCreate, HulpvraagStatusPatch } from './schemas.ts';
import { createStatus, deleteStatus, listStatuses, updateStatus } from './service.ts';

const noStore = { 'Cache-Control': 'no-store' };
const adminErrors = { ...authResponses, 403: problem('Only admins keep the list of statuses') };
const itemErrors = { ...adminErrors, 404: problem('No such status in your organisation') };

/** Beheer → Statussen: the organisation's hulpvraag statuses (staff read them; admins keep them). */
export const statusRoutes = createRouter()
  .openapi(
    createRoute({
      method: 'get', path: '/hulpvraag-statuses', tags: ['Workflow'], operationId: 'listHulpvraagStatuses', summary: "The organisation's hulpvraag statuses, in order (staff)",
      middleware: [authenticate(), authorize('status.read')] as const, security: bearerSecurity,
      responses: { 200: json(z.array(HulpvraagStatus), 'The statuses, first first'), ...authResponses, 403: problem('Not for your role') },
    }),
    async (c) => c.json(await listStatuses(c.var.deps.db, c.var.principal.organisationId), 200, noStore),
  )
  .openapi(
    createRoute({
      method: 'post', path: '/hulpvraag-statuses', tags: ['Workflow'], operationId: 'createHulpvraagStatus', summary: 'Add a status (admin)',
      middleware: [authenticate(), authorize('workflow.manage')] as const, security: bearerSecurity,
      request: { body: jsonBody(HulpvraagStatusCreate) },
      responses: { ...bodyResponses, 201: json(HulpvraagStatus, 'The new status'), 400: problem('validation_failed: invalid, or the name exists'), ...adminErrors },
    }),
    async (c) => {
      const { db, clock } = c.var.deps;
      const orgId = c.var.principal.organisationId;
      const created = await db.transaction(async (tx) => {
        const row = await createStatus(tx, orgId, c.req.valid('json'), clock.now());
        await recordAudit(tx, { ...auditContext(c), action: 'status.create', outcome: 'success', subjectType: 'status', subjectId: row.id, subjectLabel: row.name, detail: { position: row.position, closes: row.closes } });
        return (await listStatuses(tx, orgId)).find((s) => s.id === row.id)!;
      });
      return c.json(created, 201, noStore);
    },
  )
  .openapi(
    createRoute({
      method: 'patch', path: '/hulpvraag-statuses/{id}', tags: ['Workflow'], operationId: 'updateHulpvraagStatus', summary: 'Rename, move or change a status; hulpvragen and rules follow a rename (admin)',
      middleware: [authenticate(), authorize('workflow.manage')] as const, security: bearerSecurity,
      request: { params: IdParam, body: jsonBody(HulpvraagStatusPatch) },
      responses: { ...bodyResponses, 200: json(HulpvraagStatus, 'The status'), 400: problem('validation_failed'), ...itemErrors },
    }),
    async (c) => {
      const { db, clock } = c.var.deps;
      const orgId = c.var.principal.organisationId;
      const updated = await db.transaction(async (tx) => {
        const { before, after } = await updateStatus(tx, orgId, c.req.valid('param').id, c.req.valid('json'), clock.now());
        await recordAudit(tx, {
          ...auditContext(c), action: 'status.update', outcome: 'success', subjectType: 'status', subjectId: after.id, subjectLabel: after.name,
          detail: { before: { name: before.name, position: before.position, closes: before.closes }, after: { name: after.name, position: after.position, closes: after.closes } },
        });
        return (await listStatuses(tx, orgId)).find((s) => s.id === after.id)!;
      });
      return c.json(updated, 200, noStore);
    },
  )
  .openapi(
    createRoute({
      method: 'delete', path: '/hulpvraag-statuses/{id}', tags: ['Workflow'], operationId: 'deleteHulpvraagStatus', summary: 'Delete a status no hulpvraag or rule uses (admin)',
      middleware: [authenticate(), authorize('workflow.manage')] as const, security: bearerSecurity,
      request: { params: IdParam },
      responses: { 204: { description: 'Deleted' }, 409: problem('conflict: still in use, or the last status'), ...itemErrors },
    }),
    async (c) => {
      const { db, clock } = c.var.deps;
      await db.transaction(async (tx) => {
        const row = await deleteStatus(tx, c.var.principal.organisationId, c.req.valid('param').id, clock.now());
        await recordAudit(tx, { ...auditContext(c), action: 'status.delete', outcome: 'success', subjectType: 'status', subjectId: row.id, subjectLabel: row.name });
      });
      return c.body(null, 204);
    },
  );
