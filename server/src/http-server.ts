import { serve, type ServerType } from '@hono/node-server';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Env } from './env.ts';

type Fetch = (request: Request, env?: unknown) => Response | Promise<Response>;

export type TimeoutSettings = Pick<Env, 'HEADERS_TIMEOUT_MS' | 'REQUEST_TIMEOUT_MS' | 'KEEP_ALIVE_TIMEOUT_MS'>;

export interface HttpServer {
  server: Server;
  port: number;
  /** Handlers that have not returned yet (also those whose client already went away). */
  inFlight(): number;
  /**
   * Graceful stop: no new connections; requests in flight (uploads, downloads) finish up to
   * `deadlineMs`, then the remaining connections are cut; resolves once every handler has
   * returned (so their audit rows are written) — only then may the caller close the database.
   * Resolves `true` when everything finished before the deadline.
   */
  shutdown(deadlineMs: number): Promise<boolean>;
}

/**
 * The Node HTTP server of main.ts, with the slow-client limits set:
 * - headers must arrive within HEADERS_TIMEOUT_MS (slowloris), the whole request within
 *   REQUEST_TIMEOUT_MS (a body that never finishes), else Node answers 408 and closes;
 * - an idle keep-alive connection is closed after KEEP_ALIVE_TIMEOUT_MS, and any connection
 *   on which no byte moves for REQUEST_TIMEOUT_MS;
 * - the checks run every second (Node's default is every 30 s).
 * Idle connections cost a socket and a few KB each; they hold no database connection and no
 * admission slot, so they cannot starve other users.
 */
export function startHttpServer(fetch: Fetch, env: TimeoutSettings & Pick<Env, 'PORT' | 'HOST'>, onListen?: (port: number) => void): Promise<HttpServer> {
  let running = 0;
  let idleWaiters: Array<() => void> = [];
  const settle = () => {
    if (running > 0) return;
    for (const w of idleWaiters) w();
    idleWaiters = [];
  };
  const tracked: Fetch = async (request, bindings) => {
    running++;
    try {
      const response = await fetch(request, bindings);
      // Answered before the client sent its whole body (an error, a refusal): close the
      // connection after the answer. Otherwise Node would wait for the rest of a body that may
      // never come, and the request timeout no longer applies once a response is out.
      const { incoming, outgoing } = (bindings ?? {}) as { incoming?: IncomingMessage; outgoing?: ServerResponse };
      if (incoming && outgoing && !incoming.complete && !outgoing.headersSent) outgoing.setHeader('Connection', 'close');
      return response;
    } finally {
      running--;
      settle();
    }
  };
  return new Promise((resolve) => {
    const instance: ServerType = serve(
      {
        fetch: tracked,
        port: env.PORT,
        hostname: env.HOST,
        serverOptions: { headersTimeout: env.HEADERS_TIMEOUT_MS, requestTimeout: env.REQUEST_TIMEOUT_MS, connectionsCheckingInterval: 1000 },
      },
      (info: AddressInfo) => {
        onListen?.(info.port);
        resolve(wrap(instance as Server, info.port));
      },
    );
    const server = instance as Server;
    server.keepAliveTimeout = env.KEEP_ALIVE_TIMEOUT_MS;
    server.headersTimeout = env.HEADERS_TIMEOUT_MS;
    server.requestTimeout = env.REQUEST_TIMEOUT_MS;
    // Backstop: a connection on which nothing moves for that long is closed, whatever state
    // its request is in (Node checks the request timeout only while no answer has been sent).
    server.timeout = env.REQUEST_TIMEOUT_MS;
  });

  function wrap(server: Server, port: number): HttpServer {
    const handlersDone = () => new Promise<void>((ok) => (running === 0 ? ok() : idleWaiters.push(ok)));
    return {
      server,
      port,
      inFlight: () => running,
      async shutdown(deadlineMs) {
        const closed = new Promise<void>((ok) => server.close(() => ok()));
        // Keep-alive connections that fall idle while we wait are closed at once.
        server.closeIdleConnections();
        const sweeper = setInterval(() => server.closeIdleConnections(), 100);
        let timer: NodeJS.Timeout | undefined;
        const deadline = new Promise<'late'>((ok) => (timer = setTimeout(() => ok('late'), deadlineMs)));
        const outcome = await Promise.race([Promise.all([closed, handlersDone()]).then(() => 'done' as const), deadline]);
        clearTimeout(timer);
        clearInterval(sweeper);
        if (outcome === 'late') {
          server.closeAllConnections();
          // Handlers whose client was cut still run to their end (bounded by the database timeouts).
          await Promise.race([handlersDone(), new Promise((ok) => setTimeout(ok, 5_000).unref())]);
        }
        return outcome === 'done';
      },
    };
  }
}
