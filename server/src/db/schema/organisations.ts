import { pgTable, text, uniqueIndex } from 'drizzle-orm/pg-core';
import { createdAt, id } from './columns.ts';

/** A tenant: a samenwerkingsverband such as `PO2507 Stromenland`. Nothing crosses between them. */
export const organisations = pgTable(
  'organisations',
  {
    id: id(),
    code: text('code').notNull(),
    name: text('name').notNull(),
    /** Afsluitende tekst: the closing of every workflow mail (Beheer → Mailsjablonen). */
    mailClosing: text('mail_closing').notNull().default(''),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('organisations_code_key').on(t.code)],
);
