import { createRoute, z } from '@hono/zod-openapi';
import { createRouter } from '../../lib/router.ts';
import { json } from '../../lib/openapi.ts';
import { listOrganisations } from './service.ts';

const Organisation = z
  .object({ code: z.string().openapi({ example: 'PO2507' }), name: z.string().openapi({ example: 'Stromenland' }), label: z.string().openapi({ example: 'PO2507 Stromenland' }) })
  .openapi('Organisation');

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
