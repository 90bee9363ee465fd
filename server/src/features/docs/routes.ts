import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { Hono } from 'hono';
import type { AppEnv } from '../../app-env.ts';

/**
 * The interactive API reference: Swagger UI (the `swagger-ui-dist` package) served by the server
 * itself from node_modules — no CDN — pointed at /openapi.json. Only our own scripts run.
 */
export const DOCS_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

const swaggerDir = dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'));
const here = dirname(fileURLToPath(import.meta.url));

/** Every file under /docs/assets/, by name: where it comes from and its type. Nothing else is served. */
const ASSETS: Record<string, { path: string; type: string }> = {
  'swagger-ui.css': { path: join(swaggerDir, 'swagger-ui.css'), type: 'text/css; charset=utf-8' },
  'swagger-ui-bundle.js': { path: join(swaggerDir, 'swagger-ui-bundle.js'), type: 'text/javascript; charset=utf-8' },
  'favicon-32x32.png': { path: join(swaggerDir, 'favicon-32x32.png'), type: 'image/png' },
  'reference.js': { path: join(here, 'reference.js'), type: 'text/javascript; charset=utf-8' },
};

interface Loaded { body: Buffer; gzip: Buffer | null; etag: string; type: string }
const loaded = new Map<string, Loaded>();

/** Read (and gzip) once, on first use: the bundle is 1.7 MB, about 0.5 MB gzipped. */
function asset(name: string): Loaded | undefined {
  const known = Object.hasOwn(ASSETS, name) ? ASSETS[name] : undefined;
  if (!known) return undefined;
  let file = loaded.get(name);
  if (!file) {
    const body = readFileSync(known.path);
    const gzip = known.type.startsWith('text/') ? gzipSync(body) : null;
    file = { body, gzip, etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`, type: known.type };
    loaded.set(name, file);
  }
  return file;
}

const page = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Kindkans API reference</title>
<link rel="stylesheet" href="/docs/assets/swagger-ui.css">
<link rel="icon" type="image/png" href="/docs/assets/favicon-32x32.png">
</head>
<body>
<noscript>The interactive reference needs JavaScript. The machine-readable description is at <a href="/openapi.json">/openapi.json</a> (OpenAPI 3.1).</noscript>
<div id="reference"></div>
<script src="/docs/assets/swagger-ui-bundle.js"></script>
<script src="/docs/assets/reference.js"></script>
</body>
</html>
`;

export const docsRoutes = new Hono<AppEnv>()
  .get('/', (c) => c.html(page, 200, { 'Content-Security-Policy': DOCS_CSP, 'Cache-Control': 'no-cache' }))
  .get('/assets/:name', (c) => {
    const file = asset(c.req.param('name'));
    if (!file) return c.notFound();
    const headers: Record<string, string> = { 'Content-Type': file.type, 'Cache-Control': 'public, no-cache', ETag: file.etag, Vary: 'Accept-Encoding' };
    if (c.req.header('If-None-Match') === file.etag) return c.body(null, 304, headers);
    if (file.gzip && /\bgzip\b/.test(c.req.header('Accept-Encoding') ?? '')) {
      return c.body(new Uint8Array(file.gzip), 200, { ...headers, 'Content-Encoding': 'gzip' });
    }
    return c.body(new Uint8Array(file.body), 200, headers);
  });
