import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestContext } from '../../../test/app.ts';

let t: TestContext;

describe('/docs: the interactive API reference', () => {
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('is an HTML page under a strict CSP that runs only the server’s own scripts', async () => {
    const res = await t.app.request('/docs');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("connect-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toMatch(/unsafe-(inline|eval)|https?:/);
    const html = await res.text();
    expect(html).not.toMatch(/<script>|\son\w+=|https?:\/\//); // no inline script or handler, no CDN
    expect(html).toContain('<div id="reference">');
  });

  it('serves every asset the page names with its content type (and gzipped, and cacheable by ETag)', async () => {
    const html = await (await t.app.request('/docs')).text();
    const urls = [...html.matchAll(/(?:src|href)="(\/docs\/[^"]+)"/g)].map((m) => m[1]!);
    expect(urls).toEqual(['/docs/assets/swagger-ui.css', '/docs/assets/favicon-32x32.png', '/docs/assets/swagger-ui-bundle.js', '/docs/assets/reference.js']);
    const types: Record<string, RegExp> = { css: /^text\/css/, png: /^image\/png$/, js: /^text\/javascript/ };
    for (const url of urls) {
      const res = await t.app.request(url);
      expect(res.status, url).toBe(200);
      expect(res.headers.get('content-type'), url).toMatch(types[url.split('.').pop()!]!);
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect((await res.arrayBuffer()).byteLength, url).toBeGreaterThan(100);
    }
    const plain = await t.app.request('/docs/assets/swagger-ui-bundle.js');
    const plainBody = Buffer.from(await plain.arrayBuffer());
    expect(plainBody.toString('utf8', 0, 2000)).toMatch(/SwaggerUIBundle/);
    const zipped = await t.app.request('/docs/assets/swagger-ui-bundle.js', { headers: { 'accept-encoding': 'gzip, br' } });
    expect(zipped.headers.get('content-encoding')).toBe('gzip');
    const zippedBody = Buffer.from(await zipped.arrayBuffer());
    expect(zippedBody.length).toBeLessThan(plainBody.length / 2);
    expect(gunzipSync(zippedBody).equals(plainBody)).toBe(true);
    const etag = plain.headers.get('etag')!;
    expect(etag).toMatch(/^"[\w-]{20,}"$/);
    const again = await t.app.request('/docs/assets/swagger-ui-bundle.js', { headers: { 'if-none-match': etag } });
    expect(again.status).toBe(304);
  });

  it('starts the reference on /openapi.json, which the server publishes', async () => {
    const script = await (await t.app.request('/docs/assets/reference.js')).text();
    expect(script).toContain("url: '/openapi.json'");
    const doc = await (await t.app.request('/openapi.json')).json();
    expect(doc.components.securitySchemes.bearer).toMatchObject({ type: 'http', scheme: 'bearer' });
  });

  it('serves nothing else from node_modules', async () => {
    for (const path of ['/docs/assets/package.json', '/docs/assets/..%2F..%2Fpackage.json', '/docs/assets/index.html', '/docs/assets/constructor', '/docs/assets/swagger-ui-bundle.js.map']) {
      const res = await t.app.request(path);
      expect(res.status, path).toBe(404);
      expect(res.headers.get('content-type')).toBe('application/problem+json');
    }
  });
});
