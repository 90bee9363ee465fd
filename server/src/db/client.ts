import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { sql } from 'drizzle-orm';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js';
import postgres from 'postgres';
import { createBreaker, swappableClient } from './breaker.ts';
import * as schema from './schema/index.ts';

type Schema = typeof schema;
/** The drizzle database, whichever driver is behind it. */
export type Db = PgDatabase<PgQueryResultHKT, Schema>;
/** A transaction handle has the same query API. */
type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];
export type DbOrTx = Db | Tx;

export interface Database {
  db: Db;
  kind: 'pglite' | 'postgres';
  /** Throws when the database does not answer. */
  ping(): Promise<void>;
  close(): Promise<void>;
  /** PostgreSQL: false while the circuit breaker is open (the database is away). */
  available?(): boolean;
  /** PostgreSQL: a query found the database away; trip the breaker. */
  markUnavailable?(): void;
  /** Runs `fn` while holding a cluster-wide advisory lock (PostgreSQL); plain call on PGlite. */
  withAdvisoryLock<T>(key: number, fn: () => Promise<T>): Promise<T>;
}

export class DataDirLockedError extends Error {
  override name = 'DataDirLockedError';
}

/** Seconds postgres.js waits for a new connection before the query fails (→ 503). */
const CONNECT_TIMEOUT_SECONDS = 5;

/** Opens PostgreSQL through postgres.js, behind a circuit breaker (db/breaker.ts). */
export function openPostgres(url: string, options: { max?: number } = {}): Database {
  const breaker = createBreaker(url, () =>
    postgres(url, {
      max: options.max ?? 10,
      // A database that does not answer fails a request in seconds (503), never hangs it.
      connect_timeout: CONNECT_TIMEOUT_SECONDS,
      onnotice: () => {},
      connection: { application_name: 'kindkans' },
    }),
  );
  const client = swappableClient(breaker);
  const db = drizzlePostgres({ client, schema }) as unknown as Db;
  return {
    db,
    kind: 'postgres',
    ping: async () => {
      await client`select 1`;
    },
    close: () => breaker.close(),
    available: () => breaker.available(),
    markUnavailable: () => breaker.trip(),
    async withAdvisoryLock(key, fn) {
      const conn = await client.reserve();
      try {
        await conn`select pg_advisory_lock(${key})`;
        try {
          return await fn();
        } finally {
          await conn`select pg_advisory_unlock(${key})`;
        }
      } finally {
        conn.release();
      }
    },
  };
}

/**
 * Extensions the migrations create (pg_trgm: the dossier search's trigram indexes). PGlite must load
 * them when it opens, on every instance — `clone()` passes them on to the copy.
 */
const extensions = { pg_trgm };

/**
 * Opens embedded PGlite: in memory without a directory, else persisted in `dataDir`.
 * The directory belongs to one process at a time (a lock file holds the owner's pid): a second
 * process gets a DataDirLockedError instead of corrupting the files.
 */
export async function openPglite(dataDir?: string): Promise<Database> {
  let releaseLock = () => {};
  let client: PGlite;
  if (dataDir) {
    const dir = resolve(dataDir, 'pglite');
    mkdirSync(dir, { recursive: true });
    releaseLock = acquireDirLock(join(resolve(dataDir), 'pglite.lock'));
    try {
      client = await PGlite.create(dir, { extensions });
    } catch (err) {
      releaseLock();
      throw err;
    }
  } else {
    client = await PGlite.create({ extensions });
  }
  return wrapPglite(client, releaseLock);
}

/** A Database around an open PGlite (tests wrap clones of a migrated template this way). */
export function wrapPglite(client: PGlite, releaseLock: () => void = () => {}): Database {
  const db = drizzlePglite({ client, schema }) as unknown as Db;
  return {
    db,
    kind: 'pglite',
    ping: async () => {
      if (client.closed) throw new Error('database closed');
      await client.query('select 1');
    },
    async close() {
      if (!client.closed) await client.close();
      releaseLock();
    },
    withAdvisoryLock: (_key, fn) => fn(),
  };
}

export function openDatabase(config: { DATABASE_URL?: string | undefined; DATA_DIR: string; DATABASE_POOL_SIZE?: number }): Promise<Database> {
  return config.DATABASE_URL ? Promise.resolve(openPostgres(config.DATABASE_URL, { max: config.DATABASE_POOL_SIZE ?? 10 })) : openPglite(config.DATA_DIR);
}

function acquireDirLock(file: string): () => void {
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(file, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      let released = false;
      const release = () => {
        if (released) return;
        released = true;
        rmSync(file, { force: true });
        process.off('exit', release);
      };
      process.on('exit', release);
      return release;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const owner = Number.parseInt(readFileSync(file, 'utf8'), 10);
      if (Number.isInteger(owner) && (owner === process.pid || isAlive(owner))) {
        throw new DataDirLockedError(
          `The embedded database in ${resolve(file, '..')} is in use by another Kindkans process (pid ${owner}). ` +
            'Stop the server first (Ctrl+C), or use PostgreSQL via DATABASE_URL to run several processes.',
        );
      }
      rmSync(file, { force: true }); // stale: its owner is gone
    }
  }
  throw new DataDirLockedError(`Could not lock ${file}`);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** `select 1` through drizzle, for callers that only have a Db. */
export async function pingDb(db: Db): Promise<void> {
  await db.execute(sql`select 1`);
}
