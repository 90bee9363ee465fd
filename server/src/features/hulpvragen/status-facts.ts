import { and, eq, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.ts';
import { hulpvraagStatuses, hulpvraagStatusHistory, hulpvragen } from '../../db/schema/index.ts';

/**
 * The facts a hulpvraag keeps of its Status informatie (`registered_at`, `first_closed_at`, read by
 * the Kengetallen' doorlooptijd), kept true in the transaction that writes the history:
 * - `registered_at`: the earliest row of kind `status` (the one written when it was registered);
 * - `first_closed_at`: the earliest row of kind `status` into a status that closes — as the
 *   organisation's list is *now*, so a change to that list (a status created, renamed, deleted or
 *   its `closes` flipped) recomputes them for the organisation (`recomputeStatusFacts`).
 * Both are minimums over the history, so re-opening and closing again keeps the first close, and
 * the order in which rows are written does not matter.
 */

type HistoryRow = typeof hulpvraagStatusHistory.$inferInsert & { changedAt: Date };

/** Writes one row of Status informatie and, for a status change, the hulpvraag's facts (one caller transaction). */
export async function insertStatusHistory(db: DbOrTx, row: HistoryRow): Promise<void> {
  await db.insert(hulpvraagStatusHistory).values(row);
  if ((row.kind ?? 'status') !== 'status') return;
  const at = sql`${row.changedAt.toISOString()}::timestamptz`;
  const closes = db.select({ one: sql`1` }).from(hulpvraagStatuses)
    .where(and(eq(hulpvraagStatuses.organisationId, hulpvragen.organisationId), eq(hulpvraagStatuses.name, row.toStatus), eq(hulpvraagStatuses.closes, true)));
  await db.update(hulpvragen).set({
    // least() skips a null: the first row sets it, a later one only if it is earlier.
    registeredAt: sql`least(${hulpvragen.registeredAt}, ${at})`,
    firstClosedAt: sql`case when exists (${closes}) then least(${hulpvragen.firstClosedAt}, ${at}) else ${hulpvragen.firstClosedAt} end`,
  }).where(eq(hulpvragen.id, row.hulpvraagId));
}

/**
 * Recomputes the facts of the organisation's hulpvragen from their history (after its list of
 * statuses changed what closes); writes only the rows whose facts change. The migration
 * `hulpvraag_first_closed_at` backfilled them with the same query for every organisation.
 */
export async function recomputeStatusFacts(db: DbOrTx, organisationId: string): Promise<void> {
  await db.execute(sql`
    update hulpvragen h set registered_at = f.registered, first_closed_at = f.closed
    from (
      select e.hulpvraag_id, min(e.changed_at) as registered, min(e.changed_at) filter (where s.closes) as closed
      from hulpvraag_status_history e
      join hulpvragen x on x.id = e.hulpvraag_id
      left join hulpvraag_statuses s on s.organisation_id = x.organisation_id and s.name = e.to_status
      where e.kind = 'status' and x.organisation_id = ${organisationId}
      group by e.hulpvraag_id
    ) f
    where h.id = f.hulpvraag_id and (h.registered_at is distinct from f.registered or h.first_closed_at is distinct from f.closed)`);
}
