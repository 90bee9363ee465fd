import { describe, expect, it } from 'vitest';
import { createConformanceChecker } from './openapi-conformance.ts';

// The checker that createTestApp wraps around every API test: it must catch what it is for.
const doc = {
  paths: {
    '/api/v1/things/{id}': {
      get: {
        operationId: 'getThing',
        responses: {
          200: { content: { 'application/json': { schema: { type: 'object', required: ['id', 'at'], properties: { id: { type: 'string', format: 'uuid' }, at: { type: 'string', format: 'date-time' } } } } } },
          404: { content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } } },
        },
      },
    },
  },
  components: {
    schemas: { Problem: { type: 'object', required: ['type', 'title', 'status', 'code', 'requestId'], properties: { type: { type: 'string' }, title: { type: 'string' }, status: { type: 'integer' }, code: { type: 'string' }, requestId: { type: 'string' } } } },
  },
};
const id = '6f1c2a1e-5d1b-4c1a-9a51-0c1d2e3f4a5b';
const json = (status: number, body: unknown, type = 'application/json') => new Response(JSON.stringify(body), { status, headers: { 'content-type': type } });
const problem = { type: 'x', title: 'Not found', status: 404, code: 'not_found', requestId: 'r' };

describe('the OpenAPI conformance checker', () => {
  const { check } = createConformanceChecker(doc);

  it('passes answers that match the document', async () => {
    await check('GET', `http://x/api/v1/things/${id}`, json(200, { id, at: '2025-01-01T00:00:00.000Z' }));
    await check('GET', 'http://x/api/v1/things/nope', json(404, problem, 'application/problem+json'));
    await check('GET', 'http://x/api/v1/unknown', json(404, problem, 'application/problem+json'));
  });

  it('refuses a status the operation does not declare', async () => {
    await expect(check('GET', `http://x/api/v1/things/${id}`, json(409, { ...problem, status: 409 }, 'application/problem+json'))).rejects.toThrow(/getThing.*409 is not declared/);
  });

  it('refuses a body that does not match the schema (fields and formats)', async () => {
    await expect(check('GET', `http://x/api/v1/things/${id}`, json(200, { id }))).rejects.toThrow(/must have required property 'at'/);
    await expect(check('GET', `http://x/api/v1/things/${id}`, json(200, { id: 'x', at: 'gisteren' }))).rejects.toThrow(/must match format "uuid".*must match format "date-time"/);
  });

  it('refuses an error that is not problem+json, also on undocumented API paths', async () => {
    await expect(check('GET', `http://x/api/v1/things/${id}`, json(404, { error: 'nope' }))).rejects.toThrow(/not application\/problem\+json/);
    await expect(check('GET', `http://x/api/v1/things/${id}`, json(404, { error: 'nope' }, 'application/problem+json'))).rejects.toThrow(/required property/);
    await expect(check('POST', 'http://x/api/v1/elsewhere', new Response('kapot', { status: 500, headers: { 'content-type': 'text/plain' } }))).rejects.toThrow(/not application\/problem\+json/);
  });

  it('refuses a content type the answer does not declare', async () => {
    await expect(check('GET', `http://x/api/v1/things/${id}`, new Response('<p>hoi</p>', { status: 200, headers: { 'content-type': 'text/html' } }))).rejects.toThrow(/text\/html is not declared/);
  });
});
