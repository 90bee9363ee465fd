import type { Context } from 'hono';
import type { AuthEnv } from '../../authz/index.ts';
import type { DbOrTx } from '../../db/client.ts';
import { entryEvents, runAutomation, type AutomationContext, type AutomationResult, type WorkflowEvent } from './engine.ts';

/** The engine's context from a request: the caller's organisation, now, and where mail links point. */
const automationContext = (c: Context<AuthEnv>): AutomationContext => ({
  organisationId: c.var.principal.organisationId,
  now: c.var.deps.clock.now(),
  appSecret: c.var.deps.env.APP_SECRET,
  publicUrl: c.var.deps.env.PUBLIC_URL,
});

/** Runs the rules for `events` in the caller's transaction `tx`. Call `afterCommit` once it has committed. */
export async function automate(c: Context<AuthEnv>, tx: DbOrTx, events: WorkflowEvent[]): Promise<AutomationResult> {
  return runAutomation(tx, automationContext(c), events);
}

/** After commit: rule mails wait in the outbox; ask for prompt delivery. */
export function afterCommit(c: Context<AuthEnv>, result: AutomationResult | undefined | null) {
  if (result && result.mails > 0) c.var.deps.mailer.kick();
}

/** The events of a new Aanpak or TLV: one per open hulpvraag of the dossier. */
export async function automateEntry(c: Context<AuthEnv>, tx: DbOrTx, dossierId: string, kind: string): Promise<AutomationResult | null> {
  if (kind !== 'aanpak' && kind !== 'tlv') return null;
  return automate(c, tx, await entryEvents(tx, dossierId, kind));
}
