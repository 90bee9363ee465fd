import { z } from '@hono/zod-openapi';
import { ruleEntryKinds, ruleKinds } from '../../db/schema/index.ts';
import { multiLine, singleLine } from '../dossiers/schemas.ts';

const status = singleLine(50).min(1);

export const AutomationRule = z
  .object({
    id: z.uuid(),
    name: z.string(),
    position: z.number().int(),
    enabled: z.boolean(),
    kind: z.enum(ruleKinds).openapi({ description: 'title_keyword · attachment_status · entry_status → setStatus; status_coordinator · status_description · status_mail on whenStatus' }),
    keyword: z.string().nullable(),
    entryKind: z.enum(ruleEntryKinds).nullable(),
    whenStatus: z.string().nullable(),
    setStatus: z.string().nullable(),
    coordinator: z.object({ id: z.uuid(), displayName: z.string() }).nullable(),
    description: z.string().nullable(),
    mailTemplate: z.object({ id: z.uuid(), name: z.string() }).nullable(),
    mailToGuardians: z.boolean(),
    mailToCoordinator: z.boolean(),
  })
  .openapi('AutomationRule');

const fields = {
  name: singleLine(100).min(1),
  position: z.number().int().min(1).max(1000),
  enabled: z.boolean(),
  kind: z.enum(ruleKinds),
  keyword: singleLine(100).min(1).nullable(),
  entryKind: z.enum(ruleEntryKinds).nullable(),
  whenStatus: status.nullable(),
  setStatus: status.nullable(),
  coordinatorId: z.uuid().nullable(),
  description: multiLine(20_000).nullable(),
  mailTemplateId: z.uuid().nullable(),
  mailToGuardians: z.boolean(),
  mailToCoordinator: z.boolean(),
};

export const AutomationRuleCreate = z
  .object({ ...fields, position: fields.position.optional(), enabled: fields.enabled.optional() })
  .partial({ keyword: true, entryKind: true, whenStatus: true, setStatus: true, coordinatorId: true, description: true, mailTemplateId: true, mailToGuardians: true, mailToCoordinator: true })
  .openapi('AutomationRuleCreate');

export const AutomationRulePatch = z
  .object(fields)
  .partial()
  .refine((v) => Object.keys(v).length > 0, 'give at least one field')
  .openapi('AutomationRulePatch');

export type AutomationRule = z.infer<typeof AutomationRule>;
export type AutomationRuleCreate = z.infer<typeof AutomationRuleCreate>;
export type AutomationRulePatch = z.infer<typeof AutomationRulePatch>;
