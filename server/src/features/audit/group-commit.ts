import { getTableColumns } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { preparedStatement } from '../../db/prepared.ts';
import { auditLog } from '../../db/schema/index.ts';

export type AuditRow = typeof auditLog.$inferInsert;

/** The table's columns but `id` (generated): the row's property → the column's name. */
const columns = Object.entries(getTableColumns(auditLog)).filter(([key]) => key !== 'id').map(([key, column]) => [key, column.name] as const);
const names = columns.map(([, name]) => name).join(', ');

/**
 * A batch of any size as ONE prepared statement (issue 12: drizzle built a multi-row INSERT per
 * batch, about 8 % of the server's CPU under the list bench): the rows go in as one JSON array,
 * `json_populate_recordset` gives them the table's column types, in the array's order.
 */
const insertBatch = preparedStatement<{ id: number | string }>(`
  insert into audit_log (${names})
  select ${names} from json_populate_recordset(null::audit_log, $1::json) with ordinality
  order by ordinality
  returning id`);

function asJson(rows: AuditRow[]): string {
  return JSON.stringify(rows.map((row) => {
    const out: Record<string, unknown> = {};
    for (const [key, name] of columns) out[name] = row[key as keyof AuditRow] ?? null;
    return out;
  }));
}

const insertRows = async (db: Db, rows: AuditRow[]): Promise<number[]> => (await insertBatch(db, [asJson(rows)])).map((r) => Number(r.id));

/** At most this many rows per INSERT. */
const MAX_BATCH = 256;

/**
 * Batches start at least this far apart, unless a full batch (`FULL_BATCH` rows) is waiting. A
 * commit is a WAL flush: on the bench machine it cost PostgreSQL 250–330 µs of CPU against
 * 15–20 µs per row, and where a commit is quick the rows that arrive during one are few. On PGlite
 * (one statement at a time, in this process) every row was committed on its own; with the floor
 * the list bench's batches hold 8–9 rows and the route's CPU per request fell 10–30 % (bench/
 * README.md, "The list at 20 per dossier", 2026-11-29). A request waits at most this much longer
 * for its row; a lone request (the last batch began longer ago) does not wait at all.
 */
const BATCH_INTERVAL_MS = 3;
const FULL_BATCH = 16;

interface Pending { row: AuditRow; done(id: number): void; failed(err: unknown): void }

/**
 * Group commit for audit rows written outside a transaction (the reads: every list, every
 * download). While one INSERT is committing, the rows of the requests that arrive meanwhile queue
 * up and go together in the next multi-row INSERT — one commit (one WAL flush) for many requests
 * instead of one each; a batch starts at most every `BATCH_INTERVAL_MS` unless a full one waits.
 * Every caller's promise resolves only once its own row is committed, so the row is still written
 * before the answer. A batch that fails is retried row by row, so a bad row fails only its own
 * request.
 */
function createAuditWriter(db: Db) {
  let queue: Pending[] = [];
  let flushing = false;
  let lastStart = -Infinity;
  /** Ends the wait for the interval early (a full batch is queued). */
  let wake: (() => void) | null = null;
  const stats = { batches: 0, rows: 0 };

  /** Until `BATCH_INTERVAL_MS` after the last batch began, or until `FULL_BATCH` rows wait. */
  async function gather() {
    const wait = lastStart + BATCH_INTERVAL_MS - performance.now();
    if (wait <= 0 || queue.length >= FULL_BATCH) return;
    await new Promise<void>((resume) => {
      const timer = setTimeout(() => wake?.(), wait);
      wake = () => {
        clearTimeout(timer);
        wake = null;
        resume();
      };
    });
  }

  async function flush() {
    flushing = true;
    try {
      while (queue.length > 0) {
        await gather();
        lastStart = performance.now();
        const batch = queue.slice(0, MAX_BATCH);
        queue = queue.slice(batch.length);
        stats.batches++;
        stats.rows += batch.length;
        try {
          // PostgreSQL inserts and returns the rows of one VALUES list in order.
          const ids = await insertRows(db, batch.map((p) => p.row));
          if (ids.length !== batch.length) throw new Error(`audit batch: ${ids.length} ids for ${batch.length} rows`);
          batch.forEach((p, i) => p.done(ids[i]!));
        } catch (err) {
          if (batch.length === 1) batch[0]!.failed(err);
          else {
            for (const p of batch) {
              await insertRows(db, [p.row]).then(([id]) => p.done(id!), (err: unknown) => p.failed(err));
            }
          }
        }
      }
    } finally {
      flushing = false;
    }
  }

  return {
    stats,
    /** Resolves with the row's id once it is committed. */
    write(row: AuditRow): Promise<number> {
      return new Promise<number>((done, failed) => {
        queue.push({ row, done, failed });
        if (!flushing) void flush();
        else if (queue.length >= FULL_BATCH) wake?.();
      });
    },
  };
}

const writers = new WeakMap<Db, ReturnType<typeof createAuditWriter>>();

/** The one audit writer of a database (one queue per connection pool or PGlite instance). */
export function auditWriter(db: Db) {
  let writer = writers.get(db);
  if (!writer) {
    writer = createAuditWriter(db);
    writers.set(db, writer);
  }
  return writer;
}

/** Batches and rows the audit writer of a database has written so far (the list bench prints the average batch). */
export function auditBatchStats(db: Db): { batches: number; rows: number } {
  return { ...(writers.get(db)?.stats ?? { batches: 0, rows: 0 }) };
}
