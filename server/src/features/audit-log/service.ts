import { and, eq, gte, like, lt, sql, type SQL } from 'drizzle-orm';
import type { Db, DbOrTx } from '../../db/client.ts';
import { auditLog, type AccountRole } from '../../db/schema/index.ts';
import { AppError } from '../../lib/errors.ts';
import { CSV_BOM, csvLine } from '../../lib/csv.ts';
import type { AuditFilters, AuditLogItem } from './schemas.ts';

/**
 * Where the keyset page starts: the (at, id) of the last row of the previous page. `at` travels
 * as PostgreSQL's own text of the timestamp (microseconds; a JS Date would cut them to ms and
 * skip or repeat rows at a page boundary).
 */
interface Cursor { at: string; id: number }

/** PostgreSQL's text of a timestamptz (`2031-03-01 12:00:00.123456+00`), the only `at` a cursor may carry. */
const PG_TIMESTAMP = /^\d{4}-\d\d-\d\d[ T]\d\d:\d\d:\d\d(\.\d{1,6})?([+-]\d\d(:?\d\d){0,2}|Z)?$/;

const encodeCursor = (c: Cursor) => Buffer.from(JSON.stringify([c.at, c.id])).toString('base64url');

function decodeCursor(text: string): Cursor {
  try {
    const [at, id] = JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as unknown[];
    if (typeof at === 'string' && PG_TIMESTAMP.test(at) && Number.isSafeInteger(id)) return { at, id: id as number };
  } catch {
    // falls through to the error below
  }
  throw new AppError('validation_failed', 'cursor: not a cursor this server gave out.', { errors: [{ path: 'cursor', message: 'unknown cursor' }] });
}

/** The rows of one organisation that the filters select (the index is (organisation_id, at, id); actor and dossier have their own). */
function whereOf(organisationId: string, f: AuditFilters, after: Cursor | null): SQL {
  const action = f.action?.endsWith('*') ? like(auditLog.action, `${f.action.slice(0, -1).replace(/[\\%_]/g, '\\$&')}%`) : f.action ? eq(auditLog.action, f.action) : undefined;
  return and(
    eq(auditLog.organisationId, organisationId),
    f.actorId ? eq(auditLog.actorUserId, f.actorId) : undefined,
    f.tokenId ? eq(auditLog.actorTokenId, f.tokenId) : undefined,
    action,
    f.dossierId ? eq(auditLog.dossierId, f.dossierId) : undefined,
    f.outcome ? eq(auditLog.outcome, f.outcome) : undefined,
    f.from ? gte(auditLog.at, new Date(f.from)) : undefined,
    f.to ? lt(auditLog.at, new Date(f.to)) : undefined,
    after ? sql`(${auditLog.at}, ${auditLog.id}) < (${after.at}::timestamptz, ${after.id})` : undefined,
  )!;
}

/** One keyset page, newest first (exported for the plan test). */
export function auditPageQuery(db: DbOrTx, organisationId: string, filters: AuditFilters, after: Cursor | null, limit: number) {
  return db
    .select({ row: auditLog, atText: sql<string>`${auditLog.at}::text` })
    .from(auditLog)
    .where(whereOf(organisationId, filters, after))
    // `nulls last` as the indexes have it (drizzle-kit writes DESC NULLS LAST): a plain DESC would sort.
    .orderBy(sql`${auditLog.at} desc nulls last`, sql`${auditLog.id} desc nulls last`)
    .limit(limit);
}

type Row = Awaited<ReturnType<typeof auditPageQuery>>[number];

function toItem({ row: r }: Row): AuditLogItem {
  return {
    id: r.id,
    at: r.at.toISOString(),
    action: r.action,
    outcome: r.outcome,
    actor: r.actorUserId || r.actorRole || r.actorTokenId
      ? { id: r.actorUserId, role: r.actorRole as AccountRole | null, displayName: r.actorDisplayName, token: r.actorTokenId ? { id: r.actorTokenId, name: r.actorTokenName } : null }
      : null,
    subject: { type: r.subjectType, id: r.subjectId, label: r.subjectLabel },
    dossierId: r.dossierId,
    ipAddress: r.ipAddress,
    userAgent: r.userAgent,
    detail: (r.detail as Record<string, unknown> | null) ?? null,
  };
}

/** A page of the organisation's audit log, newest first, and the cursor of the next (null: the last). */
export async function listAuditLog(db: DbOrTx, organisationId: string, filters: AuditFilters, page: { cursor?: string | undefined; pageSize: number }) {
  const after = page.cursor ? decodeCursor(page.cursor) : null;
  const rows = await auditPageQuery(db, organisationId, filters, after, page.pageSize + 1);
  const more = rows.length > page.pageSize;
  const shown = more ? rows.slice(0, page.pageSize) : rows;
  const last = shown.at(-1);
  return { items: shown.map(toItem), nextCursor: more && last ? encodeCursor({ at: last.atText, id: last.row.id }) : null };
}

const AUDIT_CSV_HEADER = ['Tijdstip (UTC)', 'Actie', 'Uitkomst', 'Rol', 'Naam', 'Account-id', 'API-token', 'Onderwerp (soort)', 'Onderwerp-id', 'Onderwerp', 'Dossier-id', 'IP-adres', 'User-agent', 'Detail'];

const csvOf = ({ row: r }: Row) =>
  csvLine([r.at, r.action, r.outcome, r.actorRole, r.actorDisplayName, r.actorUserId, r.actorTokenName, r.subjectType, r.subjectId, r.subjectLabel, r.dossierId, r.ipAddress, r.userAgent, r.detail ? JSON.stringify(r.detail) : null]);

/** Rows per query of an export: ≈ 0.5 MB of CSV in memory at most. */
export const EXPORT_BATCH = 2000;

export interface ExportEnd { transfer: 'complete' | 'aborted'; rows: number }

/**
 * The audit log as CSV, produced while it is sent: each pull reads the next keyset batch, so
 * memory holds one batch whatever the row count, the socket's pace sets the pace of the queries,
 * and a client that leaves stops the reading. Keyset batches rather than a server-side cursor:
 * they hold no connection and no transaction between batches (a slow client would otherwise pin
 * a pooled connection, and an old snapshot, for the whole download), and they work the same on
 * PGlite's single connection. The log is append-only and read newest first from where the export
 * began, so rows written meanwhile are not in it and none is read twice.
 */
export function streamAuditCsv(db: Db, organisationId: string, filters: AuditFilters, onEnd: (end: ExportEnd) => void = () => {}): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  let after: Cursor | null = null;
  let rows = 0;
  let started = false;
  let ended = false;
  const end = (transfer: ExportEnd['transfer']) => {
    if (ended) return;
    ended = true;
    onEnd({ transfer, rows });
  };
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        try {
          if (!started) {
            started = true;
            controller.enqueue(encoder.encode(CSV_BOM + csvLine(AUDIT_CSV_HEADER)));
            return;
          }
          const batch = await auditPageQuery(db, organisationId, filters, after, EXPORT_BATCH);
          if (ended) return;
          if (batch.length > 0) {
            controller.enqueue(encoder.encode(batch.map(csvOf).join('')));
            rows += batch.length;
            const last = batch.at(-1)!;
            after = { at: last.atText, id: last.row.id };
          }
          if (batch.length < EXPORT_BATCH) {
            controller.close();
            end('complete');
          }
        } catch (err) {
          end('aborted');
          throw err;
        }
      },
      cancel() {
        end('aborted');
      },
    },
    { highWaterMark: 1 },
  );
}
