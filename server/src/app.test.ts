import { createRoute, z } from '@hono/zod-openapi';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, jsonRequest, TEST_EXTENSION_ORIGIN, type TestContext } from '../test/app.ts';
import { jsonBody } from './lib/openapi.ts';
import { JSON_BODY_LIMIT } from './app.ts';
import { makeOrganisation } from '../test/fixtures.ts';

describe('the app', () => {
  let t: TestContext;
  beforeAll(async () => {
    t = await createTestApp();
    await makeOrganisation(t.db, 'PO2507', 'Stromenland');
    await makeOrganisation(t.db, 'VO2601', 'Rivierenland');
    // A route used only here, to exercise JSON parsing, validation and the body limit.
    t.app.openapi(
      createRoute({
        method: 'post',
        path: '/__test/echo',
        request: { body: jsonBody(z.object({ name: z.string().min(1).max(2_000_000) })) },
        responses: { 200: { description: 'echo' } },
      }),
      (c) => c.json({ name: c.req.valid('json').name }),
    );
    t.app.get('/__test/boom', () => {
      throw new Error('secret internal detail at /srv/db password=hunter2');
    });
  });
  afterAll(() => t.close());

  it('lists organisations with their label', async () => {
    const res = await t.app.request('/api/v1/organisations');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual([
      { code: 'PO2507', name: 'Stromenland', label: 'PO2507 Stromenland' },
      { code: 'VO2601', name: 'Rivierenland', label: 'VO2601 Rivierenland' },
    ]);
  });

  it('answers unknown routes with a problem+json 404 and a request id', async () => {
    const res = await t.app.request('/api/v1/does-not-exist');
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toBe('application/problem+json');
    const body = await res.json();
    expect(body).toMatchObject({ status: 404, code: 'not_found', title: 'Not found' });
    expect(body.requestId).toBe(res.headers.get('x-request-id'));
  });

  it('echoes a sane incoming X-Request-Id and replaces an unsafe one', async () => {
    const ok = await t.app.request('/health', { headers: { 'x-request-id': 'abc-123-def-456' } });
    expect(ok.headers.get('x-request-id')).toBe('abc-123-def-456');
    const bad = await t.app.request('/health', { headers: { 'x-request-id': '<script>' } });
    expect(bad.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('answers malformed JSON with 400 problem+json', async () => {
    const res = await t.app.request('/__test/echo', jsonRequest('POST', '{"name": '));
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toBe('application/problem+json');
    expect((await res.json()).code).toBe('invalid_request');
  });

  it('answers schema violations with 400 validation_failed naming the field', async () => {
    const res = await t.app.request('/__test/echo', jsonRequest('POST', { name: 42 }));
    expect(res.status).toBe(400);
    const body = await res.json();
    expect(body.code).toBe('validation_failed');
    expect(body.errors[0].path).toBe('name');
  });

  it('refuses bodies over the limit with 413 problem+json', async () => {
    const res = await t.app.request('/__test/echo', jsonRequest('POST', { name: 'x'.repeat(JSON_BODY_LIMIT + 10) }));
    expect(res.status).toBe(413);
    expect((await res.json()).code).toBe('payload_too_large');
  });

  it('shows no internals on a 500', async () => {
    const res = await t.app.request('/__test/boom');
    expect(res.status).toBe(500);
    const text = await res.text();
    expect(JSON.parse(text).code).toBe('internal_error');
    expect(text).not.toMatch(/hunter2|\/srv|Error:/);
  });

  it('sets security headers and no-store on API answers', async () => {
    const res = await t.app.request('/api/v1/does-not-exist');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('x-frame-options')).toBe('DENY');
    expect(res.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(res.headers.get('cache-control')).toBe('no-store');
  });

  describe('CORS', () => {
    it('allows the extension origin', async () => {
      const res = await t.app.request('/api/v1/organisations', { headers: { origin: TEST_EXTENSION_ORIGIN } });
      expect(res.headers.get('access-control-allow-origin')).toBe(TEST_EXTENSION_ORIGIN);
      expect(res.headers.get('vary')).toContain('Origin');
    });

    it('answers a preflight from the extension', async () => {
      const res = await t.app.request('/api/v1/auth/login', {
        method: 'OPTIONS',
        headers: { origin: TEST_EXTENSION_ORIGIN, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
      });
      expect(res.status).toBe(204);
      expect(res.headers.get('access-control-allow-origin')).toBe(TEST_EXTENSION_ORIGIN);
      expect(res.headers.get('access-control-allow-headers')).toContain('Authorization');
    });

    it('allows any Firefox install with the default EXTENSION_ORIGINS, and still no web page', async () => {
      const firefox = 'moz-extension://6c1d0a7e-52b4-4f0e-9a3d-1b2c3d4e5f60';
      const defaults = await createTestApp({ env: { EXTENSION_ORIGINS: '' } });
      try {
        const res = await defaults.app.request('/api/v1/organisations', { headers: { origin: firefox } });
        expect(res.status).toBe(200);
        expect(res.headers.get('access-control-allow-origin')).toBe(firefox);
        const pre = await defaults.app.request('/api/v1/auth/login', {
          method: 'OPTIONS',
          headers: { origin: firefox, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
        });
        expect(pre.status).toBe(204);
        expect(pre.headers.get('access-control-allow-origin')).toBe(firefox);
        const chromium = await defaults.app.request('/api/v1/organisations', { headers: { origin: TEST_EXTENSION_ORIGIN } });
        expect(chromium.headers.get('access-control-allow-origin')).toBe(TEST_EXTENSION_ORIGIN);
        const web = await defaults.app.request('/api/v1/organisations', { headers: { origin: 'https://evil.example' } });
        expect(web.headers.get('access-control-allow-origin')).toBeNull();
      } finally {
        await defaults.close();
      }
    });

    it('gives an unknown origin no CORS headers at all', async () => {
      for (const init of [
        { method: 'GET', headers: { origin: 'https://evil.example' } as Record<string, string> },
        { method: 'OPTIONS', headers: { origin: 'https://evil.example', 'access-control-request-method': 'GET' } },
      ]) {
        const res = await t.app.request('/api/v1/organisations', init);
        expect(res.headers.get('access-control-allow-origin')).toBeNull();
        expect(res.headers.get('access-control-allow-methods')).toBeNull();
      }
    });
  });

  it('publishes an OpenAPI 3.1 document and a readable reference', async () => {
    const doc = await (await t.app.request('/openapi.json')).json();
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/health', '/api/v1/organisations']));
    const docs = await t.app.request('/docs');
    expect(docs.status).toBe(200);
    expect(await (await t.app.request('/docs/assets/reference.js')).text()).toContain('/openapi.json');
  });
});
