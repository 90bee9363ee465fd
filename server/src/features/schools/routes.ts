import { createRoute, z } from '@hono/zod-openapi';
import { and, asc, count, eq, ilike, or } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.ts';
import { schools } from '../../db/schema/index.ts';
import { PageQuery, authResponses, bearerSecurity, json, pageOf, problem, type Page, queryResponses } from '../../lib/openapi.ts';
import { createRouter } from '../../lib/router.ts';
import { singleLine } from '../dossiers/schemas.ts';
import { likePattern } from '../dossiers/service.ts';
import { authenticate, authorize, visibleSchools, type Principal } from '../../authz/index.ts';
import { School } from './schemas.ts';


/** Schools by BRIN or name, limited by the policy (school staff: their own schools). */
export async function searchSchools(db: DbOrTx, principal: Principal, q: string | undefined, page: PageQuery): Promise<Page<School>> {
  const term = q?.trim();
  const where = and(visibleSchools(principal), term ? or(ilike(schools.brin, likePattern(term)), ilike(schools.name, likePattern(term))) : undefined);
  const [items, [total]] = await Promise.all([
    db.select({ brin: schools.brin, name: schools.name, city: schools.city }).from(schools).where(where)
      .orderBy(asc(schools.name), asc(schools.brin)).limit(page.pageSize).offset((page.page - 1) * page.pageSize),
    db.select({ n: count() }).from(schools).where(where),
  ]);
  return { items, page: page.page, pageSize: page.pageSize, total: total?.n ?? 0 };
}

export const schoolRoutes = createRouter().openapi(
  createRoute({
    method: 'get', path: '/schools', tags: ['Staff'], operationId: 'searchSchools', summary: 'Search schools by BRIN or name (staff)',
    middleware: [authenticate(), authorize('school.search')] as const, security: bearerSecurity,
    request: { query: PageQuery.extend({ q: singleLine(100).optional() }) },
    responses: { ...queryResponses, 200: json(pageOf(School, 'SchoolPage'), 'A page of schools'), ...authResponses },
  }),
  async (c) => {
    const { q, ...page } = c.req.valid('query');
    return c.json(await searchSchools(c.var.deps.db, c.var.principal, q, page), 200, { 'Cache-Control': 'no-store' });
  },
);
