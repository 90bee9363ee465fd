import { sql } from 'drizzle-orm';
import { type AnyPgColumn, bigint, bigserial, boolean, check, date, foreignKey, index, integer, pgTable, primaryKey, text, uuid } from 'drizzle-orm/pg-core';
import { bytea, createdAt, id, instant, updatedAt } from './columns.ts';
import { dossiers } from './dossiers.ts';
import { organisations } from './organisations.ts';
import { hulpvraagStatuses } from './statuses.ts';
import { automationRules } from './automation.ts';
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
    /** Guardians see the hulpvraag in the popup (on unless staff switch it off). */
    visibleToParents: boolean('visible_to_parents').notNull().default(true),
    createdBy: uuid('created_by').references(() => users.id, { onDelete: 'set null' }),
    /** Set when an admin anonymised this hulpvraag (or its dossier): title and text replaced, attachments gone, read-only. */
    anonymisedAt: instant('anonymised_at'),
    /**
     * Facts of its Status informatie, kept here so that the Kengetallen' doorlooptijd is read from
     * this table's index alone (hulpvragen/status-facts.ts keeps them true): when the first row of
     * kind `status` was written (the registration), and the first arrival in a status that closes
     * (one marked `closes` in the organisation's list as it is now; null while never closed).
     * Re-opening and closing again keeps the first close.
     */
    registeredAt: instant('registered_at'),
    firstClosedAt: instant('first_closed_at'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    // The dossier's list: newest first, a stable tie-break, an index-only page at any size.
    index('hulpvragen_dossier_date_idx').on(t.dossierId, t.date.desc(), t.createdAt.desc(), t.id.desc()),
    // A parent's total counts only what parents may see: an index-only count here, where the
    // index above would have to read the heap for `visible_to_parents` (hulpvragen-plan.test.ts).
    index('hulpvragen_dossier_parents_idx').on(t.dossierId).where(sql`${t.visibleToParents}`),
    // ... and the hulpvragen hidden from parents: with the index above they partition a dossier,
    // so everyone else's total is two small index-only counts (the dossier id deduplicated), not
    // a walk through the wide date index (hot-list.ts, hulpvragen-plan.test.ts).
    index('hulpvragen_dossier_hidden_idx').on(t.dossierId).where(sql`not ${t.visibleToParents}`),
    // The staff list across dossiers (GET /hulpvragen), newest first, with or without a status
    // filter: one page read in index order at a million rows (hulpvragen-plan.test.ts). The first
    // also serves the status foreign key (organisation, status).
    index('hulpvragen_org_status_date_idx').on(t.organisationId, t.status, t.date.desc(), t.createdAt.desc(), t.id.desc()),
    index('hulpvragen_org_date_idx').on(t.organisationId, t.date.desc(), t.createdAt.desc(), t.id.desc()),
    index('hulpvragen_coordinator_idx').on(t.coordinatorId),
    // Kengetallen: a period of an organisation's hulpvragen by status, school and month, read from the index alone.
    index('hulpvragen_org_period_idx').on(t.organisationId, t.date, t.status, t.dossierId),
    // Kengetallen (doorlooptijd): the hulpvragen first closed in a period, with their registration, from the index alone.
    index('hulpvragen_org_first_closed_idx').on(t.organisationId, t.firstClosedAt, t.registeredAt, t.dossierId).where(sql`${t.firstClosedAt} is not null`),
    // The status is one of the organisation's statuses: a rename follows through, one in use cannot be deleted.
    foreignKey({ name: 'hulpvragen_status_fk', columns: [t.organisationId, t.status], foreignColumns: [hulpvraagStatuses.organisationId, hulpvraagStatuses.name] })
      .onUpdate('cascade').onDelete('restrict'),
  ],
);

export const historyKinds = ['status', 'coordinator', 'description', 'mail'] as const;
export type HistoryKind = (typeof historyKinds)[number];

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
    /** What changed: the status, or (by a rule) the coordinator, the description, or a mail sent. */
    kind: text('kind', { enum: historyKinds }).notNull().default('status'),
    /** Made by an automation rule (Status informatie shows it as automatic, naming the rule). */
    automatic: boolean('automatic').notNull().default(false),
    ruleId: uuid('rule_id').references((): AnyPgColumn => automationRules.id, { onDelete: 'set null' }),
    /** The rule's name at the time (kept when the rule is renamed or deleted). */
    ruleName: text('rule_name'),
    changedAt: instant('changed_at').notNull().defaultNow(),
    /** Order of writing: a change and what rules did after it share one instant. */
    seq: bigserial('seq', { mode: 'number' }).notNull(),
  },
  (t) => [
    // (The Kengetallen' doorlooptijd reads the hulpvraag's own first_closed_at, not this table.)
    index('hulpvraag_status_history_hulpvraag_idx').on(t.hulpvraagId, t.changedAt),
  ],
);

export const entryKinds = ['aanpak', 'tlv', 'overleg'] as const;
export type EntryKind = (typeof entryKinds)[number];
export const tlvTypes = ['sbo', 'so-laag', 'so-midden', 'so-hoog'] as const;
export const tlvStatuses = ['aangevraagd', 'toegekend', 'afgewezen', 'ingetrokken'] as const;

/**
 * The dated items of a dossier's tabs Aanpak, TLV (toelaatbaarheidsverklaring) and Overlegronde,
 * in one table: they share date, title, text, author, attachments and the parents' visibility
 * (off by default). TLV fields and the meeting's participants are used by their kind only.
 */
export const dossierEntries = pgTable(
  'dossier_entries',
  {
    id: id(),
    organisationId: uuid('organisation_id').notNull().references(() => organisations.id, { onDelete: 'cascade' }),
    dossierId: uuid('dossier_id').notNull().references(() => dossiers.id, { onDelete: 'cascade' }),
    kind: text('kind', { enum: entryKinds }).notNull(),
    date: date('date', { mode: 'string' }).notNull(),
    title: text('title').notNull().default(''),
    body: text('body').notNull().default(''),
    visibleToParents: boolean('visible_to_parents').notNull().default(false),
    tlvType: text('tlv_type', { enum: tlvTypes }),
    tlvStatus: text('tlv_status', { enum: tlvStatuses }),
    startDate: date('start_date', { mode: 'string' }),
    endDate: date('end_date', { mode: 'string' }),
    decisionDate: date('decision_date', { mode: 'string' }),
    participants: text('participants').array().notNull().default(sql`'{}'::text[]`),
    /** TLV archiveren: an archived TLV leaves every list; admins still find it. */
    archivedAt: instant('archived_at'),
    /** Overlegronde met besloten deelname: only the invited (entry_participants) see it. */
    closed: boolean('closed').notNull().default(false),
    createdBy: uuid('created_by').references(() => users.id, { onDelete: 'set null' }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index('dossier_entries_dossier_idx').on(t.dossierId, t.kind, t.date.desc(), t.createdAt.desc()),
    // Kengetallen: an organisation's TLVs by end date.
    index('dossier_entries_tlv_end_idx').on(t.organisationId, t.endDate).where(sql`${t.kind} = 'tlv'`),
    check('dossier_entries_kind_check', sql`${t.kind} in ('aanpak', 'tlv', 'overleg')`),
    check('dossier_entries_tlv_check', sql`(${t.kind} = 'tlv') = (${t.tlvType} is not null and ${t.tlvStatus} is not null)`),
  ],
);

/** Who is invited to a closed Overlegronde: staff who may see the dossier and its guardians. */
export const entryParticipants = pgTable(
  'entry_participants',
  {
    entryId: uuid('entry_id').notNull().references(() => dossierEntries.id, { onDelete: 'cascade' }),
    userId: uuid('user_id').notNull().references(() => users.id, { onDelete: 'cascade' }),
  },
  (t) => [primaryKey({ columns: [t.entryId, t.userId] }), index('entry_participants_user_idx').on(t.userId)],
);

/** Mijn notities: a staff member's private notes on a dossier. Only the author ever reads them. */
export const privateNotes = pgTable(
  'private_notes',
  {
    id: id(),
    organisationId: uuid('organisation_id').notNull().references(() => organisations.id, { onDelete: 'cascade' }),
    dossierId: uuid('dossier_id').notNull().references(() => dossiers.id, { onDelete: 'cascade' }),
    authorId: uuid('author_id').notNull().references(() => users.id, { onDelete: 'cascade' }),
    body: text('body').notNull(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [index('private_notes_author_dossier_idx').on(t.authorId, t.dossierId, t.createdAt.desc())],
);

/**
 * An attachment's metadata; its bytes live in `attachment_chunks`, written in one transaction.
 * It belongs to exactly one owner: a hulpvraag or a dossier entry (Aanpak, TLV, Overlegronde).
 */
export const attachments = pgTable(
  'attachments',
  {
    id: id(),
    organisationId: uuid('organisation_id').notNull().references(() => organisations.id, { onDelete: 'cascade' }),
    hulpvraagId: uuid('hulpvraag_id').references(() => hulpvragen.id, { onDelete: 'cascade' }),
    entryId: uuid('entry_id').references(() => dossierEntries.id, { onDelete: 'cascade' }),
    filename: text('filename').notNull(),
    contentType: text('content_type').notNull(),
    size: bigint('size', { mode: 'number' }).notNull(),
    sha256: text('sha256').notNull(),
    chunkSize: integer('chunk_size').notNull(),
    chunkCount: integer('chunk_count').notNull(),
    createdBy: uuid('created_by').references(() => users.id, { onDelete: 'set null' }),
    createdAt: createdAt(),
  },
  (t) => [
    index('attachments_hulpvraag_idx').on(t.hulpvraagId, t.createdAt),
    index('attachments_entry_idx').on(t.entryId, t.createdAt),
    check('attachments_one_owner_check', sql`num_nonnulls(${t.hulpvraagId}, ${t.entryId}) = 1`),
  ],
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
