import { z } from '@hono/zod-openapi';

export const PasswordResetRequest = z.object({ organisation: z.string().max(64), username: z.string().max(254) }).openapi('PasswordResetRequest');
export type PasswordResetRequest = z.infer<typeof PasswordResetRequest>;

export const PasswordResetInfo = z.object({ username: z.string(), organisation: z.object({ code: z.string(), name: z.string() }) });
export type PasswordResetInfo = z.infer<typeof PasswordResetInfo>;
