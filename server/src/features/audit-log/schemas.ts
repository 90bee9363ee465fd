import { z } from '@hono/zod-openapi';
import { accountRoles, auditOutcomes } from '../../db/schema/index.ts';

const uuid = () => z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, 'must be a UUID').openapi({ format: 'uuid' });
const instant = () => z.string().datetime({ offset: true }).openapi({ format: 'date-time' });

/** The filters of the audit log screen and its export (all optional; combined with AND). */
export const AuditFilters = z.object({
  actorId: uuid().optional().openapi({ description: 'Who: the account (user id) that acted' }),
  tokenId: uuid().optional().openapi({ description: 'Who: the API token that acted' }),
  action: z.string().min(1).max(200).optional().openapi({ description: 'What: an action (`attachment.download`), or a prefix ending in `*` (`attachment.*`)', example: 'attachment.*' }),
  dossierId: uuid().optional().openapi({ description: 'The dossier the entry is about' }),
  outcome: z.enum(auditOutcomes).optional().openapi({ description: '`success` (allowed), `denied` (refused), `failure` (failed)' }),
  from: instant().optional().openapi({ description: 'Period: at or after this instant' }),
  to: instant().optional().openapi({ description: 'Period: before this instant' }),
});
export type AuditFilters = z.infer<typeof AuditFilters>;

export const AuditPageQuery = AuditFilters.extend({
  cursor: z.string().max(200).optional().openapi({ description: '`nextCursor` of the previous page' }),
  pageSize: z.coerce.number().int().min(1).max(100).default(50),
});

export const AuditLogItem = z
  .object({
    id: z.number().int(),
    at: z.string().openapi({ format: 'date-time' }),
    action: z.string(),
    outcome: z.enum(auditOutcomes),
    actor: z
      .object({
        id: z.string().nullable(),
        role: z.enum(accountRoles).nullable(),
        displayName: z.string().nullable(),
        token: z.object({ id: z.string(), name: z.string().nullable() }).nullable(),
      })
      .nullable(),
    subject: z.object({ type: z.string().nullable(), id: z.string().nullable(), label: z.string().nullable() }),
    dossierId: z.string().nullable(),
    ipAddress: z.string().nullable(),
    userAgent: z.string().nullable(),
    detail: z.record(z.string(), z.unknown()).nullable(),
  })
  .openapi('AuditLogItem');
export type AuditLogItem = z.infer<typeof AuditLogItem>;

export const AuditLogPage = z
  .object({ items: z.array(AuditLogItem), nextCursor: z.string().nullable().openapi({ description: 'null on the last page' }) })
  .openapi('AuditLogPage');
