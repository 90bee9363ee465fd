import { boolean, index, integer, pgTable, text, unique, uuid } from 'drizzle-orm/pg-core';
import { createdAt, id, updatedAt } from './columns.ts';
import { organisations } from './organisations.ts';

/** The statuses every new organisation starts with, in this order (the last one closes a hulpvraag). */
export const defaultStatuses = [
  { name: 'aanmelding', closes: false },
  { name: 'in behandeling', closes: false },
  { name: 'advies', closes: false },
  { name: 'afgerond', closes: true },
] as const;

/**
 * The statuses a hulpvraag of an organisation can have, kept by its admins: a name, a place in
 * the list and whether reaching it closes the hulpvraag. Hulpvragen (and automation rules) refer
 * to a status by (organisation, name): a rename follows through, a status in use cannot go.
 */
export const hulpvraagStatuses = pgTable(
  'hulpvraag_statuses',
  {
    id: id(),
    organisationId: uuid('organisation_id').notNull().references(() => organisations.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    position: integer('position').notNull(),
    closes: boolean('closes').notNull().default(false),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    unique('hulpvraag_statuses_org_name_key').on(t.organisationId, t.name),
    index('hulpvraag_statuses_org_position_idx').on(t.organisationId, t.position),
  ],
);
