import { z } from '@hono/zod-openapi';

const isoDate = z.iso.date().openapi({ example: '2014-05-06' });

export const SchoolRef = z.object({ brin: z.string().openapi({ example: '12AB00' }), name: z.string() }).openapi('SchoolRef');

export const DossierSummary = z
  .object({ id: z.uuid(), firstName: z.string(), lastName: z.string(), birthDate: isoDate, school: SchoolRef })
  .openapi('DossierSummary');

export const Dossier = DossierSummary.extend({
  guardians: z.array(z.object({ id: z.uuid(), displayName: z.string() })),
}).openapi('Dossier');

const name = z.string().trim().min(1).max(100);

export const DossierCreate = z
  .object({ firstName: name, lastName: name, birthDate: isoDate, schoolBrin: z.string().trim().min(1).max(20) })
  .openapi('DossierCreate');

export const DossierPatch = DossierCreate.partial()
  .refine((v) => Object.keys(v).length > 0, 'give at least one field')
  .openapi('DossierPatch');

export const GuardianLink = z.object({ userId: z.uuid() }).openapi('GuardianLink');

export const DossierQuery = z.object({ q: z.string().max(100).optional() });

export type DossierCreate = z.infer<typeof DossierCreate>;
export type DossierPatch = z.infer<typeof DossierPatch>;
