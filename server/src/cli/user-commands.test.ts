import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer, type AddressInfo, type Socket } from 'node:net';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../test/db.ts';
import { CLI_SMTP_TIMEOUT_MS, runCli } from '../cli.ts';
import type { Database } from '../db/client.ts';
import { guardians, mailOutbox, organisations, users } from '../db/schema/index.ts';
import { ensureDemoAccounts } from '../demo-accounts.ts';
import { seedDemo } from '../demo.ts';
import { totpBox } from '../features/activation/service.ts';
import { verifyPassword } from '../lib/password.ts';
import { timeStepAt, verifyTotp } from '../lib/totp.ts';

const SECRET = 'test-secret-test-secret-test-secret-0123456789';

describe('user:invite, demo accounts and demo:code', () => {
  let database: Database;
  const dataDir = mkdtempSync(join(tmpdir(), 'kindkans-cli-'));
  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(() => database.close());

  const run = async (argv: string[], env: Record<string, string> = {}) => {
    const out: string[] = [];
    const err: string[] = [];
    const code = await runCli(argv, { out: (l) => out.push(l), err: (l) => err.push(l), database, envSource: { NODE_ENV: 'test', APP_SECRET: SECRET, LOG_LEVEL: 'silent', DATA_DIR: dataDir, PUBLIC_URL: 'https://kindkans.example', ...env } });
    return { code, out: out.join('\n'), err: err.join('\n') };
  };

  it('invites (on the embedded database it seeds the demo organisation first), printing the username and the link', async () => {
    if (database.kind === 'postgres') await seedDemo(database.db); // only the embedded database seeds by itself
    const res = await run(['user:invite', '--org', 'PO2507', '--role', 'admin', '--email', 'beheer@example.org', '--name', 'Beheerder Stromenland']);
    expect(res.code).toBe(0);
    expect(res.out).toContain('Username: b.stromenland');
    expect(res.out).toMatch(/activation link \(valid 72 hours, once\): https:\/\/kindkans\.example\/activate\/[\w-]{43}$/m);
    const [row] = await database.db.select().from(mailOutbox).where(eq(mailOutbox.toAddress, 'beheer@example.org'));
    expect(row).toMatchObject({ template: 'welcome', status: 'sent', bodyEnc: null }); // "sent" to the log: no SMTP_URL
  });

  it('with an SMTP server that never answers: one try of about 5 s, then says the mail is queued in the outbox', async () => {
    const sockets: Socket[] = [];
    const silent = createServer((socket) => sockets.push(socket)); // accepts, never greets
    await new Promise<void>((ok) => silent.listen(0, '127.0.0.1', ok));
    const { port } = silent.address() as AddressInfo;
    try {
      const started = Date.now();
      const res = await run(['user:invite', '--org', 'PO2507', '--role', 'admin', '--email', 'stil@example.org', '--name', 'Stille Server'], { SMTP_URL: `smtp://127.0.0.1:${port}` });
      const took = Date.now() - started;
      expect(res.code).toBe(0);
      expect(res.out).toContain('Username: s.server');
      expect(res.out).toContain('is queued in the outbox and will go out when the Kindkans server runs');
      expect(took).toBeGreaterThanOrEqual(CLI_SMTP_TIMEOUT_MS - 500);
      expect(took).toBeLessThan(CLI_SMTP_TIMEOUT_MS + 8_000);
      const [row] = await database.db.select().from(mailOutbox).where(eq(mailOutbox.toAddress, 'stil@example.org'));
      expect(row).toMatchObject({ template: 'welcome', status: 'pending', attempts: 1 });
      expect(row!.bodyEnc).toMatch(/^v1\./); // still sealed, waiting for the server's dispatcher
    } finally {
      for (const s of sockets) s.destroy();
      await new Promise((ok) => silent.close(ok));
    }
  }, 30_000);

  it('never seeds the demo organisation with NODE_ENV=production', async () => {
    const fresh = await createTestDatabase();
    try {
      const err: string[] = [];
      const code = await runCli(['user:invite', '--org', 'PO2507', '--role', 'admin', '--email', 'beheer@example.org', '--name', 'Beheerder'], {
        out: () => {}, err: (l) => err.push(l), database: fresh,
        envSource: { NODE_ENV: 'production', APP_SECRET: SECRET, LOG_LEVEL: 'silent', DATA_DIR: dataDir, PUBLIC_URL: 'https://kindkans.example' },
      });
      expect(code).toBe(1);
      expect(err.join('\n')).toContain('PO2507 does not exist');
      expect(await fresh.db.select().from(organisations)).toEqual([]);
    } finally {
      await fresh.close();
    }
  });

  it('refuses bad options with the usage', async () => {
    expect((await run(['user:invite', '--org', 'PO2507', '--role', 'baas', '--email', 'x@example.org', '--name', 'X'])).code).toBe(2);
    expect((await run(['user:invite', '--org', 'PO2507', '--role', 'admin', '--email', 'geen-adres', '--name', 'X'])).code).toBe(2);
    for (const name of ['Beheer www.evil.example', 'beheer@evil.example', 'B'.repeat(81)]) {
      expect(await run(['user:invite', '--org', 'PO2507', '--role', 'admin', '--email', 'x@example.org', '--name', name])).toMatchObject({ code: 2, err: expect.stringContaining('--name') });
    }
    expect(await run(['user:invite', '--org', 'NOPE', '--role', 'admin', '--email', 'x@example.org', '--name', 'X'])).toMatchObject({ code: 1, err: expect.stringContaining('NOPE does not exist') });
  });

  it('makes the demo admin and parent once; their printed passwords and keys work; later only the usernames', async () => {
    expect(await seedDemo(database.db)).toBeNull(); // seeded by user:invite above
    const first = await ensureDemoAccounts(database.db, SECRET, new Date(), dataDir);
    expect(first!.created).toBe(true);
    expect(first!.logins.map((l) => [l.role, l.username])).toEqual([['admin', 'd.beheerder'], ['parent', 'd.ouder']]);
    const parent = first!.logins[1]!;
    expect(parent.password).toMatch(/^[a-z]+(-[a-z]+){5}-\d{4}$/);
    const [row] = await database.db.select().from(users).where(eq(users.username, 'd.ouder'));
    expect(await verifyPassword(row!.passwordHash!, parent.password!)).toBe(true);
    expect(totpBox(SECRET).decrypt(row!.totpSecretEnc!)).toBe(parent.secretGrouped!.replace(/ /g, '').toUpperCase());
    expect(await database.db.select().from(guardians).where(eq(guardians.userId, row!.id))).toHaveLength(1);

    const again = await ensureDemoAccounts(database.db, SECRET, new Date(), dataDir);
    expect(again).toEqual({ organisation: 'PO2507 Stromenland', created: false, logins: [{ role: 'admin', displayName: 'Demo Beheerder', username: 'd.beheerder' }, { role: 'parent', displayName: 'Demo Ouder', username: 'd.ouder' }] });
  });

  it('demo:code prints a code the login accepts, after the last one used', async () => {
    const [row] = await database.db.select().from(users).where(eq(users.username, 'd.ouder'));
    const secret = totpBox(SECRET).decrypt(row!.totpSecretEnc!);
    const res = await run(['demo:code', 'D.Ouder']);
    expect(res.code).toBe(0);
    const code = /^(\d{6}) /.exec(res.out)![1]!;
    const now = new Date();
    expect(await verifyTotp(secret, code, now)).not.toBeNull();
    await database.db.update(users).set({ totpLastStep: timeStepAt(now) }).where(eq(users.id, row!.id));
    const next = /^(\d{6}) /.exec((await run(['demo:code', 'd.ouder'])).out)![1]!;
    expect(await verifyTotp(secret, next, now, timeStepAt(now))).toBe(timeStepAt(now) + 1);
    expect((await run(['demo:code', 'niemand'])).code).toBe(1);
  });

  it('demo:code still answers while a server holds the embedded database', async () => {
    writeFileSync(join(dataDir, 'pglite.lock'), String(process.pid)); // "held by a live process"
    const out: string[] = [];
    const code = await runCli(['demo:code', 'd.ouder'], { out: (l) => out.push(l), err: () => {}, envSource: { NODE_ENV: 'test', APP_SECRET: SECRET, LOG_LEVEL: 'silent', DATA_DIR: dataDir } });
    expect(code).toBe(0);
    expect(out.join('')).toMatch(/^\d{6} +\(d\.ouder;/);
  });
});
