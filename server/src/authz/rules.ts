import type { Role } from '../db/schema/users.ts';
import type { Principal, Scope } from './principal.ts';

/**
 * DESIGN: every action a route can take, with who may take it. A person's session is judged by
 * role; an API token by scope (null: never a token). `check` adds what a target decides (a
 * school staff member invites parents only). Visibility of rows — which dossier, which user —
 * is not decided here but by the filters in visibility.ts (invisible answers 404).
 */
interface Rule {
  roles: readonly Role[];
  scope: Scope | null;
  check?: (principal: Judged, target: Target) => boolean;
}

/** What a rule looks at of a principal: the caller, or another one (the rights view judges others). */
export type Judged = Pick<Principal, 'kind' | 'role' | 'scopes'>;

/** What an action acts on, where the rule depends on it. */
export interface Target {
  /** user.invite: the role of the account to be made. */
  role?: string;
}

const everyone: Role[] = ['parent', 'school', 'coordinator', 'admin'];
const staff: Role[] = ['school', 'coordinator', 'admin'];
/** DESIGN, roles: coordinators work on hulpvragen, not on dossiers or guardians. */
const dossierEditors: Role[] = ['school', 'admin'];
/** Admins manage every account; school staff the parents of their schools; coordinators none. */
const accountManagers: Role[] = ['school', 'admin'];
const INVITABLE: Record<Role | 'service', readonly string[]> = {
  admin: ['parent', 'school', 'coordinator', 'admin'],
  school: ['parent'],
  coordinator: [],
  parent: [],
  // A token never makes an admin: an integration must not be able to raise itself to one.
  service: ['parent', 'school', 'coordinator'],
};

const rules = {
  'news.read': { roles: everyone, scope: 'dossiers:read' },
  'account.read': { roles: everyone, scope: null },
  'session.manage': { roles: everyone, scope: null },
  'dossier.read': { roles: everyone, scope: 'dossiers:read' },
  'dossier.create': { roles: dossierEditors, scope: 'dossiers:write' },
  'dossier.update': { roles: dossierEditors, scope: 'dossiers:write' },
  'guardian.link': { roles: dossierEditors, scope: 'dossiers:write' },
  'guardian.unlink': { roles: dossierEditors, scope: 'dossiers:write' },
  'hulpvraag.create': { roles: staff, scope: 'dossiers:write' },
  'hulpvraag.update': { roles: staff, scope: 'dossiers:write' },
  'attachment.upload': { roles: staff, scope: 'dossiers:write' },
  'attachment.delete': { roles: staff, scope: 'dossiers:write' },
  'school.search': { roles: staff, scope: 'dossiers:read' },
  // The staff panel (issue 10).
  'hulpvraag.list': { roles: staff, scope: 'dossiers:read' },
  'hulpvraag.history.read': { roles: staff, scope: 'dossiers:read' },
  /** Aanpak and TLV: parents read the items staff shared (the visibility filter decides which). */
  'entry.read': { roles: everyone, scope: 'dossiers:read' },
  /** Overlegronden: staff; a closed one only the invited, parents included (visibleEntries decides which). */
  'overleg.read': { roles: everyone, scope: 'dossiers:read' },
  'entry.write': { roles: staff, scope: 'dossiers:write' },
  /** Mijn notities: a person's own; never an integration's. */
  'note.manage': { roles: staff, scope: null },
  'news.manage': { roles: ['admin'], scope: null },
  /**
   * Anonymise a dossier or a hulpvraag: irreversible destruction of a child's data, for the
   * organisation's beheerder only (DESIGN: admins may change everything in the organisation), and
   * always a person who typed the child's name, never an integration.
   */
  'dossier.anonymise': { roles: ['admin'], scope: null },
  /** TLV archiveren: a TLV is the partnership's decision, so its staff (coordinators, admins) archive it. */
  'tlv.archive': { roles: ['coordinator', 'admin'], scope: null },
  /** Only admins still see archived TLVs (the filter *gearchiveerd tonen*) and bring one back. */
  'tlv.unarchive': { roles: ['admin'], scope: null },
  /** The organisation's hulpvraag statuses (the panel's status lists). */
  'status.read': { roles: staff, scope: null },
  /** Beheer → Statussen, Automatisering, Mailsjablonen. */
  'workflow.manage': { roles: ['admin'], scope: null },
  /** Kengetallen: the organisation's figures (DESIGN: the partnership's staff; not school staff). */
  'kengetallen.read': { roles: ['coordinator', 'admin'], scope: 'dossiers:read' },
  'parent.search': { roles: dossierEditors, scope: 'users:read' },
  'user.endSessions': { roles: accountManagers, scope: 'users:write' },
  'accessLog.read': { roles: everyone, scope: 'audit:read' },
  'user.list': { roles: staff, scope: 'users:read' },
  'user.invite': { roles: accountManagers, scope: 'users:write', check: (p, t) => t.role === undefined || INVITABLE[p.role].includes(t.role) },
  'user.resendInvitation': { roles: accountManagers, scope: 'users:write' },
  'user.deactivate': { roles: accountManagers, scope: 'users:write' },
  'user.reactivate': { roles: accountManagers, scope: 'users:write' },
  'user.reset2fa': { roles: accountManagers, scope: null },
  /** Lift a lock after wrong codes: a person decides that, never an integration. */
  'user.unlock': { roles: accountManagers, scope: null },
  /** Slapende accounts in one step: a person decides that, never an integration (one by one it may, with users:write). */
  'user.deactivateSleeping': { roles: accountManagers, scope: null },
  /** Whether the daily job deactivates sleeping accounts, and after how many months. */
  'sleeping.manage': { roles: ['admin'], scope: null },
  'token.list': { roles: ['admin'], scope: null },
  'token.create': { roles: ['admin'], scope: null },
  'token.revoke': { roles: ['admin'], scope: null },
  /** Beheer → Auditlog and Rechten inzien (issue 11): the audit log, its export, and who may see what. */
  'audit.read': { roles: ['admin'], scope: 'audit:read' },
  /** `GET /health` with a bearer: the operator's details (outbox, process, gate) for an admin's session only. */
  'health.details': { roles: ['admin'], scope: null },
} as const satisfies Record<string, Rule>;

export type Action = keyof typeof rules;
export const actions = Object.keys(rules) as Action[];

/** Why `can` said no: the role (or kind) may not, or a token lacks the scope. */
export type Refusal = 'forbidden' | 'insufficient_scope';

/** Null when `principal` may take `action` (on `target`), else the reason it may not. */
export function refusalOf(principal: Judged, action: Action, target: Target = {}): Refusal | null {
  const rule: Rule = rules[action];
  if (principal.kind === 'token') {
    if (rule.scope === null) return 'forbidden';
    if (!principal.scopes.includes(rule.scope)) return 'insufficient_scope';
  } else if (!(rule.roles as readonly string[]).includes(principal.role)) {
    return 'forbidden';
  }
  return rule.check && !rule.check(principal, target) ? 'forbidden' : null;
}

/** The same rule as a boolean: may `principal` take `action` (on `target`)? (services, the rights view) */
export const can = (principal: Judged, action: Action, target?: Target): boolean => refusalOf(principal, action, target) === null;

/** The scope a token needs for `action` (null: tokens may not), for documentation and errors. */
export const scopeOf = (action: Action): Scope | null => (rules[action] as Rule).scope;

/** School staff see only parents linked to their schools' dossiers: their invitations must name one. */
export const invitesNeedDossier = (principal: Principal): boolean => principal.role === 'school';
