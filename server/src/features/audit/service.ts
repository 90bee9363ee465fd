import type { Context } from 'hono';
import { depsOf, type AppEnv } from '../../app-env.ts';
import { PgTransaction } from 'drizzle-orm/pg-core';
import type { Db, DbOrTx } from '../../db/client.ts';
import { preparedStatement } from '../../db/prepared.ts';
import { auditLog, type AuditOutcome } from '../../db/schema/index.ts';
import { principalOf } from '../../authz/principal.ts';
import { auditWriter, type AuditRow } from './group-commit.ts';

export interface AuditEntry {
  action: string;
  outcome: AuditOutcome;
  organisationId?: string | null;
  /** `token`: the API token the service account acted through (named in every entry it makes). */
  actor?: { id: string; role: string; displayName: string; token?: { id: string; name: string } } | null;
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

/**
 * Text as the caller gave it may hold anything (a path parameter of `%00`): PostgreSQL text
 * cannot hold NUL, and a log line needs no megabytes. The audit log must record every attempt.
 */
function clean(value: string | null | undefined, max = 500): string | null {
  if (value === null || value === undefined) return null;
  const text = value.replace(/\u0000/g, '\uFFFD');
  return text.length > max ? `${text.slice(0, max)}…` : text;
}

/**
 * Appends one entry to the audit log and gives its id, once it is committed. Call it inside the
 * transaction of the action it records; outside one (a read), the row goes through the group
 * commit of `auditWriter`, shared with the reads of other requests at the same moment.
 */
export async function recordAudit(db: DbOrTx, entry: AuditEntry): Promise<number> {
  const row = auditRow(entry);
  if (!(db instanceof PgTransaction)) return auditWriter(db).write(row);
  const [written] = await db.insert(auditLog).values(row).returning({ id: auditLog.id });
  return written!.id;
}

/** The row an entry becomes (text cleaned); for the few hot paths that insert it in a statement of their own. */
export function auditRow(entry: AuditEntry): AuditRow {
  return {
    at: entry.at ?? new Date(),
    organisationId: entry.organisationId ?? null,
    actorUserId: entry.actor?.id ?? null,
    actorRole: entry.actor?.role ?? null,
    actorDisplayName: clean(entry.actor?.displayName),
    actorTokenId: entry.actor?.token?.id ?? null,
    actorTokenName: clean(entry.actor?.token?.name),
    action: clean(entry.action, 200)!,
    subjectType: entry.subjectType ?? null,
    subjectId: clean(entry.subjectId, 200),
    subjectLabel: clean(entry.subjectLabel),
    dossierId: entry.dossierId ?? null,
    ipAddress: clean(entry.ipAddress, 100),
    userAgent: clean(entry.userAgent),
    outcome: entry.outcome,
    detail: entry.detail ?? null,
  };
}

/**
 * The one change an entry may get after it was written: the outcome of a transfer that was still
 * running then (a download: `{ transfer: 'complete' | 'aborted', bytes }`), merged into `detail`.
 */
export async function completeAuditDetail(db: Db, id: number, detail: Record<string, unknown>): Promise<void> {
  await completeDetail(db, [id, JSON.stringify(detail)]);
}

/**
 * Prepared (issue 12): every download ends with it, and on PGlite, which runs in the server's
 * own process, planning the update cost ≈ 3 ms against ≈ 0.4 ms to run it (bench/README.md).
 */
const completeDetail = preparedStatement(`update audit_log set detail = coalesce(detail, '{}'::jsonb) || $2::jsonb where id = $1`);

/**
 * The who/where/when of an audit entry, from the request (the principal when there is one). An
 * API token's entries name the token: its id and name, and `API-token <name>` as display name.
 */
export function auditContext<E extends AppEnv>(c: Context<E>): Pick<AuditEntry, 'actor' | 'organisationId' | 'ipAddress' | 'userAgent' | 'at'> {
  const p = principalOf(c);
  const actor = !p ? null
    : p.kind === 'token' ? { id: p.user.id, role: p.role, displayName: `API-token ${p.token.name}`, token: p.token }
    : { id: p.user.id, role: p.role, displayName: p.user.displayName };
  return {
    actor,
    organisationId: p?.organisationId ?? null,
    ipAddress: c.var.clientIp,
    userAgent: c.var.userAgent,
    at: depsOf(c).clock.now(),
  };
}
