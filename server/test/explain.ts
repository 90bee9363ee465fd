import { Placeholder } from 'drizzle-orm';
import type { Database } from '../src/db/client.ts';

/**
 * `EXPLAIN` of a drizzle query (anything with `toSQL()`; `placeholders` fill a prepared one's), as text, on either driver: the plan
 * checks of the hot queries use it so that a later change cannot silently lose an index.
 */
export async function explain(database: Database, query: { toSQL(): { sql: string; params: unknown[] } }, placeholders: Record<string, unknown> = {}): Promise<string> {
  const { sql, params: raw } = query.toSQL();
  const params = raw.map((p) => (p instanceof Placeholder ? placeholders[String(p.name)] : p));
  const client = (database.db as unknown as { $client: unknown }).$client;
  const text = `explain ${sql}`;
  // postgres.js (behind the circuit breaker's proxy, which answers `get` but not `in`) or PGlite.
  const rows = typeof (client as { unsafe?: unknown }).unsafe === 'function'
    ? await (client as { unsafe(q: string, p: unknown[]): Promise<Record<string, string>[]> }).unsafe(text, params)
    : (await (client as { query(q: string, p: unknown[]): Promise<{ rows: Record<string, string>[] }> }).query(text, params)).rows;
  return rows.map((r) => Object.values(r)[0]).join('\n');
}
