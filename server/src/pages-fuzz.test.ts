import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestContext } from '../test/app.ts';

/** The e-mail link pages (HTML, outside /openapi.json) against hostile input: never a 500. */
describe('the link pages against hostile input', () => {
  let t: TestContext;
  beforeAll(async () => {
    t = await createTestApp({ env: { TRUST_PROXY: 'true' } });
  });
  afterAll(() => t.close());

  it.each(['/activate', '/reset'])('%s/{token} answers every odd token and form with a page, never a 500', async (base) => {
    const tokens = ['x', '%00', 'a'.repeat(500), '..%2F..', '%F0%9F%98%80', "'%20or%201=1"];
    const forms = ['', 'password=a', `password=${'a'.repeat(10_000)}&passwordConfirm=b&code=%00`, 'code=abc&code=def', '%%%', 'password=%00%00&passwordConfirm=%00%00&code=123456'];
    let n = 0;
    for (const token of tokens) {
      const get = await t.app.request(`${base}/${token}`, { headers: { 'x-forwarded-for': `10.8.0.${n++}` } });
      expect(get.status, `GET ${token}`).toBeLessThan(500);
      expect(get.headers.get('content-type')).toMatch(/^text\/html/);
      for (const form of forms) {
        const post = await t.app.request(`${base}/${token}`, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-forwarded-for': `10.8.1.${n++ % 250}` },
          body: form,
        });
        expect(post.status, `POST ${token} ${form.slice(0, 40)}`).toBeLessThan(500);
      }
    }
  });
});
