import { createRoute, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { createRouter } from '../../lib/router.ts';
import { authResponses, bearerSecurity, IdParam, json, jsonBody, pageOf, problem, bodyResponses, queryResponses } from '../../lib/openapi.ts';
import { auditContext, recordAudit } from '../audit/service.ts';
import { authenticate, authorize, authorizeTarget, type Action, type AuthEnv } from '../../authz/index.ts';
import { InvitedUser, InviteUser, ParentMatch, UserListItem, UserQuery } from './schemas.ts';
import { findParents, inviteUser, listUsers, manageUser, type UserAction } from './service.ts';


/** The context the service needs, from the request. */
export const serviceCtx = (c: Context<AuthEnv>) => ({
  now: c.var.deps.clock.now(),
  publicUrl: c.var.deps.env.PUBLIC_URL,
  appSecret: c.var.deps.env.APP_SECRET,
  audit: auditContext(c),
});

const errors = { ...authResponses, 403: problem('Not allowed for your role (forbidden), or a token without the scope (insufficient_scope)'), 404: problem('Unknown user (or not yours to manage)') };

// Generic so that each path stays a literal type: a plain `string` path would widen AppType for hono/client.
const actionRoute = <A extends UserAction>(action: A, operationId: string, summary: string) =>
  createRoute({
    method: 'post',
    path: `/users/{id}/${action}` as `/users/{id}/${A}`,
    tags: ['Staff'],
    security: bearerSecurity,
    middleware: [authenticate(), authorize(actionOf[action])] as const,
    operationId,
    summary,
    request: { params: IdParam },
    responses: { 204: { description: 'Done' }, ...errors, 409: problem('Not possible in the account’s current state') },
  });

/** The authz action of each account action. */
const actionOf: Record<UserAction, Action> = { 'resend-invitation': 'user.resendInvitation', deactivate: 'user.deactivate', reactivate: 'user.reactivate', 'reset-2fa': 'user.reset2fa', 'end-sessions': 'user.endSessions' };

async function act(c: Context<AuthEnv>, action: UserAction) {
  await manageUser(c.var.deps.db, c.var.principal, c.req.param('id') ?? '', action, serviceCtx(c));
  c.var.deps.mailer.kick();
}

export const userRoutes = createRouter()
  .openapi(
    createRoute({
      method: 'get',
      path: '/users',
      tags: ['Staff'],
      security: bearerSecurity,
      middleware: [authenticate(), authorize('user.list')] as const,
      operationId: 'listUsers',
      summary: 'Accounts this staff member may manage',
      request: { query: UserQuery },
      responses: { ...queryResponses, 200: json(pageOf(UserListItem, 'UserPage'), 'A page of accounts'), ...errors },
    }),
    async (c) => {
      const query = c.req.valid('query');
      const { db } = c.var.deps;
      const result = await listUsers(db, c.var.principal, query, c.var.deps.clock.now());
      await recordAudit(db, {
        ...auditContext(c), action: 'users.list', outcome: 'success', subjectType: 'users',
        detail: { q: query.q ?? null, role: query.role ?? null, status: query.status ?? null, school: query.school ?? null, lastLogin: query.lastLogin ?? null, page: result.page, total: result.total, ids: result.items.map((u) => u.id) },
      });
      return c.json(result, 200);
    },
  )
  .openapi(
    createRoute({
      method: 'post',
      path: '/users',
      tags: ['Staff'],
      security: bearerSecurity,
      middleware: [authenticate(), authorize('user.invite')] as const,
      operationId: 'inviteUser',
      summary: 'Invite a user: the account gets a generated username and an activation e-mail',
      request: { body: jsonBody(InviteUser) },
      responses: { ...bodyResponses, 201: json(InvitedUser, 'Invited'), 400: problem('Invalid input'), ...errors },
    }),
    async (c) => {
      const input = c.req.valid('json');
      await authorizeTarget(c, 'user.invite', { role: input.role }, { type: 'role', id: input.role });
      const { user } = await inviteUser(c.var.deps.db, c.var.principal, c.var.principal.organisationId, input, serviceCtx(c));
      c.var.deps.mailer.kick();
      return c.json({ id: user.id, username: user.username, status: 'invited' as const }, 201);
    },
  )
  .openapi(actionRoute('resend-invitation', 'resendInvitation', 'Send a new activation link (the old one stops working)'), async (c) => {
    await act(c, 'resend-invitation');
    return c.body(null, 204);
  })
  .openapi(actionRoute('deactivate', 'deactivateUser', 'Deactivate an account; all its sessions end at once'), async (c) => {
    await act(c, 'deactivate');
    return c.body(null, 204);
  })
  .openapi(actionRoute('reactivate', 'reactivateUser', 'Reactivate a deactivated account'), async (c) => {
    await act(c, 'reactivate');
    return c.body(null, 204);
  })
  .openapi(actionRoute('reset-2fa', 'resetUserTwoFactor', 'Remove the authenticator and mail a link to set up a new one; all sessions end'), async (c) => {
    await act(c, 'reset-2fa');
    return c.body(null, 204);
  })
  .openapi(actionRoute('end-sessions', 'endUserSessions', 'Log the account out everywhere: every session ends at once'), async (c) => {
    await act(c, 'end-sessions');
    return c.body(null, 204);
  })
  .openapi(
    createRoute({
      method: 'get', path: '/parents', tags: ['Staff'], security: bearerSecurity,
      middleware: [authenticate(), authorize('parent.search')] as const,
      operationId: 'searchParents',
      summary: 'Find a parent of the organisation by name, username or e-mail, to link as guardian (school staff, admin)',
      request: { query: z.object({ q: z.string().trim().min(2).max(100).regex(/^[^\u0000-\u001F\u007F]*$/, 'no control characters') }) },
      responses: { 200: json(z.array(ParentMatch), 'At most 20 parents'), 400: problem('Give at least 2 characters'), ...errors },
    }),
    async (c) => {
      const { q } = c.req.valid('query');
      const found = await findParents(c.var.deps.db, c.var.principal, q);
      await recordAudit(c.var.deps.db, { ...auditContext(c), action: 'parents.search', outcome: 'success', subjectType: 'users', detail: { found: found.length } });
      return c.json(found, 200, { 'Cache-Control': 'no-store' });
    },
  );
