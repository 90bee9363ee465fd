import { createRoute, z } from '@hono/zod-openapi';
import { and, desc, eq, isNull, lte, or } from 'drizzle-orm';
import { authenticate, authorize, type Principal } from '../../authz/index.ts';
import type { DbOrTx } from '../../db/client.ts';
import { news } from '../../db/schema/index.ts';
import { authResponses, bearerSecurity, json } from '../../lib/openapi.ts';
import { createRouter } from '../../lib/router.ts';
import { NewsItem } from './schemas.ts';


/** Published news of the user's organisation and general news, newest first. */
async function listNews(db: DbOrTx, principal: Principal, now: Date, limit = 20): Promise<NewsItem[]> {
  const rows = await db
    .select()
    .from(news)
    .where(and(or(eq(news.organisationId, principal.organisationId), isNull(news.organisationId)), lte(news.publishedAt, now)))
    .orderBy(desc(news.publishedAt), desc(news.id))
    .limit(limit);
  return rows.map((n) => ({ id: n.id, title: n.title, body: n.body, publishedAt: n.publishedAt.toISOString(), scope: n.organisationId ? ('organisation' as const) : ('general' as const) }));
}

export const newsRoutes = createRouter().openapi(
  createRoute({
    method: 'get', path: '/news', tags: ['Dossiers'], operationId: 'listNews', summary: 'News from the partnership and general news',
    middleware: [authenticate(), authorize('news.read')] as const, security: bearerSecurity,
    responses: { 200: json(z.array(NewsItem), 'Newest first'), ...authResponses },
  }),
  async (c) => c.json(await listNews(c.var.deps.db, c.var.principal, c.var.deps.clock.now()), 200, { 'Cache-Control': 'no-store' }),
);
