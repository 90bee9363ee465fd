import { createMiddleware } from 'hono/factory';
import type { AppEnv } from '../app-env.ts';

export interface CorsOptions {
  origins: string[];
  allowHeaders?: string[];
  allowMethods?: string[];
  exposeHeaders?: string[];
  maxAge?: number;
}

/**
 * CORS for an allow-list of extension origins only. An unknown origin gets no CORS headers at
 * all (never `*`), so the browser blocks it; a preflight from it gets a bare 204.
 */
export function cors(options: CorsOptions) {
  const allowed = new Set(options.origins);
  const allowHeaders = (options.allowHeaders ?? ['Authorization', 'Content-Type', 'Range', 'X-Request-Id']).join(', ');
  const allowMethods = (options.allowMethods ?? ['GET', 'POST', 'PATCH', 'DELETE', 'OPTIONS']).join(', ');
  const exposeHeaders = (
    options.exposeHeaders ?? ['Content-Disposition', 'Content-Length', 'Content-Range', 'ETag', 'Retry-After', 'X-Request-Id']
  ).join(', ');
  return createMiddleware<AppEnv>(async (c, next) => {
    const origin = c.req.header('origin');
    const ok = origin !== undefined && allowed.has(origin);
    if (c.req.method === 'OPTIONS' && c.req.header('access-control-request-method')) {
      if (!ok) return c.body(null, 204, { Vary: 'Origin' });
      return c.body(null, 204, {
        'Access-Control-Allow-Origin': origin,
        'Access-Control-Allow-Methods': allowMethods,
        'Access-Control-Allow-Headers': allowHeaders,
        'Access-Control-Max-Age': String(options.maxAge ?? 600),
        Vary: 'Origin',
      });
    }
    await next();
    c.header('Vary', 'Origin', { append: true });
    if (ok) {
      c.header('Access-Control-Allow-Origin', origin);
      c.header('Access-Control-Expose-Headers', exposeHeaders);
    }
  });
}
