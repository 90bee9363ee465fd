import { z } from '@hono/zod-openapi';
import { tlvStatuses, tlvTypes } from '../../db/schema/index.ts';
import { isoDate, multiLine, singleLine } from '../dossiers/schemas.ts';
import { Attachment } from '../hulpvragen/schemas.ts';

const base = {
  id: z.uuid(),
  dossierId: z.uuid(),
  date: z.string().openapi({ example: '2024-09-01' }),
  title: z.string(),
  body: z.string(),
  visibleToParents: z.boolean().openapi({ description: 'Zichtbaar voor ouders (default false)' }),
  author: z.object({ id: z.uuid(), displayName: z.string() }).nullable(),
  createdAt: z.string().openapi({ format: 'date-time' }),
  updatedAt: z.string().openapi({ format: 'date-time' }),
  attachments: z.array(Attachment),
};

export const AanpakItem = z.object(base).openapi('AanpakItem');
export const TlvItem = z
  .object({
    ...base,
    type: z.enum(tlvTypes).openapi({ description: 'sbo, or so-laag / so-midden / so-hoog (SO categorie)' }),
    status: z.enum(tlvStatuses),
    startDate: z.string().nullable(),
    endDate: z.string().nullable(),
    decisionDate: z.string().nullable(),
    expired: z.boolean().openapi({ description: 'The end date has passed' }),
    archivedAt: z.string().nullable().openapi({ format: 'date-time', description: 'TLV archiveren: set when archived (only admins still see it)' }),
  })
  .openapi('TlvItem');
const Invitee = z.object({ id: z.uuid(), displayName: z.string(), role: z.enum(['parent', 'school', 'coordinator', 'admin']) }).openapi('OverlegInvitee');
export const OverlegItem = z
  .object({
    ...base,
    participants: z.array(z.string()),
    closed: z.boolean().openapi({ description: 'Besloten deelname: only the invited see this meeting' }),
    invited: z.array(Invitee).openapi({ description: 'Who is invited (closed meetings)' }),
  })
  .openapi('OverlegItem');
export const OverlegCandidates = z.array(Invitee).openapi('OverlegCandidates');

const common = {
  date: isoDate.optional(),
  title: singleLine(200),
  body: multiLine(20_000),
  visibleToParents: z.boolean().optional(),
};
const atLeastOne = (v: object) => Object.keys(v).length > 0;
const datesInOrder = (v: { startDate?: string | null | undefined; endDate?: string | null | undefined }) => !v.startDate || !v.endDate || v.startDate <= v.endDate;

export const AanpakCreate = z.object({ ...common, title: common.title.min(1), body: common.body.optional() }).openapi('AanpakCreate');
export const AanpakPatch = AanpakCreate.partial().refine(atLeastOne, 'give at least one field').openapi('AanpakPatch');

const tlvFields = {
  ...common,
  title: common.title.optional(),
  body: common.body.optional(),
  type: z.enum(tlvTypes),
  status: z.enum(tlvStatuses).optional(),
  startDate: isoDate.nullable().optional(),
  endDate: isoDate.nullable().optional(),
  decisionDate: isoDate.nullable().optional(),
};
export const TlvCreate = z.object(tlvFields).refine(datesInOrder, { message: 'endDate must not be before startDate', path: ['endDate'] }).openapi('TlvCreate');
export const TlvPatch = z
  .object(tlvFields)
  .partial()
  .refine(atLeastOne, 'give at least one field')
  .refine(datesInOrder, { message: 'endDate must not be before startDate', path: ['endDate'] })
  .openapi('TlvPatch');

const overlegFields = {
  ...common, title: common.title.optional(), body: common.body.optional(), participants: z.array(singleLine(120).min(1)).max(50).optional(),
  closed: z.boolean().optional().openapi({ description: 'Besloten deelname: only the invited see it (whoever closes it is invited too)' }),
  invitedIds: z.array(z.uuid()).max(100).optional().openapi({ description: 'Staff who may see the dossier and its guardians (GET …/overlegronden/candidates)' }),
};
export const OverlegCreate = z.object({ ...overlegFields, date: isoDate }).openapi('OverlegCreate');
export const OverlegPatch = z.object(overlegFields).partial().refine(atLeastOne, 'give at least one field').openapi('OverlegPatch');

export type EntryInput = {
  date?: string | undefined; title?: string | undefined; body?: string | undefined; visibleToParents?: boolean | undefined;
  type?: (typeof tlvTypes)[number] | undefined; status?: (typeof tlvStatuses)[number] | undefined;
  startDate?: string | null | undefined; endDate?: string | null | undefined; decisionDate?: string | null | undefined;
  participants?: string[] | undefined;
  closed?: boolean | undefined; invitedIds?: string[] | undefined;
};
