import { z } from '@hono/zod-openapi';
import { singleLine } from '../dossiers/schemas.ts';

const month = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'must be a month as YYYY-MM').refine((m) => m >= '2000-01' && m < '2200-01', 'must be a month between 2000 and 2199');

/** The filters of every figure: a school (BRIN) and a period of whole months. */
export const KengetallenQuery = z.object({
  school: singleLine(20).optional().openapi({ description: "Only this school's hulpvragen and TLVs (its BRIN)", example: '12AB00' }),
  from: month.optional().openapi({ description: 'First month of the period (default: 11 months before `to`)', example: '2025-02' }),
  to: month.optional().openapi({ description: 'Last month of the period, included (default: this month)', example: '2026-01' }),
});
export type KengetallenQuery = z.infer<typeof KengetallenQuery>;

const kengetallenTables = ['byStatus', 'bySchool', 'perMonth', 'doorlooptijd', 'tlvExpiring'] as const;
export type KengetallenTable = (typeof kengetallenTables)[number];
export const TableParam = z.object({
  table: z.enum(kengetallenTables).openapi({ param: { name: 'table', in: 'path' }, description: 'Which table of the Kengetallen' }),
});

const SchoolRef = z.object({ brin: z.string(), name: z.string() });

export const Kengetallen = z
  .object({
    period: z.object({ from: z.string().openapi({ example: '2025-02' }), to: z.string().openapi({ example: '2026-01' }) }),
    school: SchoolRef.nullable().openapi({ description: 'The school filter, or null for the whole organisation' }),
    today: z.string().openapi({ description: "Today's date in the Netherlands (the TLV window starts here)", example: '2026-01-15' }),
    byStatus: z.array(z.object({ status: z.string(), closes: z.boolean(), count: z.number().int() }))
      .openapi({ description: 'Hulpvragen with a hulpvraagdatum in the period, by their current status; every status of the organisation in its order, zero included' }),
    bySchool: z.array(SchoolRef.extend({ count: z.number().int() }))
      .openapi({ description: "Hulpvragen with a hulpvraagdatum in the period, by their dossier's school; most first, schools without any included" }),
    perMonth: z.array(z.object({ month: z.string().openapi({ example: '2025-02' }), count: z.number().int() }))
      .openapi({ description: 'New hulpvragen (by hulpvraagdatum) per month of the period, months without any included' }),
    doorlooptijd: z.object({
      medianDays: z.number().nullable().openapi({ description: 'Median days from aanmelding to afgerond (one decimal), null when none closed in the period' }),
      count: z.number().int().openapi({ description: 'Hulpvragen whose first closing fell in the period' }),
    }).openapi({ description: 'From the moment a hulpvraag was registered (its first row of Status informatie) to the first time it reached a closing status, for hulpvragen whose first closing fell in the period' }),
    tlvExpiring: z.object({
      until: z.string().openapi({ description: 'Last day of the window (today + 3 months)', example: '2026-04-15' }),
      count: z.number().int(),
      items: z.array(z.object({
        id: z.uuid(), dossierId: z.uuid(), firstName: z.string(), lastName: z.string(), school: SchoolRef,
        type: z.string().openapi({ example: 'sbo' }), endDate: z.string().openapi({ example: '2026-03-31' }),
      })).openapi({ description: 'Soonest first, at most 500 (the CSV has all)' }),
    }).openapi({ description: 'Granted TLVs whose end date is between today and 3 months from today; the period filter does not apply' }),
  })
  .openapi('Kengetallen');
export type Kengetallen = z.infer<typeof Kengetallen>;
