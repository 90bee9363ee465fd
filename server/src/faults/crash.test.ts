import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eq, inArray } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startKindkans, type KindkansProcess } from '../../../bench/lib/kindkans-process.ts';
import { multipart, pdfBytes, seedWorld, sha256, WORLD_PASSWORD, type World } from '../../../bench/lib/world.ts';
import { totpCode } from '../lib/totp.ts';
import { createEmptyPostgresDatabase } from '../../test/db.ts';
import { openPglite, openPostgres, type Database } from '../db/client.ts';
import { migrateDatabase } from '../db/migrate.ts';
import { attachments, auditLog } from '../db/schema/index.ts';
import { createSession } from '../features/auth/session.ts';

// The real server process (main.ts) killed and stopped while uploads and downloads run, on the
// database of this test run (PostgreSQL with DATABASE_URL, else embedded PGlite in a DATA_DIR).
const SECRET = 'fault-secret-fault-secret-fault-secret-0123456789';
const onPostgres = Boolean(process.env.DATABASE_URL);

interface Upload {
  status: number | 'error';
  id?: string;
  sha256: string;
}

/** Sends one upload in 32 KiB pieces with a pause between them (so it is in flight for a while). */
function slowUpload(base: string, token: string, hulpvraagId: string, bytes: Buffer, pauseMs: number): Promise<Upload> {
  const { body, contentType } = multipart(`upload-${sha256(bytes).slice(0, 8)}.pdf`, bytes);
  const expected = sha256(bytes);
  return new Promise((ok) => {
    const url = new URL(`${base}/api/v1/hulpvragen/${hulpvraagId}/attachments`);
    const req = request(url, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': contentType, 'content-length': body.length } }, (res) => {
      let text = '';
      res.on('data', (d) => (text += d));
      res.on('end', () => {
        const json = res.statusCode === 201 ? (JSON.parse(text) as { id: string; sha256: string }) : null;
        ok({ status: res.statusCode!, id: json?.id, sha256: expected });
      });
      res.on('error', () => ok({ status: 'error', sha256: expected }));
    });
    req.on('error', () => ok({ status: 'error', sha256: expected }));
    let at = 0;
    const next = () => {
      if (req.destroyed) return;
      const piece = body.subarray(at, at + 32 * 1024);
      at += piece.length;
      if (at >= body.length) return void req.end(piece);
      req.write(piece);
      setTimeout(next, pauseMs);
    };
    next();
  });
}

async function download(base: string, token: string, id: string, slowMs = 0, onAnswer?: () => void): Promise<{ status: number; sha256: string; bytes: number }> {
  return new Promise((ok, fail) => {
    request(`${base}/api/v1/attachments/${id}/content`, { headers: { authorization: `Bearer ${token}` } }, (res) => {
      onAnswer?.();
      const chunks: Buffer[] = [];
      res.on('data', (d: Buffer) => {
        chunks.push(d);
        if (slowMs) {
          res.pause();
          setTimeout(() => res.resume(), slowMs);
        }
      });
      res.on('end', () => {
        const all = Buffer.concat(chunks);
        ok({ status: res.statusCode!, sha256: sha256(all), bytes: all.length });
      });
      res.on('error', fail);
    })
      .on('error', fail)
      .end();
  });
}

describe(`the server process killed or stopped under load (${onPostgres ? 'PostgreSQL' : 'embedded PGlite'})`, () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'kk-faults-'));
  let scratch: { url: string; drop(): Promise<void> } | null = null;
  let env: Record<string, string>;
  let world: World;
  let token: string;
  let server: KindkansProcess | undefined;
  const open = (): Promise<Database> => (scratch ? Promise.resolve(openPostgres(scratch.url, { max: 2 })) : openPglite(dataDir));

  const countLogins = async () => {
    const database = await open();
    try {
      return (await database.db.select().from(auditLog).where(eq(auditLog.action, 'auth.login'))).length;
    } finally {
      await database.close();
    }
  };

  beforeAll(async () => {
    scratch = onPostgres ? await createEmptyPostgresDatabase() : null;
    env = { APP_SECRET: SECRET, DATA_DIR: dataDir, SHUTDOWN_TIMEOUT_MS: '15000', LOG_LEVEL: 'info', ...(scratch ? { DATABASE_URL: scratch.url } : {}) };
    const database = await open();
    await migrateDatabase(database);
    world = await seedWorld(database.db, SECRET, { code: 'FAULT', families: 1, parentsPerFamily: 24, hulpvragenPerFamily: 2, attachmentsPerFamily: 1, attachmentBytes: 3 * 2 ** 20, staff: 1 });
    ({ token } = await createSession(database.db, world.staff[0]!.id, new Date(), { idleMinutes: 60, maxHours: 8 }));
    await database.close();
  }, 60_000);
  afterAll(async () => {
    if (server && server.child.exitCode === null && server.child.signalCode === null) server.child.kill('SIGKILL');
    await scratch?.drop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('SIGKILL during 20 uploads: after a restart every 201 is intact, nothing half-written is visible, no spool file is left', async () => {
    server = await startKindkans(env);
    const hulpvraagId = world.families[0]!.hulpvraagIds[0]!;
    const files = Array.from({ length: 20 }, (_, i) => pdfBytes((i + 1) * 48 * 1024));
    let answered = 0;
    let kill!: () => void;
    const killed = new Promise<void>((ok) => (kill = ok));
    const uploads = files.map((bytes, i) =>
      slowUpload(server!.base, token, hulpvraagId, bytes, 5 + i).then((u) => {
        if (u.status === 201 && ++answered === 4) kill();
        return u;
      }),
    );
    await Promise.race([killed, new Promise((r) => setTimeout(r, 20_000))]);
    server.child.kill('SIGKILL');
    const results = await Promise.all(uploads);
    expect((await server.exited).signal).toBe('SIGKILL');
    const created = results.filter((u) => u.status === 201);
    expect(created.length).toBeGreaterThanOrEqual(4);
    expect(created.length).toBeLessThan(20); // some were cut off mid-way
    expect(readdirSync(join(dataDir, 'spool')).length).toBeGreaterThan(0); // the killed process left spool files

    server = await startKindkans(env);
    expect(readdirSync(join(dataDir, 'spool'))).toEqual([]);
    const detail = (await (await fetch(`${server.base}/api/v1/hulpvragen/${hulpvraagId}`, { headers: { authorization: `Bearer ${token}` } })).json()) as { attachments: Array<{ id: string; sha256: string; size: number }> };
    const visible = new Map(detail.attachments.map((a) => [a.id, a]));
    for (const u of created) expect(visible.get(u.id!)?.sha256).toBe(u.sha256);
    // Everything visible is whole: the bytes match the recorded SHA-256 and size (a commit whose answer was lost counts too).
    for (const a of detail.attachments) {
      const got = await download(server.base, token, a.id);
      expect(got).toMatchObject({ status: 200, sha256: a.sha256, bytes: a.size });
    }
    server.child.kill('SIGTERM');
    expect((await server.exited).code).toBe(0);
  }, 90_000);

  it('SIGTERM: uploads and downloads in flight finish (their bytes intact), then it exits 0', async () => {
    server = await startKindkans(env);
    const family = world.families[0]!;
    const big = family.attachments[0]!;
    const uploads = Array.from({ length: 6 }, (_, i) => slowUpload(server!.base, token, family.hulpvraagIds[1]!, pdfBytes(256 * 1024 + i), 40));
    const downloads: Array<ReturnType<typeof download>> = [];
    let answering = 0;
    const allAnswering = new Promise<void>((ok) => {
      const started = () => void (++answering === 3 && ok());
      downloads.push(...Array.from({ length: 3 }, () => download(server!.base, token, big.id, 30, started)));
    });
    // SIGTERM once the server is working on every request: a connection it has not read yet when
    // the signal comes is closed unanswered, as it should be (on a busy machine that takes a while).
    await Promise.race([allAnswering, new Promise((r) => setTimeout(r, 15_000))]);
    await new Promise((r) => setTimeout(r, 200));
    server.child.kill('SIGTERM');
    const [up, down, exit] = await Promise.all([Promise.all(uploads), Promise.all(downloads), server.exited]);
    expect(exit.code).toBe(0);
    expect(up.map((u) => u.status)).toEqual([201, 201, 201, 201, 201, 201]);
    for (const d of down) expect(d).toMatchObject({ status: 200, sha256: big.sha256, bytes: big.size });
    expect(server.output()).not.toMatch(/Failed query|unhandled error|closing the database failed/);
    const database = await open();
    try {
      const stored = await database.db.select().from(attachments).where(inArray(attachments.id, up.map((u) => u.id!)));
      expect(stored.map((a) => a.sha256).sort()).toEqual(up.map((u) => u.sha256).sort());
    } finally {
      await database.close();
    }
  }, 90_000);

  it('SIGTERM: handlers of clients that already went away finish, with their audit rows, before the pool closes', async () => {
    const before = await countLogins();
    server = await startKindkans(env);
    // 24 logins (argon2 on 4 threads: the handlers run a while); the clients leave before the
    // answer and SIGTERM follows at once, while no connection is open any more.
    const codes = await Promise.all(world.parents.map((p) => totpCode(p.secret, new Date())));
    const abandoned = world.parents.map((p, i) => {
      const req = request(`${server!.base}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' } });
      req.on('error', () => {});
      req.end(JSON.stringify({ organisation: world.organisation, username: p.username, password: WORLD_PASSWORD, code: codes[i] }));
      return req;
    });
    await new Promise((r) => setTimeout(r, 100));
    for (const req of abandoned) req.destroy();
    server.child.kill('SIGTERM');
    expect((await server.exited).code).toBe(0);
    const log = server.output();
    expect(log).not.toMatch(/Failed query|unhandled error|closing the database failed/);
    const finished = log
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as { msg: string; path?: string; status?: number })
      .filter((l) => l.msg === 'request' && l.path === '/api/v1/auth/login');
    // Every login the server took in finished with its answer and its audit row (a busy
    // machine may not have accepted all 24 connections before they were closed).
    expect(finished.length).toBeGreaterThan(0);
    expect(finished.every((l) => l.status === 200)).toBe(true);
    expect(await countLogins()).toBe(before + finished.length);
  }, 90_000);

  it.runIf(!onPostgres)('embedded PGlite: killed twice during a stream of writes, the data directory opens again with every acknowledged write', async () => {
    const dossierId = world.families[0]!.dossierId;
    const acknowledged: string[] = [];
    for (let round = 0; round < 2; round++) {
      server = await startKindkans(env);
      const base = server.base;
      let writing = true;
      const writers = Array.from({ length: 4 }, async (_, w) => {
        for (let n = 0; writing; n++) {
          try {
            const res = await fetch(`${base}/api/v1/dossiers/${dossierId}/hulpvragen`, {
              method: 'POST',
              headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
              body: JSON.stringify({ title: `Kill ${round}.${w}.${n}`, date: '2026-02-03' }),
            });
            if (res.status === 201) acknowledged.push(((await res.json()) as { id: string }).id);
            else return;
          } catch {
            return; // the process is gone
          }
        }
      });
      // Kill once this round has had a few writes acknowledged (at most 15 s: a busy machine).
      const start = acknowledged.length;
      for (let waited = 0; acknowledged.length < start + 3 + round * 2 && waited < 15_000; waited += 50) await new Promise((r) => setTimeout(r, 50));
      server.child.kill('SIGKILL');
      writing = false;
      await Promise.all(writers);
      await server.exited;
    }
    expect(acknowledged.length).toBeGreaterThanOrEqual(8);
    const database = await open(); // the stale lock of the killed process is taken over
    try {
      const { hulpvragen } = await import('../db/schema/index.ts');
      const rows = await database.db.select({ id: hulpvragen.id }).from(hulpvragen).where(inArray(hulpvragen.id, acknowledged));
      expect(rows.length).toBe(acknowledged.length);
    } finally {
      await database.close();
    }
  }, 90_000);
});
