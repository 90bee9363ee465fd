import { index, integer, pgTable, text, uuid } from 'drizzle-orm/pg-core';
import { createdAt, id, instant } from './columns.ts';

export const mailStatuses = ['pending', 'sent', 'failed'] as const;

/**
 * Every e-mail is written here first (in the transaction that causes it), then delivered.
 * Bodies hold links with tokens, so they are sealed (AES-256-GCM) and wiped once sent.
 * A failed delivery stays with its error and is retried with backoff; nothing is lost.
 */
export const mailOutbox = pgTable(
  'mail_outbox',
  {
    id: id(),
    organisationId: uuid('organisation_id'),
    /**
     * The dossier (and hulpvraag) a mail is about (workflow mails), so that anonymising it cancels
     * the mails not sent yet and scrubs the subject of those sent. No foreign key: the row outlives them.
     */
    dossierId: uuid('dossier_id'),
    hulpvraagId: uuid('hulpvraag_id'),
    template: text('template').notNull(),
    toAddress: text('to_address').notNull(),
    subject: text('subject').notNull(),
    bodyEnc: text('body_enc'),
    status: text('status', { enum: mailStatuses }).notNull().default('pending'),
    attempts: integer('attempts').notNull().default(0),
    lastError: text('last_error'),
    nextAttemptAt: instant('next_attempt_at').notNull().defaultNow(),
    sentAt: instant('sent_at'),
    createdAt: createdAt(),
  },
  (t) => [index('mail_outbox_due_idx').on(t.status, t.nextAttemptAt), index('mail_outbox_dossier_idx').on(t.dossierId)],
);
