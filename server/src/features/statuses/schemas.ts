import { z } from '@hono/zod-openapi';
import { singleLine } from '../dossiers/schemas.ts';

export const HulpvraagStatus = z
  .object({
    id: z.uuid(),
    name: z.string().openapi({ example: 'in behandeling' }),
    position: z.number().int().openapi({ description: 'Place in the list, 1 first' }),
    closes: z.boolean().openapi({ description: 'Reaching this status closes the hulpvraag (e.g. afgerond)' }),
    inUse: z.number().int().openapi({ description: 'How many hulpvragen have this status now' }),
  })
  .openapi('HulpvraagStatus');

const fields = {
  name: singleLine(50).min(1).openapi({ example: 'wacht op school' }),
  position: z.number().int().min(1).max(1000),
  closes: z.boolean(),
};

export const HulpvraagStatusCreate = z
  .object({ name: fields.name, position: fields.position.optional().openapi({ description: 'Default: at the end' }), closes: fields.closes.optional() })
  .openapi('HulpvraagStatusCreate');

export const HulpvraagStatusPatch = z
  .object(fields)
  .partial()
  .refine((v) => Object.keys(v).length > 0, 'give at least one field')
  .openapi('HulpvraagStatusPatch');

export type HulpvraagStatus = z.infer<typeof HulpvraagStatus>;
export type HulpvraagStatusCreate = z.infer<typeof HulpvraagStatusCreate>;
export type HulpvraagStatusPatch = z.infer<typeof HulpvraagStatusPatch>;
