import { sql } from 'drizzle-orm';
import { bigint, date, index, integer, pgTable, primaryKey, text, uuid } from 'drizzle-orm/pg-core';
import { bytea, createdAt, id, instant, updatedAt } from './columns.ts';
import { dossiers } from './dossiers.ts';
import { organisations } from './organisations.ts';
import { users } from './users.ts';

/** A help request in a child's dossier. `organisationId` is denormalised for tenant checks. */
export const hulpvragen = pgTable(
  'hulpvragen',
  {
    id: id(),
    organisationId: uuid('organisation_id').notNull().references(() => organisations.id, { onDelete: 'cascade' }),
    dossierId: uuid('dossier_id').notNull().references(() => dossiers.id, { onDelete: 'cascade' }),
    date: date('date', { mode: 'string' }).notNull(),
    title: text('title').notNull(),
    description: text('description').notNull().default(''),
    status: text('status').notNull().default('aanmelding'),
    coordinatorId: uuid('coordinator_id').references(() => users.id, { onDelete: 'set null' }),
    labels: text('labels').array().notNull().default(sql`'{}'::text[]`),
    createdBy: uuid('created_by').references(() => users.id, { onDelete: 'set null' }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    // The dossier's list: newest first, a stable tie-break, an index-only page at any size.
    index('hulpvragen_dossier_date_idx').on(t.dossierId, t.date.desc(), t.createdAt.desc(), t.id.desc()),
    index('hulpvragen_org_status_idx').on(t.organisationId, t.status),
    index('hulpvragen_coordinator_idx').on(t.coordinatorId),
  ],
);

/** Every status change of a hulpvraag: who, when, from, to, note. */
export const hulpvraagStatusHistory = pgTable(
  'hulpvraag_status_history',
  {
    id: id(),
    hulpvraagId: uuid('hulpvraag_id').notNull().references(() => hulpvragen.id, { onDelete: 'cascade' }),
    fromStatus: text('from_status'),
    toStatus: text('to_status').notNull(),
    changedBy: uuid('changed_by').references(() => users.id, { onDelete: 'set null' }),
    note: text('note'),
    changedAt: instant('changed_at').notNull().defaultNow(),
  },
  (t) => [index('hulpvraag_status_history_hulpvraag_idx').on(t.hulpvraagId, t.changedAt)],
);

/** An attachment's metadata; its bytes live in `attachment_chunks`, written in one transaction. */
export const attachments = pgTable(
  'attachments',
  {
    id: id(),
    organisationId: uuid('organisation_id').notNull().references(() => organisations.id, { onDelete: 'cascade' }),
    hulpvraagId: uuid('hulpvraag_id').notNull().references(() => hulpvragen.id, { onDelete: 'cascade' }),
    filename: text('filename').notNull(),
    contentType: text('content_type').notNull(),
    size: bigint('size', { mode: 'number' }).notNull(),
    sha256: text('sha256').notNull(),
    chunkSize: integer('chunk_size').notNull(),
    chunkCount: integer('chunk_count').notNull(),
    createdBy: uuid('created_by').references(() => users.id, { onDelete: 'set null' }),
    createdAt: createdAt(),
  },
  (t) => [index('attachments_hulpvraag_idx').on(t.hulpvraagId, t.createdAt)],
);

export const attachmentChunks = pgTable(
  'attachment_chunks',
  {
    attachmentId: uuid('attachment_id').notNull().references(() => attachments.id, { onDelete: 'cascade' }),
    seq: integer('seq').notNull(),
    data: bytea('data').notNull(),
  },
  (t) => [primaryKey({ columns: [t.attachmentId, t.seq] })],
);
