import { z } from '@hono/zod-openapi';
import { roles, userStatuses } from '../../db/schema/index.ts';
import { PageQuery } from '../../lib/openapi.ts';

export const SleepingAccount = z
  .object({
    id: z.uuid(),
    username: z.string(),
    displayName: z.string(),
    email: z.string(),
    role: z.enum(roles),
    status: z.enum(userStatuses),
    lastLoginAt: z.string().nullable().openapi({ description: 'null: never logged in' }),
    createdAt: z.string(),
    inactiveSince: z.string().openapi({ description: 'The last login, or the invitation when there was none: the sleep is counted from here' }),
    warnedAt: z.string().nullable().openapi({ description: 'When the daily job mailed the warning about this stretch of sleep' }),
    deactivateAt: z.string().nullable().openapi({ description: 'When the daily job deactivates the account (after its warning)' }),
  })
  .openapi('SleepingAccount');
export type SleepingAccount = z.infer<typeof SleepingAccount>;

export const SleepingPage = z
  .object({
    items: z.array(SleepingAccount),
    page: z.number().int(),
    pageSize: z.number().int(),
    total: z.number().int(),
    months: z.number().int().openapi({ description: "The organisation's number of months without a login" }),
    asOf: z.string().openapi({ description: 'The moment the list was made' }),
  })
  .openapi('SleepingPage');
export type SleepingPage = z.infer<typeof SleepingPage>;

export const SleepingQuery = PageQuery.extend({
  q: z.string().max(100).regex(/^[^\u0000]*$/, 'no NUL characters').optional(),
  role: z.enum(roles).optional(),
  school: z.string().trim().max(12).regex(/^[A-Za-z0-9]*$/, 'a BRIN code').optional().openapi({ description: "BRIN: the school's staff and its children's guardians" }),
});
export type SleepingQuery = z.infer<typeof SleepingQuery>;

export const DeactivateSleeping = z
  .object({
    ids: z.array(z.uuid()).min(1).max(500).optional().openapi({ description: 'These accounts (each must be yours to manage); one that is no longer sleeping is skipped' }),
    all: z.literal(true).optional().openapi({ description: 'Every account you may manage that is sleeping now' }),
  })
  .refine((b) => (b.ids === undefined) !== (b.all === undefined), { message: 'give either ids or all: true', path: ['ids'] })
  .openapi('DeactivateSleeping');
export type DeactivateSleeping = z.infer<typeof DeactivateSleeping>;

export const DeactivatedSleeping = z
  .object({
    deactivated: z.number().int().openapi({ description: 'Accounts deactivated (each audited, its sessions ended)' }),
    skipped: z.number().int().openapi({ description: 'Listed accounts that were not deactivated: no longer sleeping, already deactivated, or your own' }),
  })
  .openapi('DeactivatedSleeping');

export const SleepingSettings = z
  .object({
    enabled: z.boolean().openapi({ description: 'The daily job warns and deactivates sleeping accounts' }),
    months: z.number().int().min(1).max(120).openapi({ description: 'Months without a login before an account counts as sleeping (default 12)' }),
  })
  .openapi('SleepingSettings');
export type SleepingSettings = z.infer<typeof SleepingSettings>;
