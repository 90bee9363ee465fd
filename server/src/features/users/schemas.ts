import { z } from '@hono/zod-openapi';
import { roles, userStatuses } from '../../db/schema/index.ts';
import { PageQuery } from '../../lib/openapi.ts';
import { DisplayName } from './display-name.ts';

export const UserListItem = z
  .object({
    id: z.uuid(),
    username: z.string(),
    displayName: z.string(),
    email: z.string(),
    role: z.enum(roles),
    status: z.enum(userStatuses),
    lastLoginAt: z.string().nullable(),
  })
  .openapi('UserListItem');
export type UserListItem = z.infer<typeof UserListItem>;

export const InviteUser = z
  .object({
    role: z.enum(roles),
    email: z.email().max(254),
    displayName: DisplayName,
    dossierIds: z.array(z.string().max(64)).max(50).optional(),
    schoolBrins: z.array(z.string().trim().min(1).max(12).regex(/^[A-Za-z0-9]+$/, 'a BRIN code')).max(50).optional(),
  })
  .openapi('InviteUser');
export type InviteUser = z.infer<typeof InviteUser>;

export const InvitedUser = z.object({ id: z.uuid(), username: z.string(), status: z.literal('invited') }).openapi('InvitedUser');

const lastLoginFilters = ['never', 'last30', 'over30', 'over90'] as const;
export type LastLoginFilter = (typeof lastLoginFilters)[number];

export const ParentMatch = z
  .object({ id: z.uuid(), displayName: z.string(), username: z.string(), email: z.string(), status: z.enum(userStatuses) })
  .openapi('ParentMatch');

export const UserQuery = PageQuery.extend({
  q: z.string().max(100).regex(/^[^\u0000]*$/, 'no NUL characters').optional(),
  role: z.enum(roles).optional(),
  status: z.enum(userStatuses).optional(),
  school: z.string().trim().max(12).regex(/^[A-Za-z0-9]*$/, 'a BRIN code').optional().openapi({ description: "BRIN: the school's staff and its children's guardians" }),
  lastLogin: z.enum(lastLoginFilters).optional().openapi({ description: 'never, last30 (days), over30, over90' }),
});
export type UserQuery = z.infer<typeof UserQuery>;
