import type { Context } from 'hono';
import type { AppEnv } from '../app-env.ts';
import { redactTokens } from '../lib/redact.ts';

/** One log line per request: method, path (never the query: it may hold search terms), status, time (edge.ts). */
export function logRequest(c: Context<AppEnv>, deps: AppEnv['Variables']['deps'], requestId: string, started: number): void {
  deps.logger.info('request', {
    requestId,
    method: c.req.method,
    path: redactTokens(c.req.path),
    status: c.res.status,
    ms: Math.round(performance.now() - started),
  });
}
