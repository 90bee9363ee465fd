import { createRoute } from '@hono/zod-openapi';
import { pingDb } from '../../db/client.ts';
import { isDatabaseUnavailable, RETRY_AFTER_SECONDS } from '../../db/unavailable.ts';
import { createRouter } from '../../lib/router.ts';
import { AppError } from '../../lib/errors.ts';
import { json, problem } from '../../lib/openapi.ts';
import { adminHealthDetails } from './details.ts';
import { Health } from './schemas.ts';

/** A ping that takes longer than this counts as "does not answer". */
const HEALTH_PING_TIMEOUT_MS = 3_000;

function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([work, late]).finally(() => clearTimeout(timer));
}

export const healthRoutes = createRouter().openapi(
  createRoute({
    method: 'get',
    path: '/health',
    tags: ['Public'],
    operationId: 'getHealth',
    security: [],
    summary: 'Liveness and database reachability',
    description: 'Public: `{ status }` only. With the bearer token of an admin also `details`: the database, the mail outbox of their organisation, this process (memory, event-loop delay) and the admission gate.',
    responses: { 200: json(Health, 'The server and its database answer'), 503: problem('The database does not answer (with Retry-After)') },
  }),
  async (c) => {
    const { db, database } = c.var.deps;
    const started = performance.now();
    try {
      if (database?.available?.() === false) throw new Error('the database went away; probing until it is back');
      await withTimeout(database ? database.ping() : pingDb(db), HEALTH_PING_TIMEOUT_MS);
    } catch (err) {
      // A refused or lost connection trips the breaker; a slow answer (a busy pool) does not.
      if (isDatabaseUnavailable(err)) database?.markUnavailable?.();
      c.var.deps.logger.error('health check: database unreachable', { err });
      throw new AppError('service_unavailable', 'The database does not answer.', {}, { 'Retry-After': String(RETRY_AFTER_SECONDS) });
    }
    const details = await adminHealthDetails(c, performance.now() - started);
    return c.json({ status: 'ok' as const, ...(details ? { details } : {}) }, 200, { 'Cache-Control': 'no-store' });
  },
);
