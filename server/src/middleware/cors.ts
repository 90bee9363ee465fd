import type { Context } from 'hono';
import { FIREFOX_EXTENSIONS } from '../lib/extension-id.ts';

export interface CorsOptions {
  origins: string[];
  allowHeaders?: string[];
  allowMethods?: string[];
  exposeHeaders?: string[];
  maxAge?: number;
}

/** What `moz-extension://*` matches: Firefox's per-install UUID origins, nothing else. */
const FIREFOX_ORIGIN = /^moz-extension:\/\/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Decides whether an Origin header is one of `origins` (exact, or matched by the Firefox pattern). */
export function originMatcher(origins: readonly string[]): (origin: string | undefined) => boolean {
  const exact = new Set(origins.filter((o) => o !== FIREFOX_EXTENSIONS));
  const anyFirefox = origins.includes(FIREFOX_EXTENSIONS);
  return (origin) => origin !== undefined && (exact.has(origin) || (anyFirefox && FIREFOX_ORIGIN.test(origin)));
}

/**
 * CORS for an allow-list of extension origins only. An allowed origin is echoed back (never
 * `*`, never with credentials: the API takes Bearer tokens, not cookies); an unknown origin
 * gets no CORS headers at all, so the browser blocks it; a preflight from it gets a bare 204.
 * Two steps, so that the edge middleware (edge.ts) runs them without a middleware of their own:
 * `preflight` answers an OPTIONS preflight before any route; `apply` adds the headers to an answer.
 * The header values are built once.
 */
export function corsPolicy(options: CorsOptions) {
  const allowed = originMatcher(options.origins);
  const allowHeaders = (options.allowHeaders ?? ['Authorization', 'Content-Type', 'Range', 'X-Request-Id']).join(', ');
  const allowMethods = (options.allowMethods ?? ['GET', 'POST', 'PATCH', 'DELETE', 'OPTIONS']).join(', ');
  const exposeHeaders = (
    options.exposeHeaders ?? ['Content-Disposition', 'Content-Length', 'Content-Range', 'ETag', 'Retry-After', 'X-Request-Id']
  ).join(', ');
  const maxAge = String(options.maxAge ?? 600);
  return {
    /** The answer to a CORS preflight, or undefined when the request is not one. */
    preflight(c: Context, origin: string | undefined): Response | undefined {
      if (c.req.method !== 'OPTIONS' || !c.req.header('access-control-request-method')) return undefined;
      if (!allowed(origin)) return c.body(null, 204, { Vary: 'Origin' });
      return c.body(null, 204, {
        'Access-Control-Allow-Origin': origin!,
        'Access-Control-Allow-Methods': allowMethods,
        'Access-Control-Allow-Headers': allowHeaders,
        'Access-Control-Max-Age': maxAge,
        Vary: 'Origin',
      });
    },
    /** Adds `Vary: Origin`, and for an allowed origin the CORS headers, to an answer's headers. */
    apply(headers: Headers, origin: string | undefined): void {
      headers.append('Vary', 'Origin');
      if (allowed(origin)) {
        headers.set('Access-Control-Allow-Origin', origin!);
        headers.set('Access-Control-Expose-Headers', exposeHeaders);
      }
    },
  };
}
