import { and, asc, eq, inArray } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.ts';
import { automationRules, mailTemplates, users, type RuleKind } from '../../db/schema/index.ts';
import { AppError } from '../../lib/errors.ts';
import { isUuid } from '../../lib/openapi.ts';
import { unknownPlaceholders } from '../mail-templates/placeholders.ts';
import { checkStatus } from '../statuses/service.ts';
import type { AutomationRule, AutomationRuleCreate, AutomationRulePatch } from './schemas.ts';

type Row = typeof automationRules.$inferSelect;
type Fields = Omit<typeof automationRules.$inferInsert, 'id' | 'organisationId' | 'position' | 'createdAt' | 'updatedAt'>;

const invalid = (path: string, message: string) => new AppError('validation_failed', `${path}: ${message}`, { errors: [{ path, message }] });

/** What each kind needs; every other field is cleared. */
const needs: Record<RuleKind, (keyof Fields)[]> = {
  title_keyword: ['keyword', 'setStatus'],
  attachment_status: ['setStatus'],
  entry_status: ['entryKind', 'setStatus'],
  status_coordinator: ['whenStatus', 'coordinatorId'],
  status_description: ['whenStatus', 'description'],
  status_mail: ['whenStatus', 'mailTemplateId', 'mailToGuardians', 'mailToCoordinator'],
};

/** Checks a rule as a whole against the organisation (statuses, coordinator, template, placeholders): 400 otherwise. */
async function normalise(db: DbOrTx, organisationId: string, input: Fields): Promise<Fields> {
  const keep = new Set(needs[input.kind]);
  const pick = <K extends keyof Fields>(k: K, empty: Fields[K]) => (keep.has(k) ? (input[k] ?? empty) : empty);
  const out: Fields = {
    name: input.name, enabled: input.enabled ?? true, kind: input.kind,
    keyword: pick('keyword', null), entryKind: pick('entryKind', null), whenStatus: pick('whenStatus', null), setStatus: pick('setStatus', null),
    coordinatorId: pick('coordinatorId', null), description: pick('description', null), mailTemplateId: pick('mailTemplateId', null),
    mailToGuardians: pick('mailToGuardians', false), mailToCoordinator: pick('mailToCoordinator', false),
  };
  for (const field of needs[input.kind]) {
    if (field === 'mailToGuardians' || field === 'mailToCoordinator') continue;
    if (out[field] === null || out[field] === undefined || out[field] === '') throw invalid(field, `needed for a rule of kind ${input.kind}`);
  }
  if (out.whenStatus) await checkStatus(db, organisationId, out.whenStatus, 'whenStatus');
  if (out.setStatus) await checkStatus(db, organisationId, out.setStatus, 'setStatus');
  if (out.coordinatorId) {
    const [found] = await db.select({ id: users.id }).from(users)
      .where(and(eq(users.id, out.coordinatorId), eq(users.organisationId, organisationId), eq(users.status, 'active'), inArray(users.role, ['coordinator', 'admin']))).limit(1);
    if (!found) throw invalid('coordinatorId', 'not an active coordinator or admin of your organisation');
  }
  if (out.mailTemplateId) {
    const [found] = await db.select({ id: mailTemplates.id }).from(mailTemplates).where(and(eq(mailTemplates.id, out.mailTemplateId), eq(mailTemplates.organisationId, organisationId))).limit(1);
    if (!found) throw invalid('mailTemplateId', 'not a mail template of your organisation');
  }
  if (input.kind === 'status_mail' && !out.mailToGuardians && !out.mailToCoordinator) throw invalid('mailToGuardians', 'choose the guardians, the coordinator, or both');
  if (out.description) {
    const unknown = unknownPlaceholders(out.description);
    if (unknown.length) {
      const message = `unknown placeholders ${unknown.map((u) => `{${u}}`).join(', ')}`;
      throw new AppError('validation_failed', `description: ${message}`, { errors: [{ path: 'description', message, unknownPlaceholders: unknown }] });
    }
  }
  return out;
}

export async function listRules(db: DbOrTx, organisationId: string): Promise<AutomationRule[]> {
  const rows = await db
    .select({ rule: automationRules, coordinatorName: users.displayName, templateName: mailTemplates.name })
    .from(automationRules)
    .leftJoin(users, eq(users.id, automationRules.coordinatorId))
    .leftJoin(mailTemplates, eq(mailTemplates.id, automationRules.mailTemplateId))
    .where(eq(automationRules.organisationId, organisationId))
    .orderBy(asc(automationRules.position), asc(automationRules.createdAt), asc(automationRules.id));
  return rows.map(({ rule: r, coordinatorName, templateName }) => ({
    id: r.id, name: r.name, position: r.position, enabled: r.enabled, kind: r.kind, keyword: r.keyword, entryKind: r.entryKind, whenStatus: r.whenStatus, setStatus: r.setStatus,
    coordinator: r.coordinatorId ? { id: r.coordinatorId, displayName: coordinatorName ?? '' } : null, description: r.description,
    mailTemplate: r.mailTemplateId ? { id: r.mailTemplateId, name: templateName ?? '' } : null, mailToGuardians: r.mailToGuardians, mailToCoordinator: r.mailToCoordinator,
  }));
}

async function findOwn(db: DbOrTx, organisationId: string, id: string): Promise<Row> {
  const [row] = isUuid(id) ? await db.select().from(automationRules).where(and(eq(automationRules.id, id), eq(automationRules.organisationId, organisationId))).for('update') : [];
  if (!row) throw new AppError('not_found', 'No automation rule with this id in your organisation.');
  return row;
}

/** Puts `movedId` at `position` (1-based, clamped) and numbers the rules 1…n again. */
async function reorder(db: DbOrTx, organisationId: string, movedId: string | null, position: number, now: Date) {
  const rows = await db.select({ id: automationRules.id, position: automationRules.position }).from(automationRules)
    .where(eq(automationRules.organisationId, organisationId)).orderBy(asc(automationRules.position), asc(automationRules.createdAt), asc(automationRules.id)).for('update');
  const others = rows.filter((r) => r.id !== movedId);
  const at = Math.max(0, Math.min(others.length, position - 1));
  const ordered = movedId ? [...others.slice(0, at), { id: movedId, position: -1 }, ...others.slice(at)] : others;
  for (const [i, row] of ordered.entries()) {
    if (row.position !== i + 1) await db.update(automationRules).set({ position: i + 1, updatedAt: now }).where(eq(automationRules.id, row.id));
  }
}

export async function createRule(db: DbOrTx, organisationId: string, input: AutomationRuleCreate, now: Date): Promise<Row> {
  const { position, ...rest } = input;
  const values = await normalise(db, organisationId, rest);
  const [row] = await db.insert(automationRules).values({ ...values, organisationId, position: 1_000_000, createdAt: now, updatedAt: now }).returning();
  await reorder(db, organisationId, row!.id, position ?? Number.MAX_SAFE_INTEGER, now);
  return findOwn(db, organisationId, row!.id);
}

export async function updateRule(db: DbOrTx, organisationId: string, id: string, input: AutomationRulePatch, now: Date): Promise<Row> {
  const before = await findOwn(db, organisationId, id);
  const { position, ...rest } = input;
  const { id: _i, organisationId: _o, position: _p, createdAt: _c, updatedAt: _u, ...current } = before;
  const values = await normalise(db, organisationId, { ...current, ...rest });
  await db.update(automationRules).set({ ...values, updatedAt: now }).where(eq(automationRules.id, id));
  if (position !== undefined) await reorder(db, organisationId, id, position, now);
  return findOwn(db, organisationId, id);
}

export async function deleteRule(db: DbOrTx, organisationId: string, id: string, now: Date): Promise<Row> {
  const row = await findOwn(db, organisationId, id);
  await db.delete(automationRules).where(eq(automationRules.id, id));
  await reorder(db, organisationId, null, 0, now);
  return row;
}
