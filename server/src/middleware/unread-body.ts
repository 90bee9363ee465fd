import type { IncomingMessage } from 'node:http';
import type { Context } from 'hono';
import type { AppEnv } from '../app-env.ts';

/**
 * An answer given before the request body was read (a 401, 413 or 415 to a POST with a body)
 * must not leave the rest of that body on a kept-alive connection, where the server would take
 * it for the next request and drop the socket. A small untouched body (declared with
 * Content-Length, at most `drainBytes`) is read and dropped before the answer goes out, within
 * `drainMs`, so the connection stays usable; anything else — a large or chunked body, one the
 * route already began to read — is answered with `Connection: close`, so the client opens a new
 * connection for its next request instead of finding this one gone.
 * Only on Node's server (`c.env.incoming`); `app.request()` in tests has no connection. Run by
 * edge.ts after the answer is made; a request without a body (every GET) costs a header lookup.
 */
export function unreadBody(options: { drainBytes: number; drainMs: number }) {
  return async (c: Context<AppEnv>): Promise<void> => {
    const incoming = (c.env as { incoming?: IncomingMessage } | undefined)?.incoming;
    if (!incoming || incoming.readableEnded || !hasBody(incoming)) return;
    if (await drain(c.req.raw, incoming, options)) return;
    try {
      c.res.headers.set('Connection', 'close');
    } catch {
      c.res = new Response(c.res.body, { status: c.res.status, headers: { ...Object.fromEntries(c.res.headers), Connection: 'close' } });
    }
  };
}

function hasBody(incoming: IncomingMessage): boolean {
  const length = incoming.headers['content-length'];
  return incoming.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
}

/** Reads the whole untouched body and drops it; false when that is not possible within the limits. */
async function drain(request: Request, incoming: IncomingMessage, options: { drainBytes: number; drainMs: number }): Promise<boolean> {
  const declared = Number(incoming.headers['content-length']);
  if (incoming.headers['transfer-encoding'] !== undefined || !Number.isFinite(declared) || declared > options.drainBytes) return false;
  const body = request.body;
  if (!body || body.locked || request.bodyUsed) return false;
  const reader = body.getReader();
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<'late'>((resolve) => {
    timer = setTimeout(() => resolve('late'), options.drainMs);
  });
  try {
    let read = 0;
    for (;;) {
      const next = await Promise.race([reader.read(), late]);
      if (next === 'late') return false;
      if (next.done) return true;
      read += next.value.byteLength;
      if (read > options.drainBytes) return false;
    }
  } catch {
    return false;
  } finally {
    clearTimeout(timer);
    reader.cancel().catch(() => {});
  }
}
