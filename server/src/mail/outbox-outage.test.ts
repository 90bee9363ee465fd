import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testEnv } from '../../test/app.ts';
import { createTestDatabase } from '../../test/db.ts';
import { withDatabase } from '../../test/global-setup.ts';
import { startTestSmtp, type TestSmtp } from '../../test/smtp.ts';
import { openPostgres, type Database } from '../db/client.ts';
import { mailOutbox } from '../db/schema/index.ts';
import { createTestClock } from '../../test/clock.ts';
import { silentLogger } from '../lib/logger.ts';
import { createMailer } from './mailer.ts';
import { enqueueMail, outboxState } from './outbox.ts';

const MAILS = 45;

// The mail server is down while mail is written; it comes back; every mail goes out exactly
// once although two dispatchers (on PostgreSQL: two connection pools, as two server processes
// have) race for the same outbox rows.
describe('SMTP down, then back: the outbox delivers each mail exactly once', () => {
  let first: Database;
  let second: Database;
  let smtp: TestSmtp | undefined;
  beforeAll(async () => {
    first = await createTestDatabase();
    if (process.env.DATABASE_URL) {
      const [row] = (await first.db.execute('select current_database() as name')) as unknown as Array<{ name: string }>;
      second = openPostgres(withDatabase(process.env.DATABASE_URL, row!.name), { max: 4 });
    } else {
      second = first; // embedded: one process, one connection; the two dispatchers still race
    }
  });
  afterAll(async () => {
    await smtp?.close();
    if (second !== first) await second.close();
    await first.close();
  });

  it('keeps mail pending with its error while SMTP is down and sends each once when it is back', async () => {
    const down = await startTestSmtp();
    const port = down.port;
    await down.close(); // nothing listens there now
    const env = testEnv({ SMTP_URL: `smtp://127.0.0.1:${port}` });
    const clock = createTestClock(new Date());
    for (let i = 0; i < MAILS; i++) {
      await enqueueMail(first.db, env.APP_SECRET, { to: `ouder${i}@example.org`, now: clock.now(), mail: { template: 'password_reset', displayName: `O${i}`, organisation: 'PO2507 Stromenland', username: `o${i}`, link: `http://kindkans.test/reset/t${i}` } });
    }
    const a = createMailer({ db: first.db, env, logger: silentLogger, clock });
    const b = createMailer({ db: second.db, env, logger: silentLogger, clock });
    for (let round = 0; round < 3; round++) await Promise.all([a.flush(), b.flush()]); // batches of 20
    const waiting = await outboxState(first.db);
    expect(waiting).toMatchObject({ pending: MAILS, retrying: MAILS, failed: 0 });
    expect(waiting.lastError).toMatch(/ECONNREFUSED/);
    const rows = await first.db.select().from(mailOutbox);
    expect(rows.every((r) => r.attempts === 1 && r.bodyEnc !== null && r.status === 'pending')).toBe(true);

    smtp = await startTestSmtp({ port });
    clock.advance(31_000); // past the first backoff
    for (let round = 0; round < 4; round++) await Promise.all([a.flush(), b.flush(), a.flush()]);

    const received = smtp.mails.flatMap((m) => m.to).sort();
    expect(received).toEqual(Array.from({ length: MAILS }, (_, i) => `ouder${i}@example.org`).sort());
    expect(await outboxState(first.db)).toMatchObject({ pending: 0, failed: 0, lastError: null });
    const sent = await first.db.select().from(mailOutbox).where(eq(mailOutbox.status, 'sent'));
    expect(sent).toHaveLength(MAILS);
    expect(sent.every((r) => r.bodyEnc === null)).toBe(true);
    await a.close();
    await b.close();
  }, 60_000);
});
