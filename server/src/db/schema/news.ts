import { index, pgTable, text, uuid } from 'drizzle-orm/pg-core';
import { createdAt, id, instant } from './columns.ts';
import { organisations } from './organisations.ts';

/** News for the popup. `organisationId` null means general news (scope "general") for everyone. */
export const news = pgTable(
  'news',
  {
    id: id(),
    organisationId: uuid('organisation_id').references(() => organisations.id, { onDelete: 'cascade' }),
    title: text('title').notNull(),
    body: text('body').notNull(),
    publishedAt: instant('published_at').notNull().defaultNow(),
    createdAt: createdAt(),
  },
  (t) => [index('news_org_published_idx').on(t.organisationId, t.publishedAt.desc())],
);
