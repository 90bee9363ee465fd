import type { Context } from 'hono';
import { createMiddleware } from 'hono/factory';
import type { AppEnv } from '../app-env.ts';
import { auditContext, recordAudit } from '../features/audit/service.ts';
import { AppError } from '../lib/errors.ts';
import type { AuthEnv } from './authenticate.ts';
import { refusalOf, scopeOf, type Action, type Refusal, type Target } from './rules.ts';

/**
 * The one route guard: after `authenticate()`, only a principal that `can(action)` passes.
 * Every refusal is written to the audit log, then answered 403 `forbidden` (role, or a route
 * tokens may never use) or 403 `insufficient_scope` (a token without the action's scope).
 * Use `refuse()` inside a handler when the target decides (e.g. the role of an invited user).
 */
export function authorize(action: Action) {
  return createMiddleware<AuthEnv>(async (c, next) => {
    const refusal = refusalOf(c.var.principal, action);
    if (refusal) await refuse(c, action, refusal);
    await next();
  });
}

/** In a handler: passes when the principal may take `action` on `target`, else refuses (audited 403). */
export async function authorizeTarget(c: Context<AuthEnv>, action: Action, target: Target, subject?: { type: string; id: string; dossierId?: string }): Promise<void> {
  const refusal = refusalOf(c.var.principal, action, target);
  if (refusal) await refuse(c, action, refusal, subject);
}

const messages: Record<Refusal, (action: Action) => string> = {
  forbidden: () => 'Your role may not do this.',
  insufficient_scope: (action) => `This API token lacks the scope ${scopeOf(action)}.`,
};

/** Records the refusal of `action` in the audit log and throws the 403. */
export async function refuse(c: Context<AuthEnv>, action: Action, refusal: Refusal, subject?: { type: string; id: string; dossierId?: string }, detail?: string): Promise<never> {
  const p = c.var.principal;
  const reason = refusal === 'insufficient_scope' ? 'scope' : p.kind === 'token' ? 'token' : 'role';
  await recordRefusal(c, action, { reason, ...(detail ? { detail } : {}) }, subject);
  const text = detail ?? (p.kind === 'token' && refusal === 'forbidden' ? 'An API token may not do this.' : messages[refusal](action));
  throw new AppError(refusal, text, refusal === 'insufficient_scope' ? { scope: scopeOf(action) } : {});
}

/** The audit entry of a refused request (`action`: the authz action; null: the route itself). */
export async function recordRefusal<E extends AppEnv>(c: Context<E>, action: Action | null, detail: Record<string, unknown>, subject?: { type: string; id: string; dossierId?: string }): Promise<void> {
  await recordAudit(c.var.deps.db, {
    ...auditContext(c),
    action: action ?? `${c.req.method} ${c.req.routePath}`,
    outcome: 'denied',
    subjectType: subject?.type ?? 'route',
    subjectId: subject?.id ?? `${c.req.method} ${c.req.routePath}`,
    dossierId: subject?.dossierId ?? null,
    detail,
  });
}
