import { createRoute } from '@hono/zod-openapi';
import { authenticate, authorize } from '../../authz/index.ts';
import { IdParam, PageQuery, authResponses, bearerSecurity, json, jsonBody, pageOf, problem, bodyResponses, queryResponses } from '../../lib/openapi.ts';
import { createRouter } from '../../lib/router.ts';
import { auditContext } from '../audit/service.ts';
import { ApiTokenCreate, ApiTokenCreated, ApiTokenItem } from './schemas.ts';
import { createApiToken, listApiTokens, revokeApiToken } from './service.ts';

const noStore = { 'Cache-Control': 'no-store' };
const errors = { ...authResponses, 403: problem('Not an admin, or an API token (tokens never manage tokens)') };

/** API tokens (API.md): admins with a session only. */
export const apiTokenRoutes = createRouter()
  .openapi(
    createRoute({
      method: 'get', path: '/api-tokens', tags: ['API tokens'], operationId: 'listApiTokens', summary: "The organisation's API tokens, with their last use",
      middleware: [authenticate({ sessionOnly: true }), authorize('token.list')] as const, security: bearerSecurity,
      request: { query: PageQuery },
      responses: { ...queryResponses, 200: json(pageOf(ApiTokenItem, 'ApiTokenPage'), 'A page of tokens, newest first'), 400: problem('Invalid paging'), ...errors },
    }),
    async (c) => c.json(await listApiTokens(c.var.deps.db, c.var.principal.organisationId, c.req.valid('query')), 200, noStore),
  )
  .openapi(
    createRoute({
      method: 'post', path: '/api-tokens', tags: ['API tokens'], operationId: 'createApiToken', summary: 'Create a token for an integration; the token is shown only in this answer',
      middleware: [authenticate({ sessionOnly: true }), authorize('token.create')] as const, security: bearerSecurity,
      request: { body: jsonBody(ApiTokenCreate) },
      responses: { ...bodyResponses, 201: json(ApiTokenCreated, 'The new token'), 400: problem('Invalid input'), ...errors },
    }),
    async (c) => {
      const p = c.var.principal;
      const created = await createApiToken(c.var.deps.db, p.organisationId, c.req.valid('json'), {
        now: c.var.deps.clock.now(), createdBy: { id: p.user.id, displayName: p.user.displayName }, audit: auditContext(c),
      });
      return c.json(created, 201, noStore);
    },
  )
  .openapi(
    createRoute({
      method: 'delete', path: '/api-tokens/{id}', tags: ['API tokens'], operationId: 'revokeApiToken', summary: 'Revoke a token: it answers 401 from then on',
      middleware: [authenticate({ sessionOnly: true }), authorize('token.revoke')] as const, security: bearerSecurity,
      request: { params: IdParam },
      responses: { 204: { description: 'Revoked' }, ...errors, 404: problem('No such token in your organisation') },
    }),
    async (c) => {
      await revokeApiToken(c.var.deps.db, c.var.principal.organisationId, c.req.valid('param').id, { now: c.var.deps.clock.now(), audit: auditContext(c) });
      return c.body(null, 204);
    },
  );
