import { and, asc, eq, inArray } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.ts';
import {
  automationRules, dossiers, guardians, hulpvraagStatuses, hulpvragen, mailTemplates, organisations, schools, users,
  type HistoryKind, type RuleKind,
} from '../../db/schema/index.ts';
import { enqueueMail } from '../../mail/outbox.ts';
import { recordAudit } from '../audit/service.ts';
import { insertStatusHistory } from '../hulpvragen/status-facts.ts';
import { fillPlaceholders, type PlaceholderValues } from '../mail-templates/placeholders.ts';
import { runChain, type ChainResult } from './chain.ts';

/** A change that rules can react to; `entry` is one open hulpvraag of the dossier an Aanpak or TLV was added to. */
export type WorkflowEvent =
  | { type: 'created' | 'title' | 'attachment'; hulpvraagId: string }
  | { type: 'status'; hulpvraagId: string; status: string }
  | { type: 'entry'; hulpvraagId: string; entryKind: 'aanpak' | 'tlv' };

export interface AutomationContext {
  organisationId: string;
  now: Date;
  /** Mail bodies are sealed with it in the outbox. */
  appSecret: string;
  /** `{link}` in mails: where to look. */
  publicUrl: string;
}

export interface AutomationResult extends ChainResult { mails: number }

type Rule = typeof automationRules.$inferSelect;

const triggers: Record<RuleKind, (rule: Rule, e: WorkflowEvent) => boolean> = {
  title_keyword: (_r, e) => e.type === 'created' || e.type === 'title',
  attachment_status: (_r, e) => e.type === 'attachment',
  entry_status: (r, e) => e.type === 'entry' && e.entryKind === r.entryKind,
  status_coordinator: (r, e) => e.type === 'status' && e.status === r.whenStatus,
  status_description: (r, e) => e.type === 'status' && e.status === r.whenStatus,
  status_mail: (r, e) => e.type === 'status' && e.status === r.whenStatus,
};

/** The hulpvraag as the rules see it, with what the placeholders need. */
async function loadHulpvraag(db: DbOrTx, id: string) {
  const [row] = await db
    .select({
      id: hulpvragen.id, organisationId: hulpvragen.organisationId, dossierId: hulpvragen.dossierId, title: hulpvragen.title, status: hulpvragen.status,
      description: hulpvragen.description, coordinatorId: hulpvragen.coordinatorId, visibleToParents: hulpvragen.visibleToParents,
      firstName: dossiers.firstName, school: schools.name, orgCode: organisations.code, orgName: organisations.name, closing: organisations.mailClosing,
    })
    .from(hulpvragen)
    .innerJoin(dossiers, eq(dossiers.id, hulpvragen.dossierId))
    .innerJoin(schools, eq(schools.id, dossiers.schoolId))
    .innerJoin(organisations, eq(organisations.id, hulpvragen.organisationId))
    .where(eq(hulpvragen.id, id))
    .for('update', { of: hulpvragen });
  return row ?? null;
}
type Loaded = NonNullable<Awaited<ReturnType<typeof loadHulpvraag>>>;

/** An active coordinator or admin of the organisation, or null. */
async function activeStaff(db: DbOrTx, organisationId: string, id: string | null) {
  if (!id) return null;
  const [row] = await db.select({ id: users.id, displayName: users.displayName, email: users.email }).from(users)
    .where(and(eq(users.id, id), eq(users.organisationId, organisationId), eq(users.status, 'active'), inArray(users.role, ['coordinator', 'admin']))).limit(1);
  return row ?? null;
}

const dutchDate = (now: Date) => now.toLocaleDateString('nl-NL', { timeZone: 'Europe/Amsterdam', day: '2-digit', month: '2-digit', year: 'numeric' });

async function valuesFor(db: DbOrTx, h: Loaded, ctx: AutomationContext): Promise<PlaceholderValues> {
  const coordinator = h.coordinatorId ? await activeStaff(db, h.organisationId, h.coordinatorId) : null;
  return {
    kind: h.firstName, status: h.status, school: h.school, link: ctx.publicUrl, organisatie: `${h.orgCode} ${h.orgName}`,
    datum: dutchDate(ctx.now), coordinator: coordinator?.displayName ?? '',
  };
}

/**
 * Applies the organisation's enabled rules, in order, to `events`, inside the caller's transaction
 * (the one of the change that caused them). Rule-made changes are new events; a chain stops after
 * 5 steps and never loops (chain.ts). Each change is in the status history as automatic, naming
 * the rule, and in the audit log; mails go to the outbox (call `mailer.kick()` after commit).
 */
export async function runAutomation(db: DbOrTx, ctx: AutomationContext, events: readonly WorkflowEvent[]): Promise<AutomationResult> {
  if (events.length === 0) return { steps: 0, stopped: false, mails: 0 };
  const rules = await db.select().from(automationRules)
    .where(and(eq(automationRules.organisationId, ctx.organisationId), eq(automationRules.enabled, true)))
    .orderBy(asc(automationRules.position), asc(automationRules.createdAt), asc(automationRules.id));
  if (rules.length === 0) return { steps: 0, stopped: false, mails: 0 };
  let mails = 0;

  const record = async (h: Loaded, rule: Rule, kind: HistoryKind, change: { from?: string; to?: string; note: string | null }) => {
    await insertStatusHistory(db, {
      hulpvraagId: h.id, fromStatus: change.from ?? h.status, toStatus: change.to ?? h.status, changedBy: null, note: change.note,
      kind, automatic: true, ruleId: rule.id, ruleName: rule.name, changedAt: ctx.now,
    });
    await recordAudit(db, {
      action: `automation.${kind}`, outcome: 'success', organisationId: ctx.organisationId, actor: null, subjectType: 'hulpvraag', subjectId: h.id,
      subjectLabel: h.title, dossierId: h.dossierId, detail: { rule: { id: rule.id, name: rule.name }, ...(change.to ? { from: change.from, to: change.to } : {}) }, at: ctx.now,
    });
  };

  const apply = async (rule: Rule, event: WorkflowEvent): Promise<WorkflowEvent[] | null> => {
    const h = await loadHulpvraag(db, event.hulpvraagId);
    if (!h || h.organisationId !== ctx.organisationId) return null;
    switch (rule.kind) {
      case 'title_keyword':
      case 'attachment_status':
      case 'entry_status': {
        if (rule.kind === 'title_keyword' && (!rule.keyword || !h.title.toLocaleLowerCase('nl').includes(rule.keyword.toLocaleLowerCase('nl')))) return null;
        if (!rule.setStatus || h.status === rule.setStatus) return null;
        await db.update(hulpvragen).set({ status: rule.setStatus, updatedAt: ctx.now }).where(eq(hulpvragen.id, h.id));
        await record(h, rule, 'status', { from: h.status, to: rule.setStatus, note: null });
        return [{ type: 'status', hulpvraagId: h.id, status: rule.setStatus }];
      }
      case 'status_coordinator': {
        const coordinator = await activeStaff(db, ctx.organisationId, rule.coordinatorId);
        if (!coordinator || h.coordinatorId === coordinator.id) return null;
        await db.update(hulpvragen).set({ coordinatorId: coordinator.id, updatedAt: ctx.now }).where(eq(hulpvragen.id, h.id));
        await record(h, rule, 'coordinator', { note: `Coördinator: ${coordinator.displayName}` });
        return [];
      }
      case 'status_description': {
        if (!rule.description || h.description.trim() !== '') return null;
        const description = fillPlaceholders(rule.description, await valuesFor(db, h, ctx));
        await db.update(hulpvragen).set({ description, updatedAt: ctx.now }).where(eq(hulpvragen.id, h.id));
        await record(h, rule, 'description', { note: 'Omschrijving ingevuld' });
        return [];
      }
      case 'status_mail': {
        const sent = await sendRuleMail(db, ctx, rule, h);
        if (sent === 0) return null;
        mails += sent;
        await record(h, rule, 'mail', { note: `E-mail verstuurd aan ${sent} ${sent === 1 ? 'ontvanger' : 'ontvangers'}` });
        return [];
      }
    }
  };

  const result = await runChain(rules.map((r) => ({ ...r, matches: (e: WorkflowEvent) => triggers[r.kind](r, e) })), events, apply);
  if (result.stopped) {
    await recordAudit(db, {
      action: 'automation.stopped', outcome: 'failure', organisationId: ctx.organisationId, actor: null, subjectType: 'hulpvraag', subjectId: events[0]!.hulpvraagId,
      detail: { reason: `a chain of rules stops after ${result.steps} steps` }, at: ctx.now,
    });
  }
  return { ...result, mails };
}

/** The rule's mail to the guardians (only of a hulpvraag shared with parents) and/or the coordinator; how many went. */
async function sendRuleMail(db: DbOrTx, ctx: AutomationContext, rule: Rule, h: Loaded): Promise<number> {
  if (!rule.mailTemplateId) return 0;
  const [template] = await db.select().from(mailTemplates).where(and(eq(mailTemplates.id, rule.mailTemplateId), eq(mailTemplates.organisationId, ctx.organisationId)));
  if (!template) return 0;
  const to = new Set<string>();
  if (rule.mailToGuardians && h.visibleToParents) {
    const rows = await db.select({ email: users.email }).from(guardians).innerJoin(users, eq(users.id, guardians.userId))
      .where(and(eq(guardians.dossierId, h.dossierId), eq(users.organisationId, ctx.organisationId), eq(users.role, 'parent'), eq(users.status, 'active')));
    for (const r of rows) if (r.email) to.add(r.email);
  }
  if (rule.mailToCoordinator) {
    const coordinator = await activeStaff(db, ctx.organisationId, h.coordinatorId);
    if (coordinator?.email) to.add(coordinator.email);
  }
  if (to.size === 0) return 0;
  const values = await valuesFor(db, h, ctx);
  const mail = {
    template: 'workflow' as const, organisation: values.organisatie,
    subject: fillPlaceholders(template.subject, values), body: fillPlaceholders(template.body, values), closing: fillPlaceholders(h.closing, values),
  };
  for (const address of to) await enqueueMail(db, ctx.appSecret, { to: address, organisationId: ctx.organisationId, now: ctx.now, about: { dossierId: h.dossierId, hulpvraagId: h.id }, mail });
  return to.size;
}

/** `entry` events for the open hulpvragen (status not closing) of a dossier an Aanpak or TLV was added to. */
export async function entryEvents(db: DbOrTx, dossierId: string, entryKind: 'aanpak' | 'tlv'): Promise<WorkflowEvent[]> {
  const rows = await db.select({ id: hulpvragen.id }).from(hulpvragen)
    .innerJoin(hulpvraagStatuses, and(eq(hulpvraagStatuses.organisationId, hulpvragen.organisationId), eq(hulpvraagStatuses.name, hulpvragen.status)))
    .where(and(eq(hulpvragen.dossierId, dossierId), eq(hulpvraagStatuses.closes, false)))
    .orderBy(asc(hulpvragen.createdAt), asc(hulpvragen.id));
  return rows.map((r) => ({ type: 'entry', hulpvraagId: r.id, entryKind }));
}
