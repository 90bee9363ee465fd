import { and, asc, count, eq, or, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.ts';
import { automationRules, defaultStatuses, hulpvraagStatuses, hulpvragen } from '../../db/schema/index.ts';
import { AppError } from '../../lib/errors.ts';
import { isUuid } from '../../lib/openapi.ts';
import { recomputeStatusFacts } from '../hulpvragen/status-facts.ts';
import type { HulpvraagStatus, HulpvraagStatusCreate, HulpvraagStatusPatch } from './schemas.ts';

type Row = typeof hulpvraagStatuses.$inferSelect;

/** Gives a new organisation the default statuses (aanmelding … afgerond). */
export async function seedStatuses(db: DbOrTx, organisationId: string): Promise<void> {
  await db.insert(hulpvraagStatuses)
    .values(defaultStatuses.map((s, i) => ({ organisationId, name: s.name, closes: s.closes, position: i + 1 })))
    .onConflictDoNothing();
}

/** The organisation's statuses in their order, each with how many hulpvragen have it now. */
export async function listStatuses(db: DbOrTx, organisationId: string): Promise<HulpvraagStatus[]> {
  const rows = await db
    .select({
      id: hulpvraagStatuses.id, name: hulpvraagStatuses.name, position: hulpvraagStatuses.position, closes: hulpvraagStatuses.closes,
      // Table-qualified by hand: drizzle leaves columns bare in a single-table select.
      inUse: sql<number>`(select count(*)::int from hulpvragen h where h.organisation_id = "hulpvraag_statuses"."organisation_id" and h.status = "hulpvraag_statuses"."name")`,
    })
    .from(hulpvraagStatuses)
    .where(eq(hulpvraagStatuses.organisationId, organisationId))
    .orderBy(asc(hulpvraagStatuses.position), asc(hulpvraagStatuses.name));
  return rows.map((r) => ({ ...r, inUse: Number(r.inUse) }));
}

/** One status of the organisation by name, or null. */
async function findStatus(db: DbOrTx, organisationId: string, name: string): Promise<Row | null> {
  const [row] = await db.select().from(hulpvraagStatuses).where(and(eq(hulpvraagStatuses.organisationId, organisationId), eq(hulpvraagStatuses.name, name))).limit(1);
  return row ?? null;
}

/** Refuses (400 validation_failed, naming the field) a status the organisation does not have. */
export async function checkStatus(db: DbOrTx, organisationId: string, name: string, path = 'status'): Promise<Row> {
  const found = await findStatus(db, organisationId, name);
  if (!found) {
    throw new AppError('validation_failed', `${path}: "${name}" is not a status of your organisation (Beheer → Statussen).`, { errors: [{ path, message: 'unknown status' }] });
  }
  return found;
}

/** The status a new hulpvraag gets when none is given: the first in the list. */
export async function firstStatus(db: DbOrTx, organisationId: string): Promise<string> {
  const [row] = await db.select({ name: hulpvraagStatuses.name }).from(hulpvraagStatuses)
    .where(eq(hulpvraagStatuses.organisationId, organisationId)).orderBy(asc(hulpvraagStatuses.position), asc(hulpvraagStatuses.name)).limit(1);
  if (!row) throw new AppError('conflict', 'Your organisation has no statuses yet: an admin adds them under Beheer → Statussen.');
  return row.name;
}

async function findOwn(db: DbOrTx, organisationId: string, id: string): Promise<Row> {
  const [row] = isUuid(id) ? await db.select().from(hulpvraagStatuses).where(and(eq(hulpvraagStatuses.id, id), eq(hulpvraagStatuses.organisationId, organisationId))).for('update') : [];
  if (!row) throw new AppError('not_found', 'No status with this id in your organisation.');
  return row;
}

/** Puts `movedId` at `position` (1-based, clamped) and numbers the whole list 1…n again. */
async function reorder(db: DbOrTx, organisationId: string, movedId: string, position: number, now: Date) {
  const rows = await db.select({ id: hulpvraagStatuses.id, position: hulpvraagStatuses.position }).from(hulpvraagStatuses)
    .where(eq(hulpvraagStatuses.organisationId, organisationId)).orderBy(asc(hulpvraagStatuses.position), asc(hulpvraagStatuses.name)).for('update');
  const others = rows.filter((r) => r.id !== movedId);
  const at = Math.max(0, Math.min(others.length, position - 1));
  const ordered = [...others.slice(0, at), { id: movedId, position: -1 }, ...others.slice(at)];
  for (const [i, row] of ordered.entries()) {
    if (row.position !== i + 1) await db.update(hulpvraagStatuses).set({ position: i + 1, updatedAt: now }).where(eq(hulpvraagStatuses.id, row.id));
  }
}

const duplicate = (name: string) =>
  new AppError('validation_failed', `name: your organisation already has the status "${name}".`, { errors: [{ path: 'name', message: 'already exists' }] });

export async function createStatus(db: DbOrTx, organisationId: string, input: HulpvraagStatusCreate, now: Date): Promise<Row> {
  if (await findStatus(db, organisationId, input.name)) throw duplicate(input.name);
  const [row] = await db.insert(hulpvraagStatuses)
    .values({ organisationId, name: input.name, closes: input.closes ?? false, position: 1_000_000, createdAt: now, updatedAt: now })
    .onConflictDoNothing().returning();
  if (!row) throw duplicate(input.name);
  await reorder(db, organisationId, row.id, input.position ?? Number.MAX_SAFE_INTEGER, now);
  // A closing status may have a name the history already holds (a deleted one, made again).
  if (row.closes) await recomputeStatusFacts(db, organisationId);
  return findOwn(db, organisationId, row.id);
}

/** Renames (hulpvragen and rules follow), moves, or flips `closes`. */
export async function updateStatus(db: DbOrTx, organisationId: string, id: string, input: HulpvraagStatusPatch, now: Date): Promise<{ before: Row; after: Row }> {
  const before = await findOwn(db, organisationId, id);
  if (input.name !== undefined && input.name !== before.name && (await findStatus(db, organisationId, input.name))) throw duplicate(input.name);
  await db.update(hulpvraagStatuses).set({
    ...(input.name !== undefined ? { name: input.name } : {}), ...(input.closes !== undefined ? { closes: input.closes } : {}), updatedAt: now,
  }).where(eq(hulpvraagStatuses.id, id));
  if (input.position !== undefined) await reorder(db, organisationId, id, input.position, now);
  const after = await findOwn(db, organisationId, id);
  // What closes is the list as it is now, by name (the history keeps the names it was written
  // with): flipping `closes`, or renaming a closing status, changes the hulpvragen' first close.
  if (before.closes !== after.closes || (after.closes && before.name !== after.name)) await recomputeStatusFacts(db, organisationId);
  return { before, after };
}

/** Deletes a status nothing uses (409 conflict otherwise: move those hulpvragen first). */
export async function deleteStatus(db: DbOrTx, organisationId: string, id: string, now: Date): Promise<Row> {
  const row = await findOwn(db, organisationId, id);
  const [used] = await db.select({ n: count() }).from(hulpvragen).where(and(eq(hulpvragen.organisationId, organisationId), eq(hulpvragen.status, row.name)));
  if ((used?.n ?? 0) > 0) throw new AppError('conflict', `The status "${row.name}" is used by ${used!.n} hulpvragen: give them another status first.`);
  const [{ n: total } = { n: 0 }] = await db.select({ n: count() }).from(hulpvraagStatuses).where(eq(hulpvraagStatuses.organisationId, organisationId));
  if (total <= 1) throw new AppError('conflict', 'The last status cannot be deleted: a hulpvraag always has a status.');
  await deleteReferenced(db, row);
  await reorder(db, organisationId, row.id, Number.MAX_SAFE_INTEGER, now);
  if (row.closes) await recomputeStatusFacts(db, organisationId);
  return row;
}

/** The delete itself; a status an automation rule still names is kept (409). */
async function deleteReferenced(db: DbOrTx, row: Row) {
  const [rule] = await db.select({ name: automationRules.name }).from(automationRules)
    .where(and(eq(automationRules.organisationId, row.organisationId), or(eq(automationRules.whenStatus, row.name), eq(automationRules.setStatus, row.name)))).limit(1);
  if (rule) throw new AppError('conflict', `The status "${row.name}" is used by the automation rule "${rule.name}": change or delete that rule first.`);
  await db.delete(hulpvraagStatuses).where(eq(hulpvraagStatuses.id, row.id));
}
