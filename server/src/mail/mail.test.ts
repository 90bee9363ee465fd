import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testEnv } from '../../test/app.ts';
import { createTestDatabase } from '../../test/db.ts';
import type { Database } from '../db/client.ts';
import { mailOutbox } from '../db/schema/index.ts';
import { createLogger } from '../lib/logger.ts';
import { createMailer } from './mailer.ts';
import { backoffMs, enqueueMail } from './outbox.ts';
import { renderMail } from './templates.ts';

describe('mail', () => {
  let database: Database;
  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(() => database.close());

  it('renders Dutch first, English second, escaping every value in the HTML', () => {
    const m = renderMail('a@example.org', { template: 'welcome', displayName: '<script>alert(1)</script>', organisation: 'PO2507 Stromenland', username: 'a.b', link: 'https://k.example/activate/abc"><x' });
    expect(m.subject).toBe('Welkom, nieuwe gebruiker / Welcome to Kindkans');
    expect(m.text.indexOf('Welkom, nieuwe gebruiker')).toBeLessThan(m.text.indexOf('— English —'));
    expect(m.html).not.toContain('<script>');
    expect(m.html).toContain('&lt;script&gt;');
    expect(m.html).not.toContain('"><x');
    const locked = renderMail('a@example.org', { template: 'password_known', displayName: 'A', organisation: 'PO2507 Stromenland', username: 'a.b', minutes: 15 });
    expect(locked.subject).toBe('Iemand kent uw wachtwoord / Someone knows your password');
    expect(locked.text).toContain('15 minuten geblokkeerd');
    expect(locked.text.indexOf('Wachtwoord vergeten?')).toBeLessThan(locked.text.indexOf('— English —'));
  });

  it('without SMTP: logs the links outside production; in production keeps the mail pending', async () => {
    const lines: string[] = [];
    const logger = createLogger('info', (l) => lines.push(l));
    const dev = testEnv();
    await enqueueMail(database.db, dev.APP_SECRET, { to: 'dev@example.org', now: new Date(), mail: { template: 'password_reset', displayName: 'D', organisation: 'X', username: 'd', link: 'http://kindkans.test/reset/tok' } });
    await createMailer({ db: database.db, env: dev, logger }).flush();
    expect(lines.join('\n')).toContain('"links":["http://kindkans.test/reset/tok"]');
    expect((await database.db.select().from(mailOutbox).where(eq(mailOutbox.toAddress, 'dev@example.org')))[0]).toMatchObject({ status: 'sent', bodyEnc: null });

    const prod = { ...dev, NODE_ENV: 'production' as const };
    await enqueueMail(database.db, prod.APP_SECRET, { to: 'prod@example.org', now: new Date(), mail: { template: 'password_reset', displayName: 'P', organisation: 'X', username: 'p', link: 'http://kindkans.test/reset/tok2' } });
    await createMailer({ db: database.db, env: prod, logger }).flush();
    expect((await database.db.select().from(mailOutbox).where(eq(mailOutbox.toAddress, 'prod@example.org')))[0]).toMatchObject({ status: 'pending', attempts: 0 });
    expect(lines.join('\n')).not.toContain('tok2');
  });

  it('backs off 30 s, 1, 2, 4 minutes, then every 5 minutes', () => {
    expect([1, 2, 3, 4, 5, 20].map(backoffMs)).toEqual([30_000, 60_000, 120_000, 240_000, 300_000, 300_000]);
  });
});
