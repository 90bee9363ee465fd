import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestContext } from '../../test/app.ts';
import { createApp } from '../app.ts';
import { createLogger } from '../lib/logger.ts';
import { redactTokens } from '../lib/redact.ts';

const TOKEN = 'Zm9vYmFyLXNlY3JldC10b2tlbi0xMjM0NTY3ODkw';

describe('token paths never reach the log', () => {
  let t: TestContext;
  const lines: string[] = [];
  let app: ReturnType<typeof createApp>;
  beforeAll(async () => {
    t = await createTestApp();
    app = createApp({ db: t.db, database: t.database, env: t.env, mailer: t.mailer, clock: t.clock, logger: createLogger('debug', (l) => lines.push(l)) });
  });
  afterAll(() => t.close().catch(() => {}));

  it('redactTokens hides the token of every link path, wherever it stands in a text', () => {
    expect(redactTokens(`/activate/${TOKEN}`)).toBe('/activate/[token]');
    expect(redactTokens(`/api/v1/password-reset/${TOKEN}?x=1`)).toBe('/api/v1/password-reset/[token]?x=1');
    expect(redactTokens(`failed at GET /reset/${TOKEN} and /api/v1/activation/${TOKEN}/x`)).toBe('failed at GET /reset/[token] and /api/v1/activation/[token]/x');
    expect(redactTokens('/api/v1/users/1/reset-2fa')).toBe('/api/v1/users/1/reset-2fa');
  });

  it('an unhandled error (database gone) on a token path logs the path redacted, like the access log', async () => {
    await t.database.close();
    for (const path of [`/activate/${TOKEN}`, `/reset/${TOKEN}`, `/api/v1/activation/${TOKEN}`, `/api/v1/password-reset/${TOKEN}`]) {
      const res = await app.request(path);
      expect(res.status).toBe(500);
    }
    const errors = lines.map((l) => JSON.parse(l)).filter((l) => l.msg === 'unhandled error');
    expect(errors.length).toBe(4);
    expect(errors.map((e) => e.path)).toEqual(['/activate/[token]', '/reset/[token]', '/api/v1/activation/[token]', '/api/v1/password-reset/[token]']);
    expect(lines.join('\n')).not.toContain(TOKEN);
  });
});
