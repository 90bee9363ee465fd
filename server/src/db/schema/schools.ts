import { index, pgTable, primaryKey, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { createdAt, id } from './columns.ts';
import { organisations } from './organisations.ts';
import { users } from './users.ts';

/** A school, known by its BRIN code, within one organisation. */
export const schools = pgTable(
  'schools',
  {
    id: id(),
    organisationId: uuid('organisation_id').notNull().references(() => organisations.id, { onDelete: 'cascade' }),
    brin: text('brin').notNull(),
    name: text('name').notNull(),
    city: text('city').notNull().default(''),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('schools_org_brin_key').on(t.organisationId, t.brin),
    index('schools_org_name_idx').on(t.organisationId, t.name),
  ],
);

/** School staff belong to one or more schools; they see those schools' dossiers. */
export const staffSchools = pgTable(
  'staff_schools',
  {
    userId: uuid('user_id').notNull().references(() => users.id, { onDelete: 'cascade' }),
    schoolId: uuid('school_id').notNull().references(() => schools.id, { onDelete: 'cascade' }),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.schoolId] }), index('staff_schools_school_idx').on(t.schoolId)],
);
