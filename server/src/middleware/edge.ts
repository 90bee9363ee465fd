import { createMiddleware } from 'hono/factory';
import type { AppDeps, AppEnv } from '../app-env.ts';
import { logRequest } from './access-log.ts';
import { corsPolicy } from './cors.ts';
import { requestContext } from './request-context.ts';
import { securityHeaders } from './security-headers.ts';
import { unreadBody } from './unread-body.ts';

export interface EdgeOptions {
  trustProxy: boolean;
  hsts: boolean;
  origins: string[];
  /** An untouched request body up to this size is read and dropped after an early answer (unread-body.ts). */
  drainBytes: number;
  drainMs: number;
}

/**
 * Everything every request goes through on its way in and out, as ONE middleware (issue 12: one
 * per concern cost a closure, a promise and a `next()` each, on every request):
 * - in: the app's `deps`, the request id, client address and user agent (request-context.ts);
 *   a CORS preflight is answered here (cors.ts);
 * - out, on every answer (error answers included — Hono's `onError` makes them before this
 *   returns): CORS headers, the security headers and `X-Request-Id` on the answer's own headers
 *   (never `c.header()` after the answer is made: that would rebuild it as a stream, see
 *   bench/README.md), the access log line, and the drain of an unread request body.
 * The admission gate and the body limit are gate.ts, inside this one.
 */
export function edge(deps: AppDeps, options: EdgeOptions) {
  const context = requestContext({ trustProxy: options.trustProxy });
  const cors = corsPolicy({ origins: options.origins });
  const secure = securityHeaders({ hsts: options.hsts });
  const drain = unreadBody({ drainBytes: options.drainBytes, drainMs: options.drainMs });
  return createMiddleware<AppEnv>(async (c, next) => {
    const started = performance.now();
    c.set('deps', deps);
    const requestId = context(c);
    const origin = c.req.header('origin');
    const preflight = cors.preflight(c, origin);
    if (preflight) c.res = preflight;
    else await next();
    const headers = c.res.headers;
    cors.apply(headers, origin);
    secure(headers, c.req.path);
    headers.set('X-Request-Id', requestId);
    logRequest(c, deps, requestId, started);
    await drain(c);
  });
}
