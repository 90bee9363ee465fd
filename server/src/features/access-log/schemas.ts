import { z } from '@hono/zod-openapi';
import { accountRoles } from '../../db/schema/index.ts';

export const AccessLogEntry = z
  .object({
    at: z.string().openapi({ format: 'date-time' }),
    actor: z.object({ displayName: z.string(), role: z.enum(accountRoles).openapi({ description: '`service`: an integration with an API token' }) }),
    action: z.string().openapi({ example: 'attachment.download' }),
    subject: z.string(),
  })
  .openapi('AccessLogEntry');
export type AccessLogEntry = z.infer<typeof AccessLogEntry>;
