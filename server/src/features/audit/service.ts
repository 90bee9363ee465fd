import type { Context } from 'hono';
import type { AppEnv } from '../../app-env.ts';
import type { DbOrTx } from '../../db/client.ts';
import { auditLog, type AuditOutcome } from '../../db/schema/index.ts';

export interface AuditEntry {
  action: string;
  outcome: AuditOutcome;
  organisationId?: string | null;
  actor?: { id: string; role: string; displayName: string } | null;
  subjectType?: string;
  subjectId?: string;
  subjectLabel?: string;
  dossierId?: string | null;
  ipAddress?: string;
  userAgent?: string;
  /** Internal only (e.g. why a login failed); never shown to parents. */
  detail?: Record<string, unknown>;
  at?: Date;
}

/** Appends one entry to the audit log. Call it inside the transaction of the action it records. */
export async function recordAudit(db: DbOrTx, entry: AuditEntry): Promise<void> {
  await db.insert(auditLog).values({
    at: entry.at ?? new Date(),
    organisationId: entry.organisationId ?? null,
    actorUserId: entry.actor?.id ?? null,
    actorRole: entry.actor?.role ?? null,
    actorDisplayName: entry.actor?.displayName ?? null,
    action: entry.action,
    subjectType: entry.subjectType ?? null,
    subjectId: entry.subjectId ?? null,
    subjectLabel: entry.subjectLabel ?? null,
    dossierId: entry.dossierId ?? null,
    ipAddress: entry.ipAddress ?? null,
    userAgent: entry.userAgent ?? null,
    outcome: entry.outcome,
    detail: entry.detail ?? null,
  });
}

/** The who/where/when of an audit entry, from the request (signed-in actor when there is one). */
export function auditContext(c: Context<AppEnv>): Pick<AuditEntry, 'actor' | 'organisationId' | 'ipAddress' | 'userAgent' | 'at'> {
  const user = c.get('user') as AppEnv['Variables']['user'] | undefined;
  return {
    actor: user ? { id: user.id, role: user.role, displayName: user.displayName } : null,
    organisationId: user?.organisationId ?? null,
    ipAddress: c.var.clientIp,
    userAgent: c.var.userAgent,
    at: c.var.deps.clock.now(),
  };
}
