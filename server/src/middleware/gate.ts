import { createMiddleware } from 'hono/factory';
import type { Context } from 'hono';
import type { AppDeps, AppEnv } from '../app-env.ts';
import { databaseUnavailable } from '../db/unavailable.ts';
import type { admission } from './admission.ts';
import { bodyLimit } from './body-limit.ts';

/**
 * What may refuse a request before its route runs, as ONE middleware inside edge.ts (so its
 * refusals get the same headers and log line as any answer):
 * - the JSON body limit (413), for requests that can have a body — never GET or HEAD (Node's
 *   server gives them none; Hono's check would build a full Request to look), and not the upload
 *   routes (`streamsItsBody`), which stream with their own limit;
 * - the admission gate (admission.ts), not for /health nor the upload routes (they spool to disk
 *   without the database and have their own limits);
 * - while the database is away (PostgreSQL's circuit breaker is open): 503 at once (not /health).
 */
export function gate(deps: AppDeps, options: { maxBodyBytes: number; admission: ReturnType<typeof admission>; isStreamedUpload: (c: Context) => boolean }) {
  const limit = bodyLimit({ maxBytes: options.maxBodyBytes });
  const admit = options.admission;
  return createMiddleware<AppEnv>(async (c, next) => {
    const method = c.req.method;
    const bodyless = method === 'GET' || method === 'HEAD';
    const health = c.req.path === '/health';
    const upload = !bodyless && options.isStreamedUpload(c);
    const checked = async () => {
      if (!health && deps.database?.available?.() === false) throw databaseUnavailable();
      await next();
    };
    const admitted = health || upload ? checked : async () => {
      await admit(c, checked);
    };
    return bodyless || upload ? admitted() : limit(c, admitted);
  });
}
