import { index, pgTable, text, uuid } from 'drizzle-orm/pg-core';
import { createdAt, id, instant, updatedAt } from './columns.ts';
import { users } from './users.ts';
import { organisations } from './organisations.ts';

/** News for the popup. `organisationId` null means general news (scope "general") for everyone. */
export const news = pgTable(
  'news',
  {
    id: id(),
    organisationId: uuid('organisation_id').references(() => organisations.id, { onDelete: 'cascade' }),
    title: text('title').notNull(),
    body: text('body').notNull(),
    /** Null: a draft. Parents see news from this instant until it is withdrawn. */
    publishedAt: instant('published_at').defaultNow(),
    withdrawnAt: instant('withdrawn_at'),
    createdBy: uuid('created_by').references(() => users.id, { onDelete: 'set null' }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [index('news_org_published_idx').on(t.organisationId, t.publishedAt.desc())],
);
