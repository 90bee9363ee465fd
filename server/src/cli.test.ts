import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPglite, type Database } from './db/client.ts';
import { runCli } from './cli.ts';
import { listOrganisations } from './features/organisations/service.ts';
import { createTestDatabase } from '../test/db.ts';

const ENV = { NODE_ENV: 'test', APP_SECRET: 'test-secret-test-secret-test-secret-0123456789', LOG_LEVEL: 'silent' };

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, io: { out: (l: string) => out.push(l), err: (l: string) => err.push(l) } };
}

describe('cli', () => {
  let database: Database;
  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(() => database.close());
  const run = async (...argv: string[]) => {
    const c = capture();
    const code = await runCli(argv, { ...c.io, database, envSource: { ...ENV, DATA_DIR: tmpdir() } });
    return { code, out: c.out.join('\n'), err: c.err.join('\n') };
  };

  it('creates an organisation and a school', async () => {
    expect(await run('org:create', '--code', 'po2507', '--name', 'Stromenland')).toMatchObject({ code: 0, out: 'Organisation PO2507 Stromenland created.' });
    const school = await run('school:create', '--org', 'PO2507', '--brin', '12ab00', '--name', 'De Regenboog', '--city', 'Nijmegen');
    expect(school).toMatchObject({ code: 0, out: 'School 12AB00 De Regenboog (Nijmegen) added to PO2507 Stromenland.' });
    expect(await listOrganisations(database.db)).toEqual([{ code: 'PO2507', name: 'Stromenland', label: 'PO2507 Stromenland' }]);
  });

  it('refuses duplicates with a clear message', async () => {
    expect(await run('org:create', '--code', 'PO2507', '--name', 'Again')).toMatchObject({ code: 1, err: 'Error: Organisation PO2507 already exists.' });
    const dup = await run('school:create', '--org', 'PO2507', '--brin', '12AB00', '--name', 'Twee');
    expect(dup.code).toBe(1);
    expect(dup.err).toContain('BRIN 12AB00 already exists');
  });

  it.each([
    [['org:create', '--code', 'PO 25!', '--name', 'X'], 1, 'must be 2–12 letters or digits'],
    [['org:create', '--name', 'X'], 2, '--code is required'],
    [['school:create', '--org', 'PO2507', '--brin', '1234', '--name', 'X'], 1, 'BRIN "1234" is not valid'],
    [['school:create', '--org', 'XX0000', '--brin', '12AB', '--name', 'X'], 1, 'Organisation XX0000 does not exist'],
    [['org:create', '--code', 'A1', '--name', 'X', '--bogus', 'y'], 2, "Unknown option '--bogus'"],
    [['no:such-command'], 2, 'Unknown command "no:such-command"'],
  ])('%j exits %i saying %s', async (argv, exitCode, message) => {
    const result = await run(...argv);
    expect(result.code).toBe(exitCode);
    expect(result.err).toContain(message);
  });

  it('changes nothing when a command fails', async () => {
    await run('org:create', '--code', 'PO 25!', '--name', 'X');
    expect((await listOrganisations(database.db)).map((o) => o.code)).toEqual(['PO2507']);
  });
});

describe.runIf(!process.env.DATABASE_URL)('cli on the embedded database', () => {
  it('says plainly that the server must be stopped while it holds DATA_DIR', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'kindkans-lock-'));
    const server = await openPglite(dataDir); // stands in for a running `npm start`
    try {
      const c = capture();
      const code = await runCli(['org:create', '--code', 'PO1', '--name', 'X'], { ...c.io, envSource: { ...ENV, DATA_DIR: dataDir } });
      expect(code).toBe(1);
      expect(c.err.join('\n')).toMatch(/in use by another Kindkans process .*Stop the server first/);
    } finally {
      await server.close();
    }
    // Once the server is gone, the CLI works on the same directory.
    const c = capture();
    expect(await runCli(['org:create', '--code', 'PO1', '--name', 'X'], { ...c.io, envSource: { ...ENV, DATA_DIR: dataDir } })).toBe(0);
  });
});
