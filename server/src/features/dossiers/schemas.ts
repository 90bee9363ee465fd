import { z } from '@hono/zod-openapi';

/** A calendar date PostgreSQL can store sensibly (years 1900–2199). */
export const isoDate = z.iso.date().refine((d) => d >= '1900-01-01' && d < '2200-01-01', 'must be a date between 1900 and 2199').openapi({ example: '2014-05-06' });

/** Text of one line: no control characters (PostgreSQL refuses NUL; the rest has no place in a name). */
export const singleLine = (max: number) => z.string().trim().max(max).regex(/^[^\u0000-\u001F\u007F]*$/, 'must not contain control characters');
/** Free text: line breaks and tabs allowed, other control characters not. */
export const multiLine = (max: number) => z.string().max(max).regex(/^[^\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]*$/, 'must not contain control characters');

const SchoolRef = z.object({ brin: z.string().openapi({ example: '12AB00' }), name: z.string() }).openapi('SchoolRef');

export const DossierSummary = z
  .object({
    id: z.uuid(), firstName: z.string(), lastName: z.string(), birthDate: isoDate, school: SchoolRef,
    anonymised: z.boolean().openapi({ description: 'Geanonimiseerd: the name reads "Geanonimiseerd", the birth date means nothing, nothing can be changed' }),
  })
  .openapi('DossierSummary');

export const Dossier = DossierSummary.extend({
  schoolGroup: z.string().openapi({ example: 'groep 5' }),
  contactName: z.string().openapi({ description: "The school's contact person for this child" }),
  contactEmail: z.string(),
  guardians: z.array(z.object({ id: z.uuid(), displayName: z.string() })),
}).openapi('Dossier');

const name = singleLine(100).min(1);

export const DossierCreate = z
  .object({
    firstName: name, lastName: name, birthDate: isoDate, schoolBrin: singleLine(20).min(1),
    schoolGroup: singleLine(50).optional(),
    contactName: singleLine(120).optional(),
    contactEmail: z.union([z.literal(''), z.email().max(254)]).optional(),
  })
  .openapi('DossierCreate');

export const DossierPatch = DossierCreate.partial()
  .refine((v) => Object.keys(v).length > 0, 'give at least one field')
  .openapi('DossierPatch');

export const GuardianLink = z.object({ userId: z.uuid() }).openapi('GuardianLink');

export const DossierQuery = z.object({
  q: singleLine(100).optional().openapi({ description: 'Part of a name, the school name or its BRIN' }),
  name: singleLine(100).optional().openapi({ description: 'Every word starts the first or last name (any case)' }),
  birthDate: isoDate.optional(),
  school: singleLine(20).optional().openapi({ description: "The school's BRIN" }),
});

export type DossierSummary = z.infer<typeof DossierSummary>;
export type Dossier = z.infer<typeof Dossier>;
export type DossierCreate = z.infer<typeof DossierCreate>;
export type DossierPatch = z.infer<typeof DossierPatch>;
