import { z } from '@hono/zod-openapi';
import { roles } from '../../db/schema/index.ts';

export const UserSchema = z
  .object({
    id: z.uuid(),
    username: z.string().openapi({ example: 'j.devries' }),
    displayName: z.string(),
    email: z.string(),
    role: z.enum(roles),
    organisation: z.object({ code: z.string(), name: z.string() }),
  })
  .openapi('User');
export type User = z.infer<typeof UserSchema>;

/** Long enough for any real password, short enough that nothing costly is done with junk. */
export const LoginBody = z
  .object({
    organisation: z.string().max(64).openapi({ example: 'PO2507' }),
    username: z.string().max(254).openapi({ example: 'j.devries' }),
    password: z.string().max(1024),
    code: z.string().max(64).openapi({ example: '123456' }),
  })
  .openapi('LoginRequest');
export type LoginRequest = z.infer<typeof LoginBody>;

export const LoginAnswer = z
  .object({ token: z.string(), expiresAt: z.string(), idleTimeoutSeconds: z.number().int(), user: UserSchema })
  .openapi('LoginAnswer');
export type LoginAnswer = z.infer<typeof LoginAnswer>;

export const SessionAnswer = z.object({ user: UserSchema, expiresAt: z.string(), idleExpiresAt: z.string() }).openapi('Session');

export const SessionItem = z
  .object({ id: z.uuid(), createdAt: z.string(), lastSeenAt: z.string(), userAgent: z.string().nullable(), current: z.boolean() })
  .openapi('SessionListItem');
