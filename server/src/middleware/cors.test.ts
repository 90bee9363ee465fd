import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import type { AppDeps, AppEnv } from '../app-env.ts';
import { FIREFOX_EXTENSIONS } from '../lib/extension-id.ts';
import { silentLogger } from '../lib/logger.ts';
import { originMatcher } from './cors.ts';
import { edge } from './edge.ts';

const CHROMIUM = 'chrome-extension://cobgfedbohaccaonegfgdhhokclkacio';
const FIREFOX = 'moz-extension://3f0b5c1e-9d2a-4c7b-8e61-0a4d2f9b7c15';

/** The app's own edge middleware (where the CORS policy runs) in front of two small routes. */
function app(origins: string[]) {
  const deps = { logger: silentLogger } as unknown as AppDeps;
  return new Hono<AppEnv>().use('*', edge(deps, { trustProxy: false, hsts: false, origins, drainBytes: 1024, drainMs: 100 })).get('/x', (c) => c.json({ ok: true })).post('/x', (c) => c.json({ ok: true }));
}

const preflight = (origin: string, method = 'POST') => ({
  method: 'OPTIONS',
  headers: { origin, 'access-control-request-method': method, 'access-control-request-headers': 'authorization, content-type' },
});

describe('originMatcher', () => {
  const allowed = originMatcher([CHROMIUM, FIREFOX_EXTENSIONS]);

  it('allows the exact Chromium id and any Firefox install UUID', () => {
    expect(allowed(CHROMIUM)).toBe(true);
    expect(allowed(FIREFOX)).toBe(true);
    expect(allowed('moz-extension://00000000-0000-4000-8000-000000000000')).toBe(true);
  });

  it.each([
    ['another Chromium extension', 'chrome-extension://aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa'],
    ['a Chromium id spelled as a prefix', `${CHROMIUM}x`],
    ['a web page', 'https://evil.example'],
    ['a web page posing as a UUID', 'https://3f0b5c1e-9d2a-4c7b-8e61-0a4d2f9b7c15'],
    ['a moz-extension host that is not a UUID', 'moz-extension://evil.example'],
    ['a UUID with a suffix', `${FIREFOX}.evil.example`],
    ['a UUID with a port', `${FIREFOX}:443`],
    ['an upper-case UUID (Firefox writes lower case)', FIREFOX.toUpperCase().replace('MOZ-EXTENSION', 'moz-extension')],
    ['the pattern itself', FIREFOX_EXTENSIONS],
    ['a sandboxed page', 'null'],
    ['another scheme', 'safari-web-extension://3f0b5c1e-9d2a-4c7b-8e61-0a4d2f9b7c15'],
    ['no Origin header', undefined],
  ])('refuses %s', (_, origin) => {
    expect(allowed(origin)).toBe(false);
  });

  it('refuses Firefox installs when the list does not hold the pattern', () => {
    expect(originMatcher([CHROMIUM])(FIREFOX)).toBe(false);
    expect(originMatcher([FIREFOX])(FIREFOX)).toBe(true);
    expect(originMatcher([FIREFOX])('moz-extension://00000000-0000-4000-8000-000000000000')).toBe(false);
  });
});

describe('cors middleware', () => {
  const server = app([CHROMIUM, FIREFOX_EXTENSIONS]);

  it('echoes an allowed Firefox origin, without credentials', async () => {
    const res = await server.request('/x', { headers: { origin: FIREFOX } });
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBe(FIREFOX);
    expect(res.headers.get('access-control-expose-headers')).toContain('Content-Disposition');
    expect(res.headers.get('access-control-allow-credentials')).toBeNull();
    expect(res.headers.get('vary')).toContain('Origin');
  });

  it('answers a preflight from a Firefox install with Authorization allowed', async () => {
    const res = await server.request('/x', preflight(FIREFOX));
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-origin')).toBe(FIREFOX);
    expect(res.headers.get('access-control-allow-methods')).toContain('POST');
    expect(res.headers.get('access-control-allow-headers')).toContain('Authorization');
    expect(res.headers.get('access-control-allow-credentials')).toBeNull();
  });

  it.each(['https://evil.example', 'moz-extension://evil.example', 'chrome-extension://aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa', 'null'])(
    'gives %s no CORS headers, on a request and on a preflight',
    async (origin) => {
      const res = await server.request('/x', { headers: { origin } });
      expect(res.status).toBe(200); // the server answers; the browser withholds it from the page
      expect(res.headers.get('access-control-allow-origin')).toBeNull();
      const pre = await server.request('/x', preflight(origin));
      expect(pre.status).toBe(204);
      expect(pre.headers.get('access-control-allow-origin')).toBeNull();
      expect(pre.headers.get('access-control-allow-methods')).toBeNull();
      expect(pre.headers.get('access-control-allow-headers')).toBeNull();
    },
  );

  it('allows no Firefox origin when configured with the Chromium id alone', async () => {
    const chromiumOnly = app([CHROMIUM]);
    expect((await chromiumOnly.request('/x', { headers: { origin: FIREFOX } })).headers.get('access-control-allow-origin')).toBeNull();
    expect((await chromiumOnly.request('/x', preflight(FIREFOX))).headers.get('access-control-allow-origin')).toBeNull();
    expect((await chromiumOnly.request('/x', { headers: { origin: CHROMIUM } })).headers.get('access-control-allow-origin')).toBe(CHROMIUM);
  });
});
