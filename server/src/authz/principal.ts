import type { AuthSession, AuthUser } from '../app-env.ts';
import type { Role } from '../db/schema/users.ts';

/** What an API token may be allowed to do (API.md, "API tokens"). */
export const scopes = ['dossiers:read', 'dossiers:write', 'users:read', 'users:write', 'audit:read'] as const;
export type Scope = (typeof scopes)[number];

/** A person signed in with a session: limited by their role (scopes: all of them). */
export interface SessionPrincipal {
  kind: 'session';
  user: AuthUser;
  organisationId: string;
  role: Role;
  scopes: readonly Scope[];
  session: AuthSession;
}

/** The organisation's service account as user, plus the name the audit log gives it. */
export interface ServiceUser extends Omit<AuthUser, 'role'> {
  role: 'service';
}

/** An integration's API token: the organisation's service account, limited by the token's scopes. */
export interface TokenPrincipal {
  kind: 'token';
  user: ServiceUser;
  organisationId: string;
  role: 'service';
  scopes: readonly Scope[];
  token: { id: string; name: string };
}

/**
 * Who makes a request. Set as `c.var.principal` by `authenticate()` (authz/authenticate.ts),
 * the only place that declares it; every rule in authz/ takes a principal.
 */
export type Principal = SessionPrincipal | TokenPrincipal;

export const sessionPrincipal = (user: AuthUser, session: AuthSession): SessionPrincipal => ({
  kind: 'session', user, organisationId: user.organisationId, role: user.role, scopes, session,
});

/** What services need of whoever acts: an account id (for createdBy columns) and the tenant. */
export type Actor = Pick<AuthUser, 'id' | 'organisationId'>;
