import { createMiddleware } from 'hono/factory';
import type { AppEnv } from '../app-env.ts';
import { redactTokens } from '../lib/redact.ts';

/** One log line per request: method, path (never the query: it may hold search terms), status, time. */
export function accessLog() {
  return createMiddleware<AppEnv>(async (c, next) => {
    const started = performance.now();
    await next();
    c.var.deps.logger.info('request', {
      requestId: c.var.requestId,
      method: c.req.method,
      path: redactTokens(c.req.path),
      status: c.res.status,
      ms: Math.round(performance.now() - started),
    });
  });
}
