import { createRoute, z } from '@hono/zod-openapi';
import { createRouter } from '../../lib/router.ts';
import { json } from '../../lib/openapi.ts';
import { Organisation } from './schemas.ts';
import { listOrganisations } from './service.ts';


export const organisationRoutes = createRouter().openapi(
  createRoute({
    method: 'get',
    path: '/organisations',
    tags: ['Public'],
    operationId: 'listOrganisations',
    security: [],
    summary: 'The organisations to choose from at login',
    responses: { 200: json(z.array(Organisation), 'Every organisation, by code') },
  }),
  async (c) => c.json(await listOrganisations(c.var.deps.db), 200, { 'Cache-Control': 'public, max-age=300' }),
);
