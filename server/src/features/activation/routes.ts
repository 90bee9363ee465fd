import { createRoute } from '@hono/zod-openapi';
import { createRouter } from '../../lib/router.ts';
import { json, jsonBody, problem, bodyResponses, queryResponses } from '../../lib/openapi.ts';
import { auditContext } from '../audit/service.ts';
import { throttleAddress } from '../auth/throttle.ts';
import { Activation, NewPasswordBody, TokenParam } from './schemas.ts';
import { completeActivation, getActivation } from './service.ts';


export const linkErrors = { 404: problem('Unknown link'), 410: problem('token_expired: used or expired') };

export const activationRoutes = createRouter()
  .openapi(
    createRoute({
      method: 'get',
      path: '/activation/{token}',
      tags: ['Public'],
      operationId: 'getActivation',
      security: [],
      summary: 'What the activation page shows: username, organisation and the new authenticator key',
      request: { params: TokenParam },
      responses: { ...queryResponses, 200: json(Activation, 'The activation'), ...linkErrors },
    }),
    async (c) => {
      const { db, env, clock } = c.var.deps;
      const info = await getActivation(db, env.APP_SECRET, c.req.valid('param').token, clock.now());
      return c.json({ username: info.username, organisation: info.organisation, totp: info.totp }, 200);
    },
  )
  .openapi(
    createRoute({
      method: 'post',
      path: '/activation/{token}',
      tags: ['Public'],
      operationId: 'completeActivation',
      security: [],
      summary: 'Activate: the new password and the first code from the authenticator app',
      request: { params: TokenParam, body: jsonBody(NewPasswordBody) },
      responses: {
        ...bodyResponses,
        204: { description: 'Activated; the link is used up' },
        400: problem('weak_password or invalid_code (the link stays usable)'),
        401: problem('invalid_credentials: a new authenticator (after reset-2fa) needs the current password'),
        ...linkErrors,
        429: problem('too_many_attempts'),
      },
    }),
    async (c) => {
      await throttleAddress(c, 'token');
      const { db, env, clock } = c.var.deps;
      await completeActivation(db, env.APP_SECRET, c.req.valid('param').token, c.req.valid('json'), clock.now(), auditContext(c));
      return c.body(null, 204);
    },
  );
