import type { Db } from './client.ts';

type Row = Record<string, unknown>;
interface PostgresJs { unsafe(text: string, params: unknown[], options: { prepare: boolean }): Promise<Row[]> }
interface Pglite { query(text: string, params: unknown[]): Promise<{ rows: Row[] }> }

/**
 * One hand-written statement for a hot path, run as a prepared statement: postgres.js parses and
 * plans it once per connection (`prepare: true`, keyed by its text); PGlite runs it with the
 * extended protocol. For the few reads where drizzle's query building per request is the cost
 * (bench/README.md, issue 12); everything else uses drizzle. Parameters are `$1`…; timestamps go
 * in as ISO strings with a cast in the SQL.
 */
export function preparedStatement<R extends Row>(text: string): (db: Db, params: unknown[]) => Promise<R[]> {
  return async (db, params) => {
    const client = (db as unknown as { $client: PostgresJs | Pglite }).$client;
    // `typeof`, not `in`: the PostgreSQL client is a proxy (db/breaker.ts) that answers `get` only.
    if (typeof (client as Partial<PostgresJs>).unsafe === 'function') return (await (client as PostgresJs).unsafe(text, params, { prepare: true })) as R[];
    return (await (client as Pglite).query(text, params)).rows as R[];
  };
}
