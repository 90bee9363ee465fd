import { z } from '@hono/zod-openapi';

export const Attachment = z
  .object({
    id: z.uuid(),
    hulpvraagId: z.uuid(),
    filename: z.string(),
    contentType: z.string().openapi({ example: 'application/pdf' }),
    size: z.number().int(),
    sha256: z.string().openapi({ example: 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855' }),
    createdAt: z.string().openapi({ format: 'date-time' }),
  })
  .openapi('Attachment');

export const HulpvraagSummary = z
  .object({ id: z.uuid(), date: z.string(), title: z.string(), status: z.string(), attachmentCount: z.number().int() })
  .openapi('HulpvraagSummary');

export const Hulpvraag = z
  .object({
    id: z.uuid(),
    dossierId: z.uuid(),
    date: z.string().openapi({ example: '2020-06-12' }),
    title: z.string(),
    status: z.string().openapi({ example: 'aanmelding' }),
    description: z.string(),
    coordinator: z.object({ id: z.uuid(), displayName: z.string() }).nullable(),
    labels: z.array(z.string()),
    attachments: z.array(Attachment),
  })
  .openapi('Hulpvraag');

const fields = {
  title: z.string().trim().min(1).max(200),
  date: z.iso.date(),
  description: z.string().max(20_000),
  status: z.string().trim().min(1).max(50).openapi({ example: 'in behandeling' }),
  coordinatorId: z.uuid().nullable(),
  labels: z.array(z.string().trim().min(1).max(50)).max(20),
};

export const HulpvraagCreate = z
  .object({ ...fields, date: fields.date.optional(), description: fields.description.optional(), status: fields.status.optional(), coordinatorId: fields.coordinatorId.optional(), labels: fields.labels.optional() })
  .openapi('HulpvraagCreate');

export const HulpvraagPatch = z
  .object({ ...fields, statusNote: z.string().trim().max(2000).optional() })
  .partial()
  .refine((v) => Object.keys(v).some((k) => k !== 'statusNote'), 'give at least one field')
  .openapi('HulpvraagPatch');

export type HulpvraagCreate = z.infer<typeof HulpvraagCreate>;
export type HulpvraagPatch = z.infer<typeof HulpvraagPatch>;
