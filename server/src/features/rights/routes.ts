import { createRoute } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { authResponses, bearerSecurity, IdParam, json, problem } from '../../lib/openapi.ts';
import { createRouter } from '../../lib/router.ts';
import { csvDocument, csvHeaders } from '../../lib/csv.ts';
import { AppError } from '../../lib/errors.ts';
import { authenticate, authorize, findVisibleDossier, loadVisible, type AuthEnv } from '../../authz/index.ts';
import { auditContext, recordAudit } from '../audit/service.ts';
import { DossierRights, UserRights } from './schemas.ts';
import { dossierRights, reasonOf, roleName, userRights } from './service.ts';

const csvResponse = {
  description: 'The same as CSV for a spreadsheet (UTF-8 with BOM, `;`-separated, RFC 4180 quoting)',
  content: { 'text/csv': { schema: { type: 'string' as const } } },
};
const dossierErrors = { ...authResponses, 404: problem('No such dossier, or not visible to you') };
const userErrors = { ...authResponses, 404: problem('No such account, or not yours to see') };

async function rightsOfDossier(c: Context<AuthEnv>, action: string) {
  const dossier = await loadVisible(c, findVisibleDossier, c.req.param('id') ?? '', { action, subjectType: 'dossier' });
  const { db, clock } = c.var.deps;
  const rights = (await dossierRights(db, c.var.principal.organisationId, dossier.id, clock.now()))!;
  await recordAudit(db, { ...auditContext(c), action, outcome: 'success', subjectType: 'dossier', subjectId: dossier.id, subjectLabel: dossier.label, dossierId: dossier.id, detail: { principals: rights.items.length } });
  return rights;
}

async function rightsOfUser(c: Context<AuthEnv>, action: string) {
  const id = c.req.param('id') ?? '';
  const { db } = c.var.deps;
  const rights = await userRights(db, c.var.principal, id);
  if (!rights) {
    await recordAudit(db, { ...auditContext(c), action, outcome: 'denied', subjectType: 'user', subjectId: id.slice(0, 100) });
    throw new AppError('not_found', 'No account with this id.');
  }
  await recordAudit(db, { ...auditContext(c), action, outcome: 'success', subjectType: 'user', subjectId: rights.user.id, subjectLabel: rights.user.displayName, detail: { dossiers: rights.dossierCount } });
  return rights;
}

export const rightsRoutes = createRouter()
  .openapi(
    createRoute({
      method: 'get', path: '/dossiers/{id}/rights', tags: ['Audit'], operationId: 'getDossierRights', summary: 'Who can see this dossier, and why (admins; tokens with audit:read)',
      middleware: [authenticate(), authorize('audit.read')] as const, security: bearerSecurity, request: { params: IdParam },
      responses: { 200: json(DossierRights, 'Every account and API token that can see the dossier now'), ...dossierErrors },
    }),
    async (c) => c.json(await rightsOfDossier(c, 'rights.dossier.read'), 200, { 'Cache-Control': 'no-store' }),
  )
  .openapi(
    createRoute({
      method: 'get', path: '/dossiers/{id}/rights/export', tags: ['Audit'], operationId: 'exportDossierRights', summary: 'Who can see this dossier, as CSV',
      middleware: [authenticate(), authorize('audit.read')] as const, security: bearerSecurity, request: { params: IdParam },
      responses: { 200: csvResponse, ...dossierErrors },
    }),
    async (c) => {
      const rights = await rightsOfDossier(c, 'rights.dossier.export');
      const rows = rights.items.map((r) => [r.kind === 'token' ? 'API-token' : 'account', r.displayName, roleName(r.role), reasonOf(r), r.school ? `${r.school.name} (${r.school.brin})` : '', r.scopes?.join(', ') ?? '', r.onlyShared ? 'ja' : 'nee', r.id]);
      const csv = csvDocument(['Soort', 'Naam', 'Rol', 'Waarom', 'School', 'Scopes', 'Alleen gedeelde items', 'Id'], rows);
      return c.body(csv, 200, csvHeaders(`rechten-dossier-${rights.dossier.id.slice(0, 8)}.csv`));
    },
  )
  .openapi(
    createRoute({
      method: 'get', path: '/users/{id}/rights', tags: ['Audit'], operationId: 'getUserRights', summary: 'What this account can see and do, and why (admins; tokens with audit:read)',
      middleware: [authenticate(), authorize('audit.read')] as const, security: bearerSecurity, request: { params: IdParam },
      responses: { 200: json(UserRights, 'The account, its grant, the dossiers it sees and the actions its role may take'), ...userErrors },
    }),
    async (c) => c.json(await rightsOfUser(c, 'rights.user.read'), 200, { 'Cache-Control': 'no-store' }),
  )
  .openapi(
    createRoute({
      method: 'get', path: '/users/{id}/rights/export', tags: ['Audit'], operationId: 'exportUserRights', summary: 'What this account can see, as CSV (one line per dossier)',
      middleware: [authenticate(), authorize('audit.read')] as const, security: bearerSecurity, request: { params: IdParam },
      responses: { 200: csvResponse, ...userErrors },
    }),
    async (c) => {
      const r = await rightsOfUser(c, 'rights.user.export');
      const why = reasonOf({ grant: r.grant, role: r.user.role, school: null, scopes: null });
      const rows = r.grant === 'organisation'
        ? [['', `alle dossiers van de organisatie (${r.dossierCount})`, '', '', why]]
        : r.dossiers.map((d) => [d.id, d.name, d.birthDate, `${d.school.name} (${d.school.brin})`, r.grant === 'school' ? reasonOf({ grant: 'school', role: r.user.role, school: d.school, scopes: null }) : why]);
      const csv = csvDocument(['Dossier-id', 'Kind', 'Geboortedatum', 'School', 'Waarom'], rows);
      return c.body(csv, 200, csvHeaders(`rechten-${r.user.username.replace(/[^a-z0-9._-]/gi, '_')}.csv`));
    },
  );
