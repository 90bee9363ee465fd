import { createMiddleware } from 'hono/factory';
import type { AppEnv } from '../app-env.ts';
import { RETRY_AFTER_SECONDS } from '../db/unavailable.ts';
import { AppError } from '../lib/errors.ts';

export interface AdmissionOptions {
  /** Requests handled at once; the rest wait in line. */
  maxInFlight: number;
  /** How long a request may wait for its turn before it gets 503 + Retry-After. */
  maxWaitMs: number;
}

export interface AdmissionStats {
  inFlight: number;
  waiting: number;
  rejected: number;
}

/**
 * Backpressure at the edge: at most `maxInFlight` requests run at once (each may hold a
 * database connection; the pool is far smaller than the number of sockets a server accepts).
 * Later ones wait in a FIFO line for at most `maxWaitMs`, then answer `503 service_unavailable`
 * with `Retry-After`, so an overload turns into quick refusals instead of a growing heap of
 * pending requests and queries. A request's slot is held until its handler has returned
 * (a streamed download then continues outside the count).
 */
export function admission(options: AdmissionOptions) {
  const stats: AdmissionStats = { inFlight: 0, waiting: 0, rejected: 0 };
  interface Waiter {
    deadline: number;
    settle(granted: boolean): void;
  }
  const line: Waiter[] = [];

  // The deadline is checked both by a timer and when a slot frees up: on PGlite a burst of
  // requests can run as one long chain of microtasks in which no timer fires.
  function release() {
    for (let next = line.shift(); next; next = line.shift()) {
      if (performance.now() <= next.deadline) return next.settle(true); // the slot passes on
      next.settle(false);
    }
    stats.inFlight--;
  }

  /** Waits in line for a slot (the caller found none free); false when refused. */
  function waitForSlot(): Promise<boolean> {
    if (options.maxWaitMs <= 0) return Promise.resolve(false);
    return new Promise((resolve) => {
      const waiter: Waiter = {
        deadline: performance.now() + options.maxWaitMs,
        settle(granted) {
          clearTimeout(timer);
          stats.waiting--;
          resolve(granted);
        },
      };
      const timer = setTimeout(() => {
        const at = line.indexOf(waiter);
        if (at >= 0) {
          line.splice(at, 1);
          waiter.settle(false);
        }
      }, options.maxWaitMs);
      stats.waiting++;
      line.push(waiter);
    });
  }

  const middleware = createMiddleware<AppEnv>(async (c, next) => {
    // A slow client sends its (size-capped) body before it takes a slot, so that slow bodies
    // never hold a slot; the route reads the same bytes from Hono's body cache.
    if (c.req.method !== 'GET' && c.req.method !== 'HEAD' && c.req.raw.body) await c.req.arrayBuffer();
    // The usual case, a free slot, without a promise to wait on.
    if (stats.inFlight < options.maxInFlight) stats.inFlight++;
    else if (!(await waitForSlot())) {
      stats.rejected++;
      throw new AppError('service_unavailable', 'The server is busy; please try again in a few seconds.', {}, { 'Retry-After': String(RETRY_AFTER_SECONDS) });
    }
    try {
      await next();
    } finally {
      release();
    }
  });
  return Object.assign(middleware, { stats });
}
