import { createRoute } from '@hono/zod-openapi';
import { pingDb } from '../../db/client.ts';
import { createRouter } from '../../lib/router.ts';
import { json, problem } from '../../lib/openapi.ts';
import { Health } from './schemas.ts';


export const healthRoutes = createRouter().openapi(
  createRoute({
    method: 'get',
    path: '/health',
    tags: ['Public'],
    operationId: 'getHealth',
    security: [],
    summary: 'Liveness and database reachability',
    responses: { 200: json(Health, 'The server and its database answer'), 503: problem('The database does not answer') },
  }),
  async (c) => {
    const { db, database } = c.var.deps;
    try {
      await (database ? database.ping() : pingDb(db));
    } catch (err) {
      c.var.deps.logger.error('health check: database unreachable', { err });
      return c.json(
        { type: 'https://kindkans.nl/problems/service-unavailable', title: 'Service unavailable', status: 503, detail: 'The database does not answer.', code: 'service_unavailable', requestId: c.var.requestId },
        503,
        { 'Content-Type': 'application/problem+json', 'Cache-Control': 'no-store' },
      );
    }
    return c.json({ status: 'ok' as const }, 200, { 'Cache-Control': 'no-store' });
  },
);
