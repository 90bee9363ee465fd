import { createRoute, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { AppError } from '../../lib/errors.ts';
import { IdParam, PageQuery, authResponses, bearerSecurity, isUuid, json, jsonBody, pageOf, problem, bodyResponses, queryResponses } from '../../lib/openapi.ts';
import { createRouter } from '../../lib/router.ts';
import { auditContext, recordAudit } from '../audit/service.ts';
import { authenticate, authorize, findVisibleDossier, loadVisible, mayUseSchool, refuse, refuseIfAnonymised, type AuthEnv } from '../../authz/index.ts';
import { Dossier, DossierCreate, DossierPatch, DossierQuery, DossierSummary, GuardianLink } from './schemas.ts';
import { createDossier, findSchoolByBrin, getDossier, linkGuardian, listDossiers, unlinkGuardian, updateDossier } from './service.ts';

const noStore = { 'Cache-Control': 'no-store' };
const GuardianParams = IdParam.extend({ userId: z.string().openapi({ param: { name: 'userId', in: 'path' }, format: 'uuid' }) });
const readResponses = { ...authResponses, 404: problem('No such dossier, or not visible to you') };
const writeResponses = { ...readResponses, 400: problem('Invalid input'), 409: problem('conflict: the dossier is anonymised') };

/** Audit entry of a successful action on a dossier, in the transaction `db` of that action. */
const audited = (c: Context<AuthEnv>, action: string, dossier: { id: string; label: string }) => ({
  ...auditContext(c),
  action,
  outcome: 'success' as const,
  subjectType: 'dossier',
  subjectId: dossier.id,
  subjectLabel: dossier.label,
  dossierId: dossier.id,
});

export const dossierRoutes = createRouter()
  .openapi(
    createRoute({
      method: 'get', path: '/dossiers', tags: ['Dossiers'], operationId: 'listDossiers', summary: 'Search the dossiers you may see',
      middleware: [authenticate(), authorize('dossier.read')] as const, security: bearerSecurity,
      request: { query: PageQuery.extend(DossierQuery.shape) },
      responses: { ...queryResponses, 200: json(pageOf(DossierSummary, 'DossierPage'), 'A page of dossiers'), ...authResponses },
    }),
    async (c) => {
      const { q, name, birthDate, school, ...page } = c.req.valid('query');
      const { db } = c.var.deps;
      const filters = { q, name, birthDate, school };
      const result = await listDossiers(db, c.var.principal, filters, page);
      await recordAudit(db, { ...auditContext(c), action: 'dossiers.search', outcome: 'success', subjectType: 'dossiers', detail: { ...filters, total: result.total, page: page.page, ids: result.items.map((d) => d.id) } });
      return c.json(result, 200, noStore);
    },
  )
  .openapi(
    createRoute({
      method: 'get', path: '/dossiers/{id}', tags: ['Dossiers'], operationId: 'getDossier', summary: 'One dossier with its guardians',
      middleware: [authenticate(), authorize('dossier.read')] as const, security: bearerSecurity,
      request: { params: IdParam },
      responses: { 200: json(Dossier, 'The dossier'), ...readResponses },
    }),
    async (c) => {
      const found = await loadVisible(c, findVisibleDossier, c.req.valid('param').id, { action: 'dossier.read', subjectType: 'dossier' });
      const { db } = c.var.deps;
      const dossier = await getDossier(db, found.id);
      await recordAudit(db, audited(c, 'dossier.read', found));
      return c.json(dossier, 200, noStore);
    },
  )
  .openapi(
    createRoute({
      method: 'post', path: '/dossiers', tags: ['Dossiers'], operationId: 'createDossier', summary: 'Create a dossier (school staff, admin)',
      middleware: [authenticate(), authorize('dossier.create')] as const, security: bearerSecurity,
      request: { body: jsonBody(DossierCreate) },
      responses: { ...bodyResponses, 201: json(Dossier, 'The new dossier'), ...authResponses },
    }),
    async (c) => {
      const input = c.req.valid('json');
      const { db } = c.var.deps;
      const school = await findSchoolByBrin(db, c.var.principal.user, input.schoolBrin);
      if (!(await mayUseSchool(db, c.var.principal, school.id))) await refuse(c, 'dossier.create', 'forbidden', { type: 'school', id: school.id }, 'You may only create dossiers at your own schools.');
      const dossier = await db.transaction(async (tx) => {
        const created = await createDossier(tx, c.var.principal.user, school.id, input);
        await recordAudit(tx, audited(c, 'dossier.create', { id: created.id, label: `${created.firstName} ${created.lastName}` }));
        return created;
      });
      return c.json(dossier, 201, noStore);
    },
  )
  .openapi(
    createRoute({
      method: 'patch', path: '/dossiers/{id}', tags: ['Dossiers'], operationId: 'updateDossier', summary: 'Edit a dossier (school staff, admin)',
      middleware: [authenticate(), authorize('dossier.update')] as const, security: bearerSecurity,
      request: { params: IdParam, body: jsonBody(DossierPatch) },
      responses: { ...bodyResponses, 200: json(Dossier, 'The dossier'), ...writeResponses },
    }),
    async (c) => {
      const found = await loadVisible(c, findVisibleDossier, c.req.valid('param').id, { action: 'dossier.update', subjectType: 'dossier' });
      await refuseIfAnonymised(c, found, 'dossier.update');
      const input = c.req.valid('json');
      const { db, clock } = c.var.deps;
      let schoolId: string | undefined;
      if (input.schoolBrin !== undefined) {
        const school = await findSchoolByBrin(db, c.var.principal.user, input.schoolBrin);
        if (!(await mayUseSchool(db, c.var.principal, school.id))) await refuse(c, 'dossier.update', 'forbidden', { type: 'dossier', id: found.id, dossierId: found.id }, 'You may only move dossiers to your own schools.');
        schoolId = school.id;
      }
      const dossier = await db.transaction(async (tx) => {
        const updated = await updateDossier(tx, found.id, schoolId, input, clock.now());
        await recordAudit(tx, audited(c, 'dossier.update', found));
        return updated;
      });
      return c.json(dossier, 200, noStore);
    },
  )
  .openapi(
    createRoute({
      method: 'post', path: '/dossiers/{id}/guardians', tags: ['Dossiers'], operationId: 'linkGuardian', summary: 'Link a parent as guardian (school staff, admin)',
      middleware: [authenticate(), authorize('guardian.link')] as const, security: bearerSecurity,
      request: { params: IdParam, body: jsonBody(GuardianLink) },
      responses: { ...bodyResponses, 204: { description: 'Linked' }, ...writeResponses },
    }),
    async (c) => {
      const found = await loadVisible(c, findVisibleDossier, c.req.valid('param').id, { action: 'guardian.link', subjectType: 'dossier' });
      await refuseIfAnonymised(c, found, 'guardian.link');
      const { userId } = c.req.valid('json');
      await c.var.deps.db
        .transaction(async (tx) => {
          await linkGuardian(tx, c.var.principal, found.id, userId);
          await recordAudit(tx, { ...audited(c, 'guardian.link', found), detail: { userId } });
        })
        .catch(async (err) => {
          // A parent the caller may not link: recorded as a refusal, answered 404 like an unknown one.
          if (err instanceof AppError && err.code === 'not_found') await recordAudit(c.var.deps.db, { ...audited(c, 'guardian.link', found), outcome: 'denied', detail: { userId } });
          throw err;
        });
      return c.body(null, 204);
    },
  )
  .openapi(
    createRoute({
      method: 'delete', path: '/dossiers/{id}/guardians/{userId}', tags: ['Dossiers'], operationId: 'unlinkGuardian', summary: 'Unlink a guardian (school staff, admin); effective at once',
      middleware: [authenticate(), authorize('guardian.unlink')] as const, security: bearerSecurity,
      request: { params: GuardianParams },
      responses: { 204: { description: 'Unlinked' }, ...writeResponses },
    }),
    async (c) => {
      const { id, userId } = c.req.valid('param');
      const found = await loadVisible(c, findVisibleDossier, id, { action: 'guardian.unlink', subjectType: 'dossier' });
      if (!isUuid(userId)) throw new AppError('not_found', 'This parent is not linked to the dossier.');
      await c.var.deps.db.transaction(async (tx) => {
        await unlinkGuardian(tx, found.id, userId);
        await recordAudit(tx, { ...audited(c, 'guardian.unlink', found), detail: { userId } });
      });
      return c.body(null, 204);
    },
  );
