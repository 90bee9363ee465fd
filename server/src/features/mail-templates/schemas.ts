import { z } from '@hono/zod-openapi';
import { multiLine, singleLine } from '../dossiers/schemas.ts';

export const MailTemplate = z
  .object({ id: z.uuid(), name: z.string(), subject: z.string(), body: z.string(), usedBy: z.number().int().openapi({ description: 'How many automation rules send it' }) })
  .openapi('MailTemplate');

const fields = {
  name: singleLine(100).min(1),
  subject: singleLine(200).min(1).openapi({ example: 'Nieuws over de hulpvraag van {kind}' }),
  body: multiLine(10_000).trim().min(1).openapi({ example: 'De hulpvraag van {kind} heeft nu de status {status}. Kijk in Kindkans: {link}' }),
};

export const MailTemplateCreate = z.object(fields).openapi('MailTemplateCreate');
export const MailTemplatePatch = z.object(fields).partial().refine((v) => Object.keys(v).length > 0, 'give at least one field').openapi('MailTemplatePatch');
export const MailPreviewRequest = z.object({ subject: fields.subject, body: fields.body }).openapi('MailPreviewRequest');
export const MailPreview = z.object({ subject: z.string(), text: z.string(), html: z.string() }).openapi('MailPreview');

export const MailSettings = z
  .object({
    closing: z.string().openapi({ description: 'Afsluitende tekst under every workflow mail' }),
    placeholders: z.array(z.object({ name: z.string().openapi({ example: 'kind' }), description: z.string() })),
  })
  .openapi('MailSettings');
export const MailSettingsUpdate = z.object({ closing: multiLine(2000).trim() }).openapi('MailSettingsUpdate');

export type MailTemplateCreate = z.infer<typeof MailTemplateCreate>;
export type MailTemplatePatch = z.infer<typeof MailTemplatePatch>;
