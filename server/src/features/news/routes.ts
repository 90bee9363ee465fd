import { createRoute, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { AppError } from '../../lib/errors.ts';
import { IdParam, authResponses, bearerSecurity, bodyResponses, json, jsonBody, problem } from '../../lib/openapi.ts';
import { createRouter } from '../../lib/router.ts';
import { auditContext, recordAudit } from '../audit/service.ts';
import { authenticate, authorize, type AuthEnv } from '../../authz/index.ts';
import { changeNews, createNews, findOwnNews, listManagedNews, listNews, toManagedNews, type NewsChange } from './service.ts';
import { ManagedNews, NewsCreate, NewsItem, NewsPatch } from './schemas.ts';

const adminErrors = { ...authResponses, 403: problem('Only admins manage news') };
const itemErrors = { ...adminErrors, 404: problem('No such news item in your organisation') };
const noStore = { 'Cache-Control': 'no-store' };

/** Publish, withdraw or edit one news item of the admin's organisation, audited in the same transaction. */
async function change(c: Context<AuthEnv>, id: string, what: NewsChange) {
  const { db, clock } = c.var.deps;
  const row = await db.transaction(async (tx) => {
    const found = await findOwnNews(tx, c.var.principal, id);
    if (what === 'withdraw' && !found.publishedAt) throw new AppError('conflict', 'A draft is not published, so it cannot be withdrawn.');
    const updated = await changeNews(tx, found.id, what, clock.now());
    const action = typeof what === 'string' ? `news.${what}` : 'news.update';
    await recordAudit(tx, { ...auditContext(c), action, outcome: 'success', subjectType: 'news', subjectId: found.id, subjectLabel: updated.title });
    return updated;
  });
  return toManagedNews(row);
}

const actionRoute = <A extends 'publish' | 'withdraw'>(action: A, summary: string) =>
  createRoute({
    method: 'post', path: `/news/{id}/${action}`, tags: ['News'], summary, operationId: `${action}News`,
    middleware: [authenticate(), authorize('news.manage')] as const, security: bearerSecurity,
    request: { params: IdParam },
    responses: { 200: json(ManagedNews, 'The news item'), 409: problem('Not possible in its current state'), ...itemErrors },
  });

export const newsRoutes = createRouter()
  .openapi(
    createRoute({
      method: 'get', path: '/news', tags: ['Dossiers'], summary: 'News from the partnership and general news', operationId: 'listNews',
      middleware: [authenticate(), authorize('news.read')] as const, security: bearerSecurity,
      responses: { 200: json(z.array(NewsItem), 'Newest first'), ...authResponses },
    }),
    async (c) => c.json(await listNews(c.var.deps.db, c.var.principal, c.var.deps.clock.now()), 200, noStore),
  )
  .openapi(
    createRoute({
      method: 'get', path: '/news/manage', tags: ['News'], summary: "Every news item of the organisation, drafts and withdrawn too (admin)", operationId: 'listManagedNews',
      middleware: [authenticate(), authorize('news.manage')] as const, security: bearerSecurity,
      responses: { 200: json(z.array(ManagedNews), 'Last changed first'), ...adminErrors },
    }),
    async (c) => c.json(await listManagedNews(c.var.deps.db, c.var.principal), 200, noStore),
  )
  .openapi(
    createRoute({
      method: 'post', path: '/news', tags: ['News'], summary: 'Write a news item, as a draft or published at once (admin)', operationId: 'createNews',
      middleware: [authenticate(), authorize('news.manage')] as const, security: bearerSecurity,
      request: { body: jsonBody(NewsCreate) },
      responses: { 201: json(ManagedNews, 'The news item'), ...bodyResponses, ...adminErrors },
    }),
    async (c) => {
      const { db, clock } = c.var.deps;
      const row = await db.transaction(async (tx) => {
        const created = await createNews(tx, c.var.principal, c.req.valid('json'), clock.now());
        await recordAudit(tx, { ...auditContext(c), action: 'news.create', outcome: 'success', subjectType: 'news', subjectId: created.id, subjectLabel: created.title });
        return created;
      });
      return c.json(toManagedNews(row), 201, noStore);
    },
  )
  .openapi(
    createRoute({
      method: 'patch', path: '/news/{id}', tags: ['News'], summary: 'Edit a news item (admin)', operationId: 'updateNews',
      middleware: [authenticate(), authorize('news.manage')] as const, security: bearerSecurity,
      request: { params: IdParam, body: jsonBody(NewsPatch) },
      responses: { 200: json(ManagedNews, 'The news item'), ...bodyResponses, ...itemErrors },
    }),
    async (c) => c.json(await change(c, c.req.valid('param').id, c.req.valid('json')), 200, noStore),
  )
  .openapi(actionRoute('publish', 'Publish now (parents see it on the start page)'), async (c) => c.json(await change(c, c.req.valid('param').id, 'publish'), 200, noStore))
  .openapi(actionRoute('withdraw', 'Withdraw a published item (parents no longer see it)'), async (c) => c.json(await change(c, c.req.valid('param').id, 'withdraw'), 200, noStore));
