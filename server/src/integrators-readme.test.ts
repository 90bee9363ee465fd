import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { serve, type ServerType } from '@hono/node-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestContext } from '../test/app.ts';
import { makeDossier, makeOrganisation, makeSchool } from '../test/fixtures.ts';
import { hulpvragen } from './db/schema/index.ts';
import { createApiToken } from './features/api-tokens/service.ts';
import { makePdf } from './lib/demo-pdf.ts';

const run = promisify(execFile);
const root = resolve(import.meta.dirname, '../..');
const readme = readFileSync(join(root, 'README.md'), 'utf8');

/** The fenced block after `<!-- marker…-->` in the README. */
function blockAfter(marker: string): string {
  const at = readme.indexOf(`<!-- ${marker}`);
  const match = /```\w*\n([\s\S]*?)```/.exec(readme.slice(at));
  if (at < 0 || !match) throw new Error(`README has no block after <!-- ${marker}`);
  return match[1]!;
}

/** The block's commands, continuation lines joined, comments and the example settings dropped. */
const curlCommands = () => blockAfter('integrators-curl').replace(/\\\n/g, ' ').split('\n').map((l) => l.trim()).filter((l) => l.startsWith('curl '));

/**
 * README "For integrators": its curl commands and its typed-client example, run as written against
 * a started server with a real token (KINDKANS, TOKEN and the ids are set as the README says).
 */
describe('README: for integrators', () => {
  let t: TestContext;
  let server: ServerType;
  let base: string;
  let token: string;
  const ids: Record<string, string> = {};
  const work = mkdtempSync(join(tmpdir(), 'kindkans-integrator-'));
  const pdf = makePdf(['Verslag van het gesprek', 'met de intern begeleider']);

  beforeAll(async () => {
    t = await createTestApp();
    const org = await makeOrganisation(t.db, 'PO2507', 'Stromenland');
    const school = await makeSchool(t.db, org.id);
    const dossier = await makeDossier(t.db, org.id, school.id, { firstName: 'Sam', lastName: 'de Vries' });
    const [h] = await t.db.insert(hulpvragen).values({ organisationId: org.id, dossierId: dossier.id, date: '2025-03-01', title: 'Preventief SCP observatie' }).returning();
    ids.DOSSIER_ID = dossier.id;
    ids.HULPVRAAG_ID = h!.id;
    token = (await createApiToken(t.db, org.id, { name: 'Leerlingadministratie', scopes: ['dossiers:read', 'dossiers:write'], expiresInDays: 90 }, { now: new Date(), createdBy: { id: null, displayName: 'Test' }, audit: {} })).token;
    t.clock.set(new Date());
    server = serve({ fetch: t.app.fetch, port: 0, hostname: '127.0.0.1' });
    await new Promise<void>((r) => server.once('listening', () => r()));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    writeFileSync(join(work, 'verslag.pdf'), pdf);
  });
  afterAll(async () => {
    await new Promise((r) => server.close(r));
    await t.close();
  });

  const curl = (command: string) =>
    run('bash', ['-c', command], { cwd: work, env: { ...process.env, KINDKANS: base, TOKEN: token, ...ids } }).then((r) => r.stdout);

  it('lists dossiers, lists hulpvragen, uploads and downloads an attachment — with the README commands', async () => {
    const [list, hulp, upload, download, ...rest] = curlCommands();
    expect(rest).toEqual([]);
    const dossiers = JSON.parse(await curl(list!));
    expect(dossiers.items).toEqual([expect.objectContaining({ id: ids.DOSSIER_ID, lastName: 'de Vries' })]);

    const page = JSON.parse(await curl(hulp!));
    expect(page.items).toEqual([expect.objectContaining({ id: ids.HULPVRAAG_ID, title: 'Preventief SCP observatie' })]);

    const stored = JSON.parse(await curl(upload!));
    expect(stored).toMatchObject({ hulpvraagId: ids.HULPVRAAG_ID, filename: 'verslag.pdf', contentType: 'application/pdf', size: pdf.length });
    ids.ATTACHMENT_ID = stored.id;

    const downloads = mkdtempSync(join(work, 'download-'));
    await run('bash', ['-c', download!], { cwd: downloads, env: { ...process.env, KINDKANS: base, TOKEN: token, ...ids } });
    expect(readdirSync(downloads)).toEqual(['verslag.pdf']);
    expect(Buffer.compare(readFileSync(join(downloads, 'verslag.pdf')), Buffer.from(pdf))).toBe(0);
  }, 60_000);

  it('the curl commands fail loudly (-f) with a revoked or wrong token', async () => {
    const [list] = curlCommands();
    await expect(run('bash', ['-c', list!], { cwd: work, env: { ...process.env, KINDKANS: base, TOKEN: 'kk_wrong-wrong-wrong-wrong-wrong-wrong-wrong', ...ids } })).rejects.toMatchObject({ code: 22 });
  });

  it('the typed-client (hc<AppType>) example runs as written', async () => {
    // Inside the repository, so that `hono` resolves as it would in an integrator's project.
    const dir = mkdtempSync(join(root, 'node_modules/.cache-kindkans-readme-'));
    const file = join(dir, 'example.mts');
    writeFileSync(file, blockAfter('integrators-hc').replace("'./server/src/app.ts'", `'${join(root, 'server/src/app.ts')}'`));
    const { stdout } = await run(process.execPath, ['--import', 'tsx', file], { cwd: root, env: { ...process.env, KINDKANS_URL: base, KINDKANS_TOKEN: token } })
      .finally(() => rmSync(dir, { recursive: true, force: true }));
    expect(stdout.trim()).toBe(`${ids.DOSSIER_ID} Sam de Vries`);
  }, 60_000);
});
