import { sql } from 'drizzle-orm';
import { boolean, check, foreignKey, index, integer, pgTable, text, unique, uuid } from 'drizzle-orm/pg-core';
import { createdAt, id, updatedAt } from './columns.ts';
import { organisations } from './organisations.ts';
import { hulpvraagStatuses } from './statuses.ts';
import { users } from './users.ts';

/**
 * Beheer → Mailsjablonen: an organisation's mail for a workflow step. Subject and body hold
 * placeholders (`{kind}`, `{status}`, …; the list is in features/mail-templates), never more
 * of the dossier than the placeholders give.
 */
export const mailTemplates = pgTable(
  'mail_templates',
  {
    id: id(),
    organisationId: uuid('organisation_id').notNull().references(() => organisations.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    subject: text('subject').notNull(),
    body: text('body').notNull(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [unique('mail_templates_org_name_key').on(t.organisationId, t.name)],
);

/** What a rule reacts to and what it does (the six kinds the partnership asked for). */
export const ruleKinds = ['title_keyword', 'attachment_status', 'entry_status', 'status_coordinator', 'status_description', 'status_mail'] as const;
export type RuleKind = (typeof ruleKinds)[number];
export const ruleEntryKinds = ['aanpak', 'tlv'] as const;

/**
 * Beheer → Automatisering: one rule of an organisation, applied in `position` order when
 * enabled. Only the columns of its kind are set:
 * - title_keyword: `keyword` in the title → `setStatus`
 * - attachment_status: an attachment added → `setStatus`
 * - entry_status: an Aanpak or TLV (`entryKind`) added → `setStatus` of the open hulpvragen
 * - status_coordinator: status becomes `whenStatus` → `coordinatorId`
 * - status_description: status becomes `whenStatus` → `description` when empty
 * - status_mail: status becomes `whenStatus` → mail `mailTemplateId` to guardians and/or coordinator
 * Statuses refer to the organisation's list (a rename follows, a status a rule names cannot go).
 */
export const automationRules = pgTable(
  'automation_rules',
  {
    id: id(),
    organisationId: uuid('organisation_id').notNull().references(() => organisations.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    position: integer('position').notNull(),
    enabled: boolean('enabled').notNull().default(true),
    kind: text('kind', { enum: ruleKinds }).notNull(),
    keyword: text('keyword'),
    entryKind: text('entry_kind', { enum: ruleEntryKinds }),
    whenStatus: text('when_status'),
    setStatus: text('set_status'),
    coordinatorId: uuid('coordinator_id').references(() => users.id, { onDelete: 'set null' }),
    description: text('description'),
    mailTemplateId: uuid('mail_template_id').references(() => mailTemplates.id, { onDelete: 'restrict' }),
    mailToGuardians: boolean('mail_to_guardians').notNull().default(false),
    mailToCoordinator: boolean('mail_to_coordinator').notNull().default(false),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index('automation_rules_org_position_idx').on(t.organisationId, t.position),
    check('automation_rules_kind_check', sql`${t.kind} in ('title_keyword', 'attachment_status', 'entry_status', 'status_coordinator', 'status_description', 'status_mail')`),
    foreignKey({ name: 'automation_rules_when_status_fk', columns: [t.organisationId, t.whenStatus], foreignColumns: [hulpvraagStatuses.organisationId, hulpvraagStatuses.name] })
      .onUpdate('cascade').onDelete('restrict'),
    foreignKey({ name: 'automation_rules_set_status_fk', columns: [t.organisationId, t.setStatus], foreignColumns: [hulpvraagStatuses.organisationId, hulpvraagStatuses.name] })
      .onUpdate('cascade').onDelete('restrict'),
  ],
);
