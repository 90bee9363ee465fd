import { createRoute } from '@hono/zod-openapi';
import { authenticate, authorize } from '../../authz/index.ts';
import { authResponses, bearerSecurity, bodyResponses, json, jsonBody, problem, queryResponses } from '../../lib/openapi.ts';
import { createRouter } from '../../lib/router.ts';
import { auditContext, recordAudit } from '../audit/service.ts';
import { DeactivatedSleeping, DeactivateSleeping, SleepingPage, SleepingQuery, SleepingSettings } from './schemas.ts';
import { deactivateSleeping, getSleepingSettings, listSleeping, setSleepingSettings } from './service.ts';

const noStore = { 'Cache-Control': 'no-store' };
const errors = { ...authResponses, 403: problem('Not for your role (forbidden), or a token without the scope (insufficient_scope)') };
const adminErrors = { ...authResponses, 403: problem('Only admins set how sleeping accounts are handled') };

/** Slapende accounts: accounts without a login for N months, listed and deactivated in one step; the organisation's setting. */
export const sleepingRoutes = createRouter()
  .openapi(
    createRoute({
      method: 'get', path: '/sleeping-accounts', tags: ['Staff'], security: bearerSecurity,
      middleware: [authenticate(), authorize('user.list')] as const,
      operationId: 'listSleepingAccounts',
      summary: 'Accounts without a login for the organisation’s number of months (never logged in: counted from the invitation), longest asleep first',
      request: { query: SleepingQuery },
      responses: { ...queryResponses, 200: json(SleepingPage, 'A page of sleeping accounts'), ...errors },
    }),
    async (c) => {
      const query = c.req.valid('query');
      const { db, clock } = c.var.deps;
      const result = await listSleeping(db, c.var.principal, query, clock.now());
      await recordAudit(db, {
        ...auditContext(c), action: 'sleeping_accounts.list', outcome: 'success', subjectType: 'users',
        detail: { role: query.role ?? null, school: query.school ?? null, q: query.q ?? null, months: result.months, page: result.page, total: result.total, ids: result.items.map((u) => u.id) },
      });
      return c.json(result, 200, noStore);
    },
  )
  .openapi(
    createRoute({
      method: 'post', path: '/sleeping-accounts/deactivate', tags: ['Staff'], security: bearerSecurity,
      middleware: [authenticate(), authorize('user.deactivateSleeping')] as const,
      operationId: 'deactivateSleepingAccounts',
      summary: 'Deactivate sleeping accounts in one step: the listed ids, or all: true for every sleeping account you manage; sessions end, each is audited',
      request: { body: jsonBody(DeactivateSleeping) },
      responses: { ...bodyResponses, 200: json(DeactivatedSleeping, 'How many were deactivated and skipped'), ...errors, 404: problem('One of the ids is unknown or not yours to manage (nothing was changed)') },
    }),
    async (c) => {
      const { db, clock } = c.var.deps;
      const result = await deactivateSleeping(db, c.var.principal, c.req.valid('json'), { now: clock.now(), audit: auditContext(c) });
      return c.json(result, 200);
    },
  )
  .openapi(
    createRoute({
      method: 'get', path: '/sleeping-accounts/settings', tags: ['Staff'], security: bearerSecurity,
      middleware: [authenticate(), authorize('sleeping.manage')] as const,
      operationId: 'getSleepingAccountSettings',
      summary: 'Whether the daily job warns and deactivates sleeping accounts, and after how many months (admin)',
      responses: { 200: json(SleepingSettings, 'The setting (off and 12 months until an admin sets it)'), ...adminErrors },
    }),
    async (c) => c.json(await getSleepingSettings(c.var.deps.db, c.var.principal.organisationId), 200, noStore),
  )
  .openapi(
    createRoute({
      method: 'put', path: '/sleeping-accounts/settings', tags: ['Staff'], security: bearerSecurity,
      middleware: [authenticate(), authorize('sleeping.manage')] as const,
      operationId: 'updateSleepingAccountSettings',
      summary: 'Turn the daily job on or off and set the months without a login (1–120) (admin)',
      request: { body: jsonBody(SleepingSettings) },
      responses: { ...bodyResponses, 200: json(SleepingSettings, 'The setting as saved'), ...adminErrors },
    }),
    async (c) => {
      const { db, clock } = c.var.deps;
      const input = c.req.valid('json');
      const saved = await db.transaction(async (tx) => {
        const before = await getSleepingSettings(tx, c.var.principal.organisationId);
        const after = await setSleepingSettings(tx, c.var.principal.organisationId, input, clock.now());
        await recordAudit(tx, { ...auditContext(c), action: 'sleeping_settings.update', outcome: 'success', subjectType: 'organisation', subjectId: c.var.principal.organisationId, detail: { before, after } });
        return after;
      });
      return c.json(saved, 200, noStore);
    },
  );
