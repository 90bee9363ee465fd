import { z } from '@hono/zod-openapi';
import { scopes } from '../../authz/principal.ts';

const Scope = z.enum(scopes).openapi({ description: 'dossiers:read · dossiers:write · users:read · users:write · audit:read' });

export const ApiTokenCreate = z
  .object({
    name: z.string().trim().min(1).max(100).regex(/^[^\u0000-\u001f\u007f]+$/, 'no control characters').openapi({ example: 'Leerlingadministratie' }),
    scopes: z.array(Scope).min(1).max(scopes.length).refine((s) => new Set(s).size === s.length, 'each scope once').openapi({ example: ['dossiers:read', 'dossiers:write'] }),
    expiresInDays: z.number().int().min(1).max(365).default(90).openapi({ description: 'Days until the token stops working (1–365, default 90)' }),
  })
  .openapi('ApiTokenCreate');
export type ApiTokenCreate = z.infer<typeof ApiTokenCreate>;

export const ApiTokenCreated = z
  .object({
    id: z.uuid(),
    name: z.string(),
    scopes: z.array(Scope),
    expiresAt: z.string().openapi({ format: 'date-time' }),
    token: z.string().openapi({ description: 'The token itself (`kk_…`), shown only in this answer', example: 'kk_3q2-7wM…' }),
  })
  .openapi('ApiTokenCreated');

export const ApiTokenItem = z
  .object({
    id: z.uuid(),
    name: z.string(),
    scopes: z.array(Scope),
    createdAt: z.string().openapi({ format: 'date-time' }),
    expiresAt: z.string().openapi({ format: 'date-time' }),
    lastUsedAt: z.string().openapi({ format: 'date-time' }).nullable(),
    lastUsedFrom: z.string().nullable().openapi({ description: 'The address of the last use' }),
    createdBy: z.object({ displayName: z.string() }),
    revokedAt: z.string().openapi({ format: 'date-time' }).nullable(),
  })
  .openapi('ApiToken');
export type ApiTokenItem = z.infer<typeof ApiTokenItem>;
