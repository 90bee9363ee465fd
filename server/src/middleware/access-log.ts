import { createMiddleware } from 'hono/factory';
import type { AppEnv } from '../app-env.ts';

/** One log line per request: method, path (never the query: it may hold search terms), status, time. */
export function accessLog() {
  return createMiddleware<AppEnv>(async (c, next) => {
    const started = performance.now();
    await next();
    c.var.deps.logger.info('request', {
      requestId: c.var.requestId,
      method: c.req.method,
      path: redactPath(c.req.path),
      status: c.res.status,
      ms: Math.round(performance.now() - started),
    });
  });
}

/** Links carry tokens in the path (/activate/<token>): never log them. */
function redactPath(path: string): string {
  return path.replace(/^(\/(?:api\/v1\/)?(?:activation|activate|password-reset|reset)\/)[^/]+/, '$1[token]');
}
