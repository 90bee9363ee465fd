import { sql } from 'drizzle-orm';
import { date, index, pgTable, primaryKey, text, uuid } from 'drizzle-orm/pg-core';
import { createdAt, updatedAt, id, instant } from './columns.ts';
import { organisations } from './organisations.ts';
import { schools } from './schools.ts';
import { users } from './users.ts';

/** A child's dossier at one school of the organisation. */
export const dossiers = pgTable(
  'dossiers',
  {
    id: id(),
    organisationId: uuid('organisation_id').notNull().references(() => organisations.id, { onDelete: 'cascade' }),
    schoolId: uuid('school_id').notNull().references(() => schools.id, { onDelete: 'restrict' }),
    firstName: text('first_name').notNull(),
    lastName: text('last_name').notNull(),
    birthDate: date('birth_date', { mode: 'string' }).notNull(),
    /** Schoolgegevens: the child's group (e.g. "groep 5") and the school's contact person. No BSN, ever. */
    schoolGroup: text('school_group').notNull().default(''),
    contactName: text('contact_name').notNull().default(''),
    contactEmail: text('contact_email').notNull().default(''),
    /** Set when an admin anonymised the dossier: personal fields replaced, nothing can be changed any more. */
    anonymisedAt: instant('anonymised_at'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index('dossiers_org_name_idx').on(t.organisationId, t.lastName, t.firstName),
    index('dossiers_school_idx').on(t.schoolId, t.lastName, t.firstName),
    // Staff search by the start of a name (any case) and by birth date, fast at 100 000 dossiers.
    index('dossiers_org_last_name_prefix_idx').on(t.organisationId, sql`lower(${t.lastName}) text_pattern_ops`),
    index('dossiers_org_first_name_prefix_idx').on(t.organisationId, sql`lower(${t.firstName}) text_pattern_ops`),
    index('dossiers_org_birth_date_idx').on(t.organisationId, t.birthDate),
    // The free search `q` (`ILIKE '%term%'`, any case) by trigrams (pg_trgm, migration 0015):
    // GIN, measured smaller and faster than GiST on names; terms under 3 characters scan instead.
    index('dossiers_first_name_trgm_idx').using('gin', sql`${t.firstName} gin_trgm_ops`),
    index('dossiers_last_name_trgm_idx').using('gin', sql`${t.lastName} gin_trgm_ops`),
  ],
);

/** A parent (user with role `parent`) linked to a dossier as guardian. */
export const guardians = pgTable(
  'guardians',
  {
    dossierId: uuid('dossier_id').notNull().references(() => dossiers.id, { onDelete: 'cascade' }),
    userId: uuid('user_id').notNull().references(() => users.id, { onDelete: 'cascade' }),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.dossierId, t.userId] }), index('guardians_user_idx').on(t.userId)],
);
