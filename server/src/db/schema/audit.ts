import { sql } from 'drizzle-orm';
import { bigint, index, jsonb, pgTable, text, uuid } from 'drizzle-orm/pg-core';
import { instant } from './columns.ts';

export const auditOutcomes = ['success', 'failure', 'denied'] as const;
export type AuditOutcome = (typeof auditOutcomes)[number];

/**
 * NEN 7513-style access log: who (id, role, name at the time), what, when, from where, outcome.
 * No foreign keys on purpose: the log outlives the rows it speaks of, and is append-only (one
 * exception: a download's entry is written when it starts, with `detail.transfer: 'started'`, and
 * gets `complete` or `aborted` and the bytes sent when the stream ends).
 * `detail` is internal (e.g. why a login failed) and never shown to parents.
 */
export const auditLog = pgTable(
  'audit_log',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    at: instant('at').notNull().defaultNow(),
    organisationId: uuid('organisation_id'),
    actorUserId: uuid('actor_user_id'),
    actorRole: text('actor_role'),
    actorDisplayName: text('actor_display_name'),
    /** Set when the actor is an API token (acting as the organisation's service account). */
    actorTokenId: uuid('actor_token_id'),
    actorTokenName: text('actor_token_name'),
    action: text('action').notNull(),
    subjectType: text('subject_type'),
    subjectId: text('subject_id'),
    subjectLabel: text('subject_label'),
    dossierId: uuid('dossier_id'),
    ipAddress: text('ip_address'),
    userAgent: text('user_agent'),
    outcome: text('outcome', { enum: auditOutcomes }).notNull(),
    detail: jsonb('detail'),
  },
  (t) => [
    // Each ends in `id`: the audit log screen pages by keyset on (at, id), newest first (issue 11).
    index('audit_log_dossier_idx').on(t.dossierId, t.at.desc(), t.id.desc()),
    index('audit_log_org_idx').on(t.organisationId, t.at.desc(), t.id.desc()),
    index('audit_log_actor_idx').on(t.actorUserId, t.at.desc(), t.id.desc()),
    // Refused and failed entries are few among the reads: their own small index serves the outcome filter.
    index('audit_log_refusals_idx').on(t.organisationId, t.outcome, t.at.desc(), t.id.desc()).where(sql`${t.outcome} <> 'success'`),
  ],
);
