import type { Db } from './client.ts';

type Row = Record<string, unknown>;
interface PostgresJs { unsafe(text: string, params: unknown[], options: { prepare: boolean }): Promise<Row[]> }
interface Pglite { query(text: string, params?: unknown[]): Promise<{ rows: Row[] }> }

/**
 * One hand-written statement for a hot path, run as a prepared statement: postgres.js parses and
 * plans it once per connection (`prepare: true`, keyed by its text); PGlite has no such cache
 * for `query(text, params)` — it parsed and planned the statement on every call, inside the
 * server's own process (9.7 ms of planning for the parents' list against 2.3 ms of execution) —
 * so on PGlite the statement is `PREPARE`d once per instance and run as `EXECUTE name(literals)`
 * (see `pgliteStatement`). For the few reads where drizzle's query building per request is the
 * cost (bench/README.md, issue 12); everything else uses drizzle. Parameters are `$1`…;
 * timestamps go in as ISO strings with a cast in the SQL.
 */
export function preparedStatement<R extends Row>(text: string): (db: Db, params: unknown[]) => Promise<R[]> {
  return async (db, params) => {
    const client = (db as unknown as { $client: PostgresJs | Pglite }).$client;
    // `typeof`, not `in`: the PostgreSQL client is a proxy (db/breaker.ts) that answers `get` only.
    if (typeof (client as Partial<PostgresJs>).unsafe === 'function') return (await (client as PostgresJs).unsafe(text, params, { prepare: true })) as R[];
    return (await pgliteStatement(client as Pglite, text, params)).rows as R[];
  };
}

/**
 * A query drizzle built, run as a prepared statement keyed by its text (`preparedStatement`): the
 * SQL stays drizzle's — for a filter that must stay in one place, such as authz/visibility.ts —
 * but PGlite plans it once per text instead of on every call. For a hot read whose text takes
 * only a few shapes (one per role, say), so that the statements kept stay few. The rows come
 * back as the database names their columns, in the database driver's types (not drizzle's
 * mapping: alias the columns, convert `bigint` and dates yourself).
 */
export function runPrepared<R extends Row>(db: Db, query: { toSQL(): { sql: string; params: unknown[] } }): Promise<R[]> {
  const { sql, params } = query.toSQL();
  return preparedStatement<R>(sql)(db, params);
}

/** Per PGlite instance: each statement text → the name it was prepared under (or null: it could not be). */
const pglitePrepared = new WeakMap<Pglite, Map<string, Promise<string | null>>>();

/**
 * PGlite: `PREPARE` the text once (PostgreSQL infers the parameter types, as for a bind), then
 * `EXECUTE` it with the values as SQL literals — EXECUTE takes no bind parameters. Only
 * strings, finite numbers, booleans and null are written as literals (a string quoted with its
 * quotes doubled: `standard_conforming_strings` is on, so nothing else is special); a call with
 * any other value, or a text PREPARE refuses, runs as before (`query(text, params)`).
 * PostgreSQL's plan cache then keeps the generic plan after five custom ones, as on a server.
 * prepared.test.ts compares the two ways for awkward values.
 */
async function pgliteStatement(client: Pglite, text: string, params: unknown[]) {
  const literals = params.map(literal);
  let prepared = pglitePrepared.get(client);
  if (!prepared) pglitePrepared.set(client, (prepared = new Map<string, Promise<string | null>>()));
  let name = prepared.get(text);
  if (!name) {
    const chosen = `kk_statement_${prepared.size + 1}`;
    name = client.query(`prepare ${chosen} as ${text}`).then(() => chosen, () => null);
    prepared.set(text, name);
  }
  const ready = await name;
  if (ready === null || literals.includes(undefined)) return client.query(text, params);
  return client.query(literals.length ? `execute ${ready}(${literals.join(', ')})` : `execute ${ready}`);
}

function literal(value: unknown): string | undefined {
  if (value === null) return 'null';
  if (typeof value === 'string') return value.includes('\u0000') ? undefined : `'${value.replace(/'/g, "''")}'`;
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : undefined;
  if (typeof value === 'boolean') return String(value);
  return undefined;
}
