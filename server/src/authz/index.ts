/**
 * DESIGN: the one place that says who may see and do what.
 *
 *   authenticate()               middleware: Bearer session or `kk_` API token → c.var.principal
 *   authorize(action)            route guard after it: 403 forbidden / insufficient_scope, audited
 *   can(principal, action, t?)   the same rule as a boolean (UI hints, services)
 *   authorizeTarget(c, action, target)   in a handler when the target decides (user.invite's role)
 *   visibleDossiers / visibleSchools / visibleUsers(principal)   SQL filters for every query
 *   findVisible{Dossier,Hulpvraag,Attachment}, loadVisible   one row or an audited 404
 *
 * A route: `middleware: [authenticate(), authorize('dossier.update')] as const`, then in the
 * handler `c.var.principal` (typed, no cast). Actions and their roles/scopes: rules.ts.
 */
export { authenticate, type AuthEnv } from './authenticate.ts';
export { authorize, authorizeTarget, refuse } from './authorize.ts';
export { can, invitesNeedDossier, type Action } from './rules.ts';
export { sessionPrincipal, type Actor, type Principal } from './principal.ts';
export * from './visibility.ts';
