import { z } from '@hono/zod-openapi';
import { accountRoles, roles, userStatuses } from '../../db/schema/index.ts';
import { scopes } from '../../authz/principal.ts';

const Grant = z.enum(['guardian', 'school', 'organisation']).openapi({ description: '`guardian`: linked as ouder/verzorger; `school`: staff of the dossier\'s school; `organisation`: by role (or API token scope) in the organisation' });
const SchoolRef = z.object({ brin: z.string(), name: z.string() });

/** One principal that sees the dossier, and why. */
export const DossierRight = z
  .object({
    kind: z.enum(['user', 'token']),
    id: z.string().openapi({ description: 'The account id, or the API token id' }),
    displayName: z.string(),
    role: z.enum(accountRoles),
    grant: Grant,
    school: SchoolRef.nullable().openapi({ description: 'grant `school`: the school' }),
    scopes: z.array(z.enum(scopes)).nullable().openapi({ description: 'An API token: its scopes' }),
    onlyShared: z.boolean().openapi({ description: 'Sees only what staff marked *zichtbaar voor ouders*' }),
  })
  .openapi('DossierRight');
export type DossierRight = z.infer<typeof DossierRight>;

export const DossierRights = z
  .object({
    dossier: z.object({ id: z.string(), name: z.string(), school: SchoolRef }),
    items: z.array(DossierRight),
  })
  .openapi('DossierRights');
export type DossierRights = z.infer<typeof DossierRights>;

/** What an account sees, and why. */
export const UserRights = z
  .object({
    user: z.object({ id: z.string(), displayName: z.string(), username: z.string(), role: z.enum(roles), status: z.enum(userStatuses) }),
    grant: Grant,
    /** grant `school`: the schools; grant `organisation`: empty (every school). */
    schools: z.array(SchoolRef),
    /** How many dossiers the account sees now. */
    dossierCount: z.number().int(),
    /** grant `guardian` or `school`: the dossiers (grant `organisation`: empty, it is every dossier). */
    dossiers: z.array(z.object({ id: z.string(), name: z.string(), birthDate: z.string(), school: SchoolRef })),
    onlyShared: z.boolean(),
    /** The actions of the authorisation rules the account's role may take (server/src/authz/rules.ts). */
    actions: z.array(z.string()),
    /** False when the account cannot sign in (invited, deactivated): it sees nothing until it can. */
    canSignIn: z.boolean(),
  })
  .openapi('UserRights');
export type UserRights = z.infer<typeof UserRights>;
