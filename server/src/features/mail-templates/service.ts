import { and, asc, eq, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.ts';
import { automationRules, mailTemplates, organisations } from '../../db/schema/index.ts';
import { AppError } from '../../lib/errors.ts';
import { isUuid } from '../../lib/openapi.ts';
import { renderMail } from '../../mail/templates.ts';
import { exampleValues, fillPlaceholders, placeholders, unknownPlaceholders, type PlaceholderValues } from './placeholders.ts';
import type { MailTemplateCreate, MailTemplatePatch } from './schemas.ts';

type Row = typeof mailTemplates.$inferSelect;

/** 400 validation_failed when a field holds `{names}` that are not placeholders; each error lists them in `unknownPlaceholders` (for forms that mark them). */
function checkPlaceholders(fields: Record<string, string | undefined>) {
  const errors = Object.entries(fields).flatMap(([path, text]) => {
    const unknown = text ? unknownPlaceholders(text) : [];
    return unknown.length ? [{ path, message: `unknown placeholders ${unknown.map((u) => `{${u}}`).join(', ')}; use ${Object.keys(placeholders).map((p) => `{${p}}`).join(', ')}`, unknownPlaceholders: unknown }] : [];
  });
  if (errors.length) throw new AppError('validation_failed', errors.map((e) => `${e.path}: ${e.message}`).join('; '), { errors });
}

export async function listTemplates(db: DbOrTx, organisationId: string) {
  const rows = await db.select({
    id: mailTemplates.id, name: mailTemplates.name, subject: mailTemplates.subject, body: mailTemplates.body,
    usedBy: sql<number>`(select count(*)::int from automation_rules r where r.mail_template_id = "mail_templates"."id")`,
  }).from(mailTemplates).where(eq(mailTemplates.organisationId, organisationId)).orderBy(asc(mailTemplates.name));
  return rows.map((r) => ({ ...r, usedBy: Number(r.usedBy) }));
}

async function findOwn(db: DbOrTx, organisationId: string, id: string): Promise<Row> {
  const [row] = isUuid(id) ? await db.select().from(mailTemplates).where(and(eq(mailTemplates.id, id), eq(mailTemplates.organisationId, organisationId))).for('update') : [];
  if (!row) throw new AppError('not_found', 'No mail template with this id in your organisation.');
  return row;
}

async function checkName(db: DbOrTx, organisationId: string, name: string, except?: string) {
  const [clash] = await db.select({ id: mailTemplates.id }).from(mailTemplates).where(and(eq(mailTemplates.organisationId, organisationId), eq(mailTemplates.name, name))).limit(1);
  if (clash && clash.id !== except) throw new AppError('validation_failed', `name: your organisation already has a mail template "${name}".`, { errors: [{ path: 'name', message: 'already exists' }] });
}

export async function createTemplate(db: DbOrTx, organisationId: string, input: MailTemplateCreate, now: Date): Promise<Row> {
  checkPlaceholders({ subject: input.subject, body: input.body });
  await checkName(db, organisationId, input.name);
  const [row] = await db.insert(mailTemplates).values({ ...input, organisationId, createdAt: now, updatedAt: now }).returning();
  return row!;
}

export async function updateTemplate(db: DbOrTx, organisationId: string, id: string, input: MailTemplatePatch, now: Date): Promise<Row> {
  await findOwn(db, organisationId, id);
  checkPlaceholders({ subject: input.subject, body: input.body });
  if (input.name !== undefined) await checkName(db, organisationId, input.name, id);
  const [row] = await db.update(mailTemplates).set({ ...input, updatedAt: now }).where(eq(mailTemplates.id, id)).returning();
  return row!;
}

/** Deletes a template no rule sends (409 otherwise). */
export async function deleteTemplate(db: DbOrTx, organisationId: string, id: string): Promise<Row> {
  const row = await findOwn(db, organisationId, id);
  const [rule] = await db.select({ name: automationRules.name }).from(automationRules).where(eq(automationRules.mailTemplateId, id)).limit(1);
  if (rule) throw new AppError('conflict', `The mail template "${row.name}" is sent by the automation rule "${rule.name}": change or delete that rule first.`);
  await db.delete(mailTemplates).where(eq(mailTemplates.id, id));
  return row;
}

export async function getClosing(db: DbOrTx, organisationId: string): Promise<{ closing: string; label: string }> {
  const [org] = await db.select({ closing: organisations.mailClosing, code: organisations.code, name: organisations.name }).from(organisations).where(eq(organisations.id, organisationId));
  return { closing: org?.closing ?? '', label: org ? `${org.code} ${org.name}` : '' };
}

export async function setClosing(db: DbOrTx, organisationId: string, closing: string) {
  checkPlaceholders({ closing });
  await db.update(organisations).set({ mailClosing: closing }).where(eq(organisations.id, organisationId));
}

export const placeholderList = () => Object.entries(placeholders).map(([name, description]) => ({ name, description }));

/** The mail as a recipient would get it, with example values and the organisation's closing text. */
export async function previewMail(db: DbOrTx, organisationId: string, input: { subject: string; body: string }) {
  checkPlaceholders({ subject: input.subject, body: input.body });
  const { closing, label } = await getClosing(db, organisationId);
  const values: PlaceholderValues = { ...exampleValues, organisatie: label };
  const message = renderMail('voorbeeld@example.org', {
    template: 'workflow', organisation: label, subject: fillPlaceholders(input.subject, values), body: fillPlaceholders(input.body, values), closing: fillPlaceholders(closing, values),
  });
  return { subject: message.subject, text: message.text, html: message.html };
}
