import { and, desc, eq, isNull, lte, or } from 'drizzle-orm';
import type { Principal } from '../../authz/index.ts';
import type { DbOrTx } from '../../db/client.ts';
import { news } from '../../db/schema/index.ts';
import { AppError } from '../../lib/errors.ts';
import { isUuid } from '../../lib/openapi.ts';
import type { NewsItem } from './schemas.ts';

type NewsRow = typeof news.$inferSelect;

/** Published news of the user's organisation and general news, newest first (withdrawn news is gone). */
export async function listNews(db: DbOrTx, user: Principal, now: Date, limit = 20): Promise<NewsItem[]> {
  const rows = await db
    .select()
    .from(news)
    .where(and(or(eq(news.organisationId, user.organisationId), isNull(news.organisationId)), lte(news.publishedAt, now), isNull(news.withdrawnAt)))
    .orderBy(desc(news.publishedAt), desc(news.id))
    .limit(limit);
  return rows.map((n) => ({ id: n.id, title: n.title, body: n.body, publishedAt: n.publishedAt!.toISOString(), scope: n.organisationId ? ('organisation' as const) : ('general' as const) }));
}

export const newsStatus = (n: NewsRow) => (n.withdrawnAt ? ('withdrawn' as const) : n.publishedAt ? ('published' as const) : ('draft' as const));

export function toManagedNews(n: NewsRow) {
  return {
    id: n.id, title: n.title, body: n.body, status: newsStatus(n),
    publishedAt: n.publishedAt?.toISOString() ?? null, withdrawnAt: n.withdrawnAt?.toISOString() ?? null, updatedAt: n.updatedAt.toISOString(),
  };
}

/** Every news item of the organisation (drafts and withdrawn too), for its admins. */
export async function listManagedNews(db: DbOrTx, user: Principal) {
  const rows = await db.select().from(news).where(eq(news.organisationId, user.organisationId)).orderBy(desc(news.updatedAt), desc(news.id)).limit(200);
  return rows.map(toManagedNews);
}

export async function createNews(db: DbOrTx, user: Principal, input: { title: string; body: string; publish?: boolean | undefined }, now: Date) {
  const [row] = await db
    .insert(news)
    .values({ organisationId: user.organisationId, title: input.title, body: input.body, publishedAt: input.publish ? now : null, createdBy: user.user.id, createdAt: now, updatedAt: now })
    .returning();
  return row!;
}

/** The organisation's own news item, locked for the change; another organisation's (or general news) is 404. */
export async function findOwnNews(db: DbOrTx, user: Principal, id: string) {
  const [row] = isUuid(id) ? await db.select().from(news).where(and(eq(news.id, id), eq(news.organisationId, user.organisationId))).for('update') : [];
  if (!row) throw new AppError('not_found', 'No news item with this id.');
  return row;
}

export type NewsChange = { title?: string | undefined; body?: string | undefined } | 'publish' | 'withdraw';

export async function changeNews(db: DbOrTx, id: string, change: NewsChange, now: Date) {
  const set =
    change === 'publish' ? { publishedAt: now, withdrawnAt: null }
    : change === 'withdraw' ? { withdrawnAt: now }
    : change;
  const [row] = await db.update(news).set({ ...set, updatedAt: now }).where(eq(news.id, id)).returning();
  return row!;
}
