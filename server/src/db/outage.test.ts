import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../app.ts';
import { testEnv } from '../../test/app.ts';
import { createTestDatabase } from '../../test/db.ts';
import { linkGuardian, makeDossier, makeOrganisation, makeSchool, makeUser, signIn } from '../../test/fixtures.ts';
import { startHttpServer } from '../http-server.ts';
import { createLogMailer } from '../../test/mailer.ts';
import { silentLogger } from '../lib/logger.ts';
import type { Database } from './client.ts';

interface Seen {
  status: number;
  ms: number;
  ok: boolean;
  at: number;
}

async function world(database: Database, env = testEnv()) {
  const org = await makeOrganisation(database.db);
  const school = await makeSchool(database.db, org.id);
  const parent = await makeUser(database.db, org.id, 'parent');
  const dossier = await makeDossier(database.db, org.id, school.id);
  await linkGuardian(database.db, dossier.id, parent.id);
  const token = await signIn(database.db, parent.id, new Date(), env);
  const app = createApp({ db: database.db, database, env, mailer: createLogMailer(silentLogger) });
  const http = await startHttpServer(app.fetch, { ...env, PORT: 0, HOST: '127.0.0.1' });
  return { http, token, dossierId: dossier.id, base: `http://127.0.0.1:${http.port}` };
}

/** One request: a right answer (200 with the caller's one dossier) or a proper 503, nothing else. */
async function ask(base: string, path: string, token: string, dossierId: string): Promise<Seen> {
  const t0 = performance.now();
  const res = await fetch(`${base}${path}`, { headers: { authorization: `Bearer ${token}` }, signal: AbortSignal.timeout(15_000) });
  const body = (await res.json()) as { items?: Array<{ id: string }>; code?: string; status?: number };
  const ms = performance.now() - t0;
  let ok = false;
  if (res.status === 200) ok = path === '/health' || (body.items?.length === 1 && body.items[0]!.id === dossierId);
  if (res.status === 503) ok = body.code === 'service_unavailable' && /^\d+$/.test(res.headers.get('retry-after') ?? '') && res.headers.get('content-type') === 'application/problem+json';
  return { status: res.status, ms, ok, at: Date.now() };
}

describe.runIf(process.env.DATABASE_URL)('PostgreSQL goes away while requests flow (pg_terminate_backend)', () => {
  let database: Database;
  let admin: postgres.Sql;
  let name: string;
  let w: Awaited<ReturnType<typeof world>>;
  beforeAll(async () => {
    database = await createTestDatabase();
    admin = postgres(process.env.DATABASE_URL!, { max: 1, onnotice: () => {} });
    name = ((await database.db.execute('select current_database() as name')) as unknown as Array<{ name: string }>)[0]!.name;
    w = await world(database);
  });
  afterAll(async () => {
    await admin.unsafe(`alter database "${name}" allow_connections true`).catch(() => {});
    await w?.http.shutdown(1000);
    await admin.end();
    await database.close();
  });

  it('answers 503 + Retry-After during the outage (never a hang or a wrong answer) and recovers by itself', async () => {
    const seen: Array<Seen & { path: string }> = [];
    let flowing = true;
    const client = async (path: string) => {
      while (flowing) seen.push({ path, ...(await ask(w.base, path, w.token, w.dossierId)) });
    };
    const clients = [client('/api/v1/dossiers'), client('/api/v1/dossiers'), client('/api/v1/dossiers'), client('/health')];
    await new Promise((r) => setTimeout(r, 1000));
    const outageStart = Date.now();
    // The outage: no new connections to this database, every existing one killed.
    await admin.unsafe(`alter database "${name}" allow_connections false`);
    await admin`select pg_terminate_backend(pid) from pg_stat_activity where datname = ${name}`;
    await new Promise((r) => setTimeout(r, 3000));
    await admin.unsafe(`alter database "${name}" allow_connections true`);
    const outageEnd = Date.now();
    await new Promise((r) => setTimeout(r, 2500));
    flowing = false;
    await Promise.all(clients);

    expect(seen.filter((s) => !s.ok)).toEqual([]);
    expect(Math.max(...seen.map((s) => s.ms))).toBeLessThan(6000);
    const during = seen.filter((s) => s.at > outageStart + 300 && s.at < outageEnd);
    expect(during.filter((s) => s.path === '/health' && s.status === 503).length).toBeGreaterThan(0);
    expect(during.filter((s) => s.path !== '/health' && s.status === 503).length).toBeGreaterThan(0);
    // Recovered without a restart: the last second is all 200.
    const last = seen.filter((s) => s.at > Date.now() - 1000);
    expect(last.length).toBeGreaterThan(0);
    expect(last.every((s) => s.status === 200)).toBe(true);
  }, 30_000);
});

describe.runIf(!process.env.DATABASE_URL)('embedded PGlite closed under the server', () => {
  it('answers 503 service_unavailable with Retry-After, not 500', async () => {
    const database = await createTestDatabase();
    const w = await world(database);
    expect((await ask(w.base, '/api/v1/dossiers', w.token, w.dossierId)).status).toBe(200);
    await database.close();
    for (const path of ['/api/v1/dossiers', '/health']) {
      const seen = await ask(w.base, path, w.token, w.dossierId);
      expect(seen).toMatchObject({ status: 503, ok: true });
    }
    await w.http.shutdown(1000);
  });
});
