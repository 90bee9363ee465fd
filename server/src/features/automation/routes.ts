import { createRoute, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { IdParam, authResponses, bodyResponses, bearerSecurity, json, jsonBody, problem } from '../../lib/openapi.ts';
import { createRouter } from '../../lib/router.ts';
import { auditContext, recordAudit } from '../audit/service.ts';
import { authenticate, authorize, type AuthEnv } from '../../authz/index.ts';
import { AutomationRule, AutomationRuleCreate, AutomationRulePatch } from './schemas.ts';
import { createRule, deleteRule, listRules, updateRule } from './service.ts';

const noStore = { 'Cache-Control': 'no-store' };
const adminErrors = { ...authResponses, 403: problem('Only admins keep the automation rules') };
const itemErrors = { ...adminErrors, 404: problem('No such rule in your organisation') };

const audited = (c: Context<AuthEnv>, action: string, rule: { id: string; name: string }, detail?: Record<string, unknown>) => ({
  ...auditContext(c), action, outcome: 'success' as const, subjectType: 'automation_rule', subjectId: rule.id, subjectLabel: rule.name, ...(detail ? { detail } : {}),
});

/** Beheer → Automatisering: the organisation's rules, in the order they run (admins). */
export const automationRoutes = createRouter()
  .openapi(
    createRoute({
      method: 'get', path: '/automation-rules', tags: ['Workflow'], operationId: 'listAutomationRules', summary: "The organisation's automation rules, in order (admin)",
      middleware: [authenticate(), authorize('workflow.manage')] as const, security: bearerSecurity,
      responses: { 200: json(z.array(AutomationRule), 'The rules, first first'), ...adminErrors },
    }),
    async (c) => c.json(await listRules(c.var.deps.db, c.var.principal.organisationId), 200, noStore),
  )
  .openapi(
    createRoute({
      method: 'post', path: '/automation-rules', tags: ['Workflow'], operationId: 'createAutomationRule', summary: 'Add a rule (admin)',
      middleware: [authenticate(), authorize('workflow.manage')] as const, security: bearerSecurity,
      request: { body: jsonBody(AutomationRuleCreate) },
      responses: { ...bodyResponses, 201: json(AutomationRule, 'The new rule'), 400: problem('validation_failed: a field its kind needs is missing, or names what your organisation does not have'), ...adminErrors },
    }),
    async (c) => {
      const { db, clock } = c.var.deps;
      const orgId = c.var.principal.organisationId;
      const created = await db.transaction(async (tx) => {
        const row = await createRule(tx, orgId, c.req.valid('json'), clock.now());
        await recordAudit(tx, audited(c, 'automation_rule.create', row, { kind: row.kind }));
        return (await listRules(tx, orgId)).find((r) => r.id === row.id)!;
      });
      return c.json(created, 201, noStore);
    },
  )
  .openapi(
    createRoute({
      method: 'patch', path: '/automation-rules/{id}', tags: ['Workflow'], operationId: 'updateAutomationRule', summary: 'Change, move, enable or disable a rule (admin)',
      middleware: [authenticate(), authorize('workflow.manage')] as const, security: bearerSecurity,
      request: { params: IdParam, body: jsonBody(AutomationRulePatch) },
      responses: { ...bodyResponses, 200: json(AutomationRule, 'The rule'), 400: problem('validation_failed'), ...itemErrors },
    }),
    async (c) => {
      const { db, clock } = c.var.deps;
      const orgId = c.var.principal.organisationId;
      const updated = await db.transaction(async (tx) => {
        const row = await updateRule(tx, orgId, c.req.valid('param').id, c.req.valid('json'), clock.now());
        await recordAudit(tx, audited(c, 'automation_rule.update', row, { changed: Object.keys(c.req.valid('json')) }));
        return (await listRules(tx, orgId)).find((r) => r.id === row.id)!;
      });
      return c.json(updated, 200, noStore);
    },
  )
  .openapi(
    createRoute({
      method: 'delete', path: '/automation-rules/{id}', tags: ['Workflow'], operationId: 'deleteAutomationRule', summary: 'Delete a rule; the history keeps its name (admin)',
      middleware: [authenticate(), authorize('workflow.manage')] as const, security: bearerSecurity,
      request: { params: IdParam },
      responses: { 204: { description: 'Deleted' }, ...itemErrors },
    }),
    async (c) => {
      const { db, clock } = c.var.deps;
      await db.transaction(async (tx) => {
        const row = await deleteRule(tx, c.var.principal.organisationId, c.req.valid('param').id, clock.now());
        await recordAudit(tx, audited(c, 'automation_rule.delete', row));
      });
      return c.body(null, 204);
    },
  );
