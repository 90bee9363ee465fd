import { createRoute } from '@hono/zod-openapi';
import { createRouter } from '../../lib/router.ts';
import { authResponses, bearerSecurity, json } from '../../lib/openapi.ts';
import { publicUser } from '../auth/login.ts';
import { authenticate, authorize } from '../../authz/index.ts';
import { UserSchema } from '../auth/schemas.ts';

export const accountRoutes = createRouter().openapi(
  createRoute({
    method: 'get',
    path: '/me',
    tags: ['Session'],
    security: bearerSecurity,
    middleware: [authenticate({ sessionOnly: true }), authorize('account.read')] as const,
    operationId: 'getMe',
    summary: 'The signed-in user',
    responses: { 200: json(UserSchema, 'The user'), ...authResponses },
  }),
  (c) => c.json(publicUser(c.var.principal.user), 200),
);
