import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../test/db.ts';
import { makeOrganisation, makeUser } from '../../test/fixtures.ts';
import { runCli } from '../cli.ts';
import type { Database } from '../db/client.ts';
import { sleepingSettings } from '../db/schema/index.ts';

describe('accounts:sleeping and jobs:sleeping', () => {
  let database: Database;
  const dataDir = mkdtempSync(join(tmpdir(), 'kindkans-cli-'));
  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(() => database.close());

  const run = async (argv: string[]) => {
    const out: string[] = [];
    const err: string[] = [];
    const code = await runCli(argv, { out: (l) => out.push(l), err: (l) => err.push(l), database, envSource: { NODE_ENV: 'test', APP_SECRET: 'test-secret-test-secret-test-secret-0123456789', LOG_LEVEL: 'silent', DATA_DIR: dataDir } });
    return { code, out: out.join('\n'), err: err.join('\n') };
  };

  it('lists the sleeping accounts with the setting, and runs the day’s job once', async () => {
    const org = await makeOrganisation(database.db, 'PO9999', 'Slaapverband');
    const sleeper = await makeUser(database.db, org.id, 'parent', { status: 'invited', createdAt: new Date(Date.now() - 3 * 365 * 86_400_000) });
    await makeUser(database.db, org.id, 'parent', { lastLoginAt: new Date() });
    const listed = await run(['accounts:sleeping', '--org', 'po9999']);
    expect(listed.code).toBe(0);
    expect(listed.out).toContain('PO9999 Slaapverband: 1 account(s) without a login for 12 months; the daily job is off.');
    expect(listed.out).toMatch(new RegExp(`${sleeper.username}  parent  invited  never logged in \\(invited \\d{4}-\\d{2}-\\d{2}\\)`));
    expect((await run(['accounts:sleeping', '--org', 'XX0000'])).code).toBe(1);

    expect((await run(['jobs:sleeping'])).out).toBe('No organisation has turned the sleeping-accounts job on.');
    await database.db.insert(sleepingSettings).values({ organisationId: org.id, enabled: true, months: 12 });
    expect((await run(['jobs:sleeping'])).out).toBe('PO9999 Slaapverband: 1 warned, 0 deactivated.');
    expect((await run(['jobs:sleeping'])).out).toBe('PO9999 Slaapverband: already ran today (or running in the server now).');
  });
});
