import { getConnInfo } from '@hono/node-server/conninfo';
import type { Context } from 'hono';
import { randomUUID } from 'node:crypto';
import type { AppEnv } from '../app-env.ts';

const REQUEST_ID = /^[A-Za-z0-9._-]{8,64}$/;

/**
 * Sets `requestId` (a sane incoming X-Request-Id or a new UUID; edge.ts echoes it back), the
 * client's address (the socket's, or with `trustProxy` the last X-Forwarded-For hop) and user agent.
 */
export function requestContext(options: { trustProxy?: boolean } = {}) {
  const trustProxy = options.trustProxy ?? false;
  return (c: Context<AppEnv>): string => {
    const incoming = c.req.header('x-request-id');
    const requestId = incoming && REQUEST_ID.test(incoming) ? incoming : randomUUID();
    c.set('requestId', requestId);
    c.set('clientIp', clientAddress(c, trustProxy));
    c.set('userAgent', (c.req.header('user-agent') ?? '').slice(0, 512));
    return requestId;
  };
}

function clientAddress(c: Parameters<typeof getConnInfo>[0], trustProxy: boolean): string {
  if (trustProxy) {
    const hops = c.req.header('x-forwarded-for')?.split(',').map((s) => s.trim()).filter(Boolean);
    const last = hops?.at(-1);
    if (last) return last;
  }
  try {
    return getConnInfo(c).remote.address ?? 'unknown';
  } catch {
    return 'unknown'; // app.request() in tests has no socket
  }
}
