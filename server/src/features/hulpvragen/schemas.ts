import { z } from '@hono/zod-openapi';
import { isoDate, multiLine, singleLine } from '../dossiers/schemas.ts';

export const Attachment = z
  .object({
    id: z.uuid(),
    hulpvraagId: z.uuid().nullable().openapi({ description: 'The hulpvraag it belongs to (null when it belongs to an Aanpak, TLV or Overlegronde item)' }),
    entryId: z.uuid().nullable().openapi({ description: 'The Aanpak, TLV or Overlegronde item it belongs to (null for a hulpvraag)' }),
    filename: z.string(),
    contentType: z.string().openapi({ example: 'application/pdf' }),
    size: z.number().int(),
    sha256: z.string().openapi({ example: 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855' }),
    createdAt: z.string().openapi({ format: 'date-time' }),
  })
  .openapi('Attachment');

export const HulpvraagSummary = z
  .object({ id: z.uuid(), date: z.string(), title: z.string(), status: z.string(), attachmentCount: z.number().int(), visibleToParents: z.boolean() })
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
    visibleToParents: z.boolean(),
    attachments: z.array(Attachment),
    anonymised: z.boolean().openapi({ description: 'Geanonimiseerd (itself or with its dossier): read-only for good' }),
  })
  .openapi('Hulpvraag');

const fields = {
  title: singleLine(200).min(1),
  date: isoDate,
  description: multiLine(20_000),
  status: singleLine(50).min(1).openapi({ example: 'in behandeling' }),
  coordinatorId: z.uuid().nullable(),
  labels: z.array(singleLine(50).min(1)).max(20),
  visibleToParents: z.boolean().openapi({ description: 'Zichtbaar voor ouders (default true)' }),
};

export const HulpvraagCreate = z
  .object({ ...fields, date: fields.date.optional(), description: fields.description.optional(), status: fields.status.optional(), coordinatorId: fields.coordinatorId.optional(), labels: fields.labels.optional(), visibleToParents: fields.visibleToParents.optional() })
  .openapi('HulpvraagCreate');

export const HulpvraagPatch = z
  .object({ ...fields, statusNote: multiLine(2000).trim().optional() })
  .partial()
  .refine((v) => Object.keys(v).some((k) => k !== 'statusNote'), 'give at least one field')
  .openapi('HulpvraagPatch');

export type Attachment = z.infer<typeof Attachment>;
export type HulpvraagSummary = z.infer<typeof HulpvraagSummary>;
export type Hulpvraag = z.infer<typeof Hulpvraag>;
export type HulpvraagCreate = z.infer<typeof HulpvraagCreate>;
export type HulpvraagPatch = z.infer<typeof HulpvraagPatch>;

export const HulpvraagListItem = z
  .object({
    id: z.uuid(), date: z.string(), title: z.string(), status: z.string(),
    dossier: z.object({ id: z.uuid(), firstName: z.string(), lastName: z.string() }),
    coordinator: z.object({ id: z.uuid(), displayName: z.string() }).nullable(),
  })
  .openapi('HulpvraagListItem');

export const StatusChange = z
  .object({
    at: z.string().openapi({ format: 'date-time' }),
    by: z.object({ id: z.uuid(), displayName: z.string() }).nullable(),
    from: z.string().nullable(),
    to: z.string(),
    note: z.string().nullable(),
    kind: z.enum(['status', 'coordinator', 'description', 'mail']).openapi({ description: 'What changed: the status, or (by a rule) the coordinator, the description, or a mail sent' }),
    automatic: z.boolean().openapi({ description: 'Made by an automation rule' }),
    rule: z.object({ id: z.uuid().nullable().openapi({ description: 'Null when the rule was deleted since' }), name: z.string() }).nullable(),
  })
  .openapi('StatusChange');
