import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { startKindkans, type KindkansProcess } from '../../../bench/lib/kindkans-process.ts';
import { describeSoak, runSoak, SOAK_SERVER_ENV } from '../../../bench/lib/soak.ts';
import { seedWorld } from '../../../bench/lib/world.ts';
import { createEmptyPostgresDatabase } from '../../test/db.ts';
import { openPglite, openPostgres } from '../db/client.ts';
import { migrateDatabase } from '../db/migrate.ts';

// The quick soak (the long one: `npm run bench -- soak`). On PostgreSQL: 20 s of parents,
// staff, an isolation checker and an integration against the real server process. On embedded
// PGlite (one connection, in the server's own thread, meant for a demo or a small school) the
// same workload runs lighter and shorter: it checks correctness and isolation, not throughput.
const onPostgres = Boolean(process.env.DATABASE_URL);
const SECRET = 'soak-secret-soak-secret-soak-secret-0123456789';
const dataDir = mkdtempSync(join(tmpdir(), 'kk-soak-'));
let scratch: Awaited<ReturnType<typeof createEmptyPostgresDatabase>> = null;
let server: KindkansProcess | undefined;

afterAll(async () => {
  if (server && server.child.exitCode === null) {
    server.child.kill('SIGTERM');
    await server.exited;
  }
  await scratch?.drop();
  rmSync(dataDir, { recursive: true, force: true });
});

it(`soak (${onPostgres ? 'PostgreSQL, 20 s' : 'embedded PGlite, 10 s'}): zero errors, no family sees another's data`, async () => {
  scratch = onPostgres ? await createEmptyPostgresDatabase() : null;
  const database = scratch ? openPostgres(scratch.url, { max: 2 }) : await openPglite(dataDir);
  await migrateDatabase(database);
  const world = await seedWorld(database.db, SECRET, { families: 12, parentsPerFamily: 4, hulpvragenPerFamily: 3, attachmentsPerFamily: 2, attachmentBytes: 48 * 1024, staff: 3 });
  await database.close();
  server = await startKindkans({ APP_SECRET: SECRET, DATA_DIR: dataDir, TRUST_PROXY: 'true', ...SOAK_SERVER_ENV, ...(scratch ? { DATABASE_URL: scratch.url } : {}) });

  const result = await runSoak({
    base: server.base,
    world,
    pid: server.child.pid,
    seconds: onPostgres ? 20 : 10,
    parents: onPostgres ? 8 : 3,
    staff: onPostgres ? 2 : 1,
    checkers: onPostgres ? 2 : 1,
    integrations: 1,
    sampleEveryMs: 5000,
  });
  if (result.errors) console.log(describeSoak(result).join('\n'));
  expect(result.errors, describeSoak(result).join('\n')).toBe(0);
  expect(result.isolation.leaks).toBe(0);
  expect(result.isolation.checks).toBeGreaterThan(20);
  for (const kind of ['login', 'logout', 'dossiers', 'hulpvragen', 'hulpvraag', 'download', 'upload', 'staff-download', 'isolation']) {
    expect(result.kinds[kind]?.count ?? 0, kind).toBeGreaterThan(0);
  }
  expect(result.integration).toBe('api-tokens'); // an admin made a kk_ token; the integration used it
  for (const kind of ['token-create', 'integration-dossiers', 'integration-hulpvragen', 'integration-download']) expect(result.kinds[kind]?.count ?? 0, kind).toBeGreaterThan(0);
  expect(result.samples.length).toBeGreaterThanOrEqual(3);
  expect(result.samples.every((s) => s.rssMb > 0 && s.loopDelayP99Ms !== undefined)).toBe(true);
}, 120_000);
