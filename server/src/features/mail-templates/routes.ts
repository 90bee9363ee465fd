import { createRoute, z } from '@hono/zod-openapi';
import { IdParam, authResponses, bodyResponses, bearerSecurity, json, jsonBody, problem } from '../../lib/openapi.ts';
import { createRouter } from '../../lib/router.ts';
import { auditContext, recordAudit } from '../audit/service.ts';
import { authenticate, authorize } from '../../authz/index.ts';
import { MailPreview, MailPreviewRequest, MailSettings, MailSettingsUpdate, MailTemplate, MailTemplateCreate, MailTemplatePatch } from './schemas.ts';
import { createTemplate, deleteTemplate, getClosing, listTemplates, placeholderList, previewMail, setClosing, updateTemplate } from './service.ts';

const noStore = { 'Cache-Control': 'no-store' };
const adminErrors = { ...authResponses, 403: problem('Only admins keep the mail templates') };
const itemErrors = { ...adminErrors, 404: problem('No such mail template in your organisation') };
const invalid = problem('validation_failed: invalid input, or unknown placeholders');

/** Beheer → Mailsjablonen: the organisation's workflow mails and closing text (admins). */
export const mailTemplateRoutes = createRouter()
  .openapi(
    createRoute({
      method: 'get', path: '/mail-templates', tags: ['Workflow'], operationId: 'listMailTemplates', summary: "The organisation's mail templates (admin)",
      middleware: [authenticate(), authorize('workflow.manage')] as const, security: bearerSecurity,
      responses: { 200: json(z.array(MailTemplate), 'By name'), ...adminErrors },
    }),
    async (c) => c.json(await listTemplates(c.var.deps.db, c.var.principal.organisationId), 200, noStore),
  )
  .openapi(
    createRoute({
      method: 'post', path: '/mail-templates', tags: ['Workflow'], operationId: 'createMailTemplate', summary: 'Add a mail template; unknown placeholders are refused (admin)',
      middleware: [authenticate(), authorize('workflow.manage')] as const, security: bearerSecurity,
      request: { body: jsonBody(MailTemplateCreate) },
      responses: { ...bodyResponses, 201: json(MailTemplate, 'The new template'), 400: invalid, ...adminErrors },
    }),
    async (c) => {
      const { db, clock } = c.var.deps;
      const row = await db.transaction(async (tx) => {
        const created = await createTemplate(tx, c.var.principal.organisationId, c.req.valid('json'), clock.now());
        await recordAudit(tx, { ...auditContext(c), action: 'mail_template.create', outcome: 'success', subjectType: 'mail_template', subjectId: created.id, subjectLabel: created.name });
        return created;
      });
      return c.json({ id: row.id, name: row.name, subject: row.subject, body: row.body, usedBy: 0 }, 201, noStore);
    },
  )
  .openapi(
    createRoute({
      method: 'patch', path: '/mail-templates/{id}', tags: ['Workflow'], operationId: 'updateMailTemplate', summary: 'Change a mail template (admin)',
      middleware: [authenticate(), authorize('workflow.manage')] as const, security: bearerSecurity,
      request: { params: IdParam, body: jsonBody(MailTemplatePatch) },
      responses: { ...bodyResponses, 200: json(MailTemplate, 'The template'), 400: invalid, ...itemErrors },
    }),
    async (c) => {
      const { db, clock } = c.var.deps;
      const orgId = c.var.principal.organisationId;
      const updated = await db.transaction(async (tx) => {
        const row = await updateTemplate(tx, orgId, c.req.valid('param').id, c.req.valid('json'), clock.now());
        await recordAudit(tx, { ...auditContext(c), action: 'mail_template.update', outcome: 'success', subjectType: 'mail_template', subjectId: row.id, subjectLabel: row.name });
        return (await listTemplates(tx, orgId)).find((t) => t.id === row.id)!;
      });
      return c.json(updated, 200, noStore);
    },
  )
  .openapi(
    createRoute({
      method: 'delete', path: '/mail-templates/{id}', tags: ['Workflow'], operationId: 'deleteMailTemplate', summary: 'Delete a mail template no rule sends (admin)',
      middleware: [authenticate(), authorize('workflow.manage')] as const, security: bearerSecurity,
      request: { params: IdParam },
      responses: { 204: { description: 'Deleted' }, 409: problem('conflict: a rule still sends it'), ...itemErrors },
    }),
    async (c) => {
      const { db } = c.var.deps;
      await db.transaction(async (tx) => {
        const row = await deleteTemplate(tx, c.var.principal.organisationId, c.req.valid('param').id);
        await recordAudit(tx, { ...auditContext(c), action: 'mail_template.delete', outcome: 'success', subjectType: 'mail_template', subjectId: row.id, subjectLabel: row.name });
      });
      return c.body(null, 204);
    },
  )
  .openapi(
    createRoute({
      method: 'post', path: '/mail-templates/preview', tags: ['Workflow'], operationId: 'previewMailTemplate', summary: 'The mail as a recipient gets it, with example values and the closing text (admin)',
      middleware: [authenticate(), authorize('workflow.manage')] as const, security: bearerSecurity,
      request: { body: jsonBody(MailPreviewRequest) },
      responses: { ...bodyResponses, 200: json(MailPreview, 'Subject, text and HTML'), 400: invalid, ...adminErrors },
    }),
    async (c) => c.json(await previewMail(c.var.deps.db, c.var.principal.organisationId, c.req.valid('json')), 200, noStore),
  )
  .openapi(
    createRoute({
      method: 'get', path: '/mail-settings', tags: ['Workflow'], operationId: 'getMailSettings', summary: 'The closing text of every workflow mail and the placeholders templates may use (admin)',
      middleware: [authenticate(), authorize('workflow.manage')] as const, security: bearerSecurity,
      responses: { 200: json(MailSettings, 'Closing text and placeholders'), ...adminErrors },
    }),
    async (c) => c.json({ closing: (await getClosing(c.var.deps.db, c.var.principal.organisationId)).closing, placeholders: placeholderList() }, 200, noStore),
  )
  .openapi(
    createRoute({
      method: 'put', path: '/mail-settings', tags: ['Workflow'], operationId: 'updateMailSettings', summary: 'Set the closing text (Afsluitende tekst) of every workflow mail (admin)',
      middleware: [authenticate(), authorize('workflow.manage')] as const, security: bearerSecurity,
      request: { body: jsonBody(MailSettingsUpdate) },
      responses: { ...bodyResponses, 200: json(MailSettings, 'Closing text and placeholders'), 400: invalid, ...adminErrors },
    }),
    async (c) => {
      const { db } = c.var.deps;
      const { closing } = c.req.valid('json');
      await db.transaction(async (tx) => {
        await setClosing(tx, c.var.principal.organisationId, closing);
        await recordAudit(tx, { ...auditContext(c), action: 'mail_settings.update', outcome: 'success', subjectType: 'organisation', subjectId: c.var.principal.organisationId });
      });
      return c.json({ closing, placeholders: placeholderList() }, 200, noStore);
    },
  );
