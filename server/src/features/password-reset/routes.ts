import { createRoute } from '@hono/zod-openapi';
import { createRouter } from '../../lib/router.ts';
import { json, jsonBody, problem, bodyResponses, queryResponses } from '../../lib/openapi.ts';
import { auditContext } from '../audit/service.ts';
import { linkErrors } from '../activation/routes.ts';
import { NewPasswordBody, TokenParam } from '../activation/schemas.ts';
import { throttleAddress } from '../auth/throttle.ts';
import { PasswordResetInfo, PasswordResetRequest } from './schemas.ts';
import { completePasswordReset, getPasswordReset, requestPasswordReset } from './service.ts';

const pending = new Set<Promise<unknown>>();

/** Waits for reset requests still being handled after their 202 (tests, shutdown). */
export async function settleResetRequests(): Promise<void> {
  while (pending.size) await Promise.allSettled([...pending]);
}

export const passwordResetRoutes = createRouter()
  .openapi(
    createRoute({
      method: 'post',
      path: '/auth/password-reset',
      tags: ['Public'],
      operationId: 'requestPasswordReset',
      security: [],
      summary: 'Ask for a reset link; 202 always, in the same time whether the account exists or not',
      request: { body: jsonBody(PasswordResetRequest) },
      responses: { ...bodyResponses, 202: { description: 'Accepted (a mail is sent if the account exists)' }, 400: problem('Malformed request'), 429: problem('too_many_attempts') },
    }),
    async (c) => {
      await throttleAddress(c, 'password-reset');
      const { db, env, clock, mailer, logger } = c.var.deps;
      const ctx = { appSecret: env.APP_SECRET, publicUrl: env.PUBLIC_URL, now: clock.now(), audit: auditContext(c) };
      const input = c.req.valid('json');
      // The work happens after the answer: its duration must not tell whether the account exists.
      const work = new Promise((r) => setImmediate(r))
        .then(() => requestPasswordReset(db, ctx, input))
        .then((queued) => queued && mailer.kick())
        .catch((err) => logger.error('password reset request failed', { err, requestId: c.var.requestId }))
        .finally(() => pending.delete(work));
      pending.add(work);
      return c.body(null, 202);
    },
  )
  .openapi(
    createRoute({
      method: 'get',
      path: '/password-reset/{token}',
      tags: ['Public'],
      operationId: 'getPasswordReset',
      security: [],
      summary: 'Whose password the reset link is for',
      request: { params: TokenParam },
      responses: { ...queryResponses, 200: json(PasswordResetInfo, 'The account'), ...linkErrors },
    }),
    async (c) => {
      const info = await getPasswordReset(c.var.deps.db, c.req.valid('param').token, c.var.deps.clock.now());
      return c.json({ username: info.username, organisation: info.organisation }, 200);
    },
  )
  .openapi(
    createRoute({
      method: 'post',
      path: '/password-reset/{token}',
      tags: ['Public'],
      operationId: 'completePasswordReset',
      security: [],
      summary: 'Set a new password with a current authenticator code; every session of the user ends',
      request: { params: TokenParam, body: jsonBody(NewPasswordBody) },
      responses: { ...bodyResponses, 204: { description: 'Password changed' }, 400: problem('weak_password or invalid_code'), ...linkErrors, 429: problem('too_many_attempts') },
    }),
    async (c) => {
      await throttleAddress(c, 'token');
      const { db, env, clock, mailer } = c.var.deps;
      await completePasswordReset(db, env.APP_SECRET, c.req.valid('param').token, c.req.valid('json'), clock.now(), auditContext(c));
      mailer.kick();
      return c.body(null, 204);
    },
  );
