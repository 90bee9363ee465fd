import postgres from 'postgres';

type Sql = postgres.Sql;

/** How often a tripped breaker asks the database whether it is back. */
const PROBE_EVERY_MS = 1_000;
const PROBE_TIMEOUT_MS = 2_500;

export interface Breaker {
  /** The pool to use now (destroyed when the breaker trips, replaced when the database is back). */
  client(): Sql;
  available(): boolean;
  /** The database is away: fail fast from now on, drop every queued query, probe until it is back. */
  trip(): void;
  close(): Promise<void>;
}

/**
 * The circuit breaker around the postgres.js pool. postgres.js keeps a query that waits for a
 * connection until it gets one, retrying with a growing backoff (up to 20 s) while the database
 * is away: a request would hang for the whole outage, and a write queued then would still be
 * applied later although its client had long given up. So the first "database unavailable"
 * error trips the breaker: the pool is destroyed (its queued queries fail at once, none is
 * sent later; new ones fail at once too), requests get 503 + Retry-After, and a separate
 * one-connection probe asks every second whether the database is back; then a fresh pool
 * takes over. Kindkans recovers without a restart.
 */
export function createBreaker(url: string, open: () => Sql): Breaker {
  let current = open();
  let up = true;
  let closed = false;
  let probing: NodeJS.Timeout | null = null;

  async function probe(): Promise<boolean> {
    const sql = postgres(url, { max: 1, connect_timeout: 2, onnotice: () => {}, connection: { application_name: 'kindkans-probe' } });
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([sql`select 1`, new Promise((_, reject) => (timer = setTimeout(() => reject(new Error('probe timeout')), PROBE_TIMEOUT_MS)))]);
      return true;
    } catch {
      return false;
    } finally {
      clearTimeout(timer);
      void sql.end({ timeout: 0 }).catch(() => {});
    }
  }

  function schedule() {
    probing = setTimeout(async () => {
      probing = null;
      if (closed) return;
      if (!(await probe())) return schedule();
      if (closed) return;
      // Back: a fresh pool takes the place of the destroyed one. drizzle set its type parsers
      // on the first pool's options: the new pool needs the same.
      const fresh = open();
      Object.assign(fresh.options.parsers, current.options.parsers);
      Object.assign(fresh.options.serializers, current.options.serializers);
      current = fresh;
      up = true;
    }, PROBE_EVERY_MS);
    probing.unref();
  }

  return {
    client: () => current,
    available: () => up,
    trip() {
      if (!up || closed) return;
      up = false;
      // Destroyed, the old pool rejects what waits in it and everything asked of it until the
      // probe finds the database back (CONNECTION_ENDED → 503 at once).
      void current.end({ timeout: 0 }).catch(() => {});
      schedule();
    },
    async close() {
      closed = true;
      if (probing) clearTimeout(probing);
      await current.end({ timeout: 5 });
    },
  };
}

/** A postgres.js-shaped handle that always calls the breaker's current pool (drizzle holds this one). */
export function swappableClient(breaker: Breaker): Sql {
  const target = function () {} as unknown as Sql;
  return new Proxy(target, {
    apply: (_t, _this, args: unknown[]) => (breaker.client() as unknown as (...a: unknown[]) => unknown)(...args),
    get: (_t, prop) => {
      const value = (breaker.client() as unknown as Record<PropertyKey, unknown>)[prop];
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(breaker.client()) : value;
    },
  });
}
