import { mkdtempSync, readdirSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createApp } from './app.ts';
import { testEnv } from '../test/app.ts';
import { createTestDatabase } from '../test/db.ts';
import { linkGuardian, makeDossier, makeOrganisation, makeSchool, makeUser, signIn } from '../test/fixtures.ts';
import type { Database } from './db/client.ts';
import { setSpoolRoot } from './features/attachments/spool.ts';
import { startHttpServer, type HttpServer } from './http-server.ts';
import { silentLogger } from './lib/logger.ts';
import { createLogMailer } from '../test/mailer.ts';

// Slow and idle clients against the real Node server of main.ts, with short limits.
// One request at a time, waiting at most 1.5 s: a stalled body that held the slot would turn
// every other user's request into a 503 before its own 2 s request timeout.
const LIMITS = { HEADERS_TIMEOUT_MS: '1000', REQUEST_TIMEOUT_MS: '2000', KEEP_ALIVE_TIMEOUT_MS: '500', MAX_CONCURRENT_REQUESTS: '1', QUEUE_TIMEOUT_MS: '1500' };

function open(port: number): Promise<Socket> {
  return new Promise((ok, fail) => {
    const s = connect(port, '127.0.0.1', () => ok(s));
    s.on('error', fail);
  });
}
const closed = (s: Socket) => new Promise<number>((ok) => (s.destroyed ? ok(0) : s.once('close', () => ok(performance.now()))));

describe('slow and idle clients', () => {
  let database: Database;
  let http: HttpServer;
  let app: ReturnType<typeof createApp>;
  let token: string;
  let hulpvraagId: string;
  const spool = mkdtempSync(join(tmpdir(), 'kk-spool-test-'));
  const url = (path: string) => `http://127.0.0.1:${http.port}${path}`;
  const users = async (n: number) => {
    let worst = 0;
    for (let i = 0; i < n; i++) worst = Math.max(worst, await user());
    return worst;
  };
  const user = async () => {
    const t0 = performance.now();
    const res = await fetch(url('/api/v1/dossiers'), { headers: { authorization: `Bearer ${token}` }, signal: AbortSignal.timeout(10_000) });
    expect(res.status).toBe(200);
    expect((await res.json()).total).toBe(1);
    return performance.now() - t0;
  };

  beforeAll(async () => {
    database = await createTestDatabase();
    const env = testEnv(LIMITS);
    const org = await makeOrganisation(database.db);
    const school = await makeSchool(database.db, org.id);
    const parent = await makeUser(database.db, org.id, 'parent');
    const staff = await makeUser(database.db, org.id, 'coordinator');
    const dossier = await makeDossier(database.db, org.id, school.id);
    await linkGuardian(database.db, dossier.id, parent.id);
    token = await signIn(database.db, parent.id, new Date(), env);
    const { hulpvragen } = await import('./db/schema/index.ts');
    const [hv] = await database.db.insert(hulpvragen).values({ organisationId: org.id, dossierId: dossier.id, date: '2026-01-01', title: 'Traag' }).returning();
    hulpvraagId = hv!.id;
    (globalThis as { staffToken?: string }).staffToken = await signIn(database.db, staff.id, new Date(), env);
    app = createApp({ db: database.db, database, env, mailer: createLogMailer(silentLogger) });
    http = await startHttpServer(app.fetch, { ...env, PORT: 0, HOST: '127.0.0.1' });
    setSpoolRoot(spool);
  });
  afterAll(async () => {
    setSpoolRoot(null);
    await http.shutdown(1000);
    await database.close();
  });

  it('cuts slowloris clients (headers a byte at a time) after the headers timeout; others are served meanwhile', async () => {
    const sockets = await Promise.all(Array.from({ length: 200 }, () => open(http.port)));
    const ends = sockets.map(closed);
    const dribble = setInterval(() => {
      for (const s of sockets) if (!s.destroyed) s.write('X');
    }, 200);
    for (const s of sockets) s.write('GET /health HTTP/1.1\r\nHost: x\r\nX-Slow: ');
    const t0 = performance.now();
    expect(await users(10)).toBeLessThan(3000);
    const at = await Promise.all(ends);
    clearInterval(dribble);
    // 1 s headers timeout, checked every second: all gone within ~2 s (generous margin for a busy machine).
    expect(Math.max(...at) - t0).toBeLessThan(6000);
  });

  it('frees a request whose body never finishes (JSON and upload): no slot, no spool file left', async () => {
    const json = await open(http.port);
    json.write(`POST /api/v1/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"organisation":`);
    const upload = await open(http.port);
    const staffToken = (globalThis as { staffToken?: string }).staffToken!;
    upload.write(
      `POST /api/v1/hulpvragen/${hulpvraagId}/attachments HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${staffToken}\r\n` +
        `Content-Type: multipart/form-data; boundary=b\r\nContent-Length: 100000\r\n\r\n--b\r\nContent-Disposition: form-data; name="file"; filename="a.pdf"\r\n\r\n%PDF-1.7\n${'x'.repeat(5000)}`,
    );
    const t0 = performance.now();
    const ends = [closed(json), closed(upload)];
    const answers: string[] = [];
    json.on('data', (d) => answers.push(`json: ${String(d).split('\r\n')[0]}`));
    upload.on('data', (d) => answers.push(`upload: ${String(d).split('\r\n')[0]}`));
    await new Promise((r) => setTimeout(r, 300));
    // Stalled bodies hold no admission slot (and so no database connection): others get through.
    expect(await users(5)).toBeLessThan(1500);
    expect(readdirSync(spool).length).toBe(1); // the upload is spooling
    const at = await Promise.race([Promise.all(ends), new Promise<never>((_, fail) => setTimeout(() => fail(new Error(`not cut off after 10 s: json ${json.destroyed}, upload ${upload.destroyed}, in flight ${http.inFlight()}, answers ${answers.join('; ')}`)), 10_000))]);
    expect(Math.max(...at) - t0).toBeLessThan(6000); // REQUEST_TIMEOUT_MS 2 s, checked every second
    // The handler's cleanup runs after the socket is cut: give it up to 5 s on a busy machine.
    await vi.waitUntil(() => readdirSync(spool).length === 0 && http.inFlight() === 0, { timeout: 5000, interval: 50 }).catch(() => {});
    expect(readdirSync(spool)).toEqual([]);
    expect(http.inFlight()).toBe(0);
  });

  it('1 000 idle keep-alive connections do not starve anyone and are closed after the keep-alive timeout', async () => {
    // Each sends its request as soon as it is connected (one that waited for all 1 000 to connect
    // could meet the 1 s headers timeout on a busy machine), then stays open and idle.
    const answered = await Promise.all(
      Array.from(
        { length: 1000 },
        () =>
          new Promise<{ socket: Socket; answered: boolean }>((done, fail) => {
            const socket = connect(http.port, '127.0.0.1', () => socket.write('GET /idle HTTP/1.1\r\nHost: x\r\nConnection: keep-alive\r\n\r\n')); // a 404: no database work
            socket.on('error', fail);
            socket.once('data', () => done({ socket, answered: true }));
            socket.once('close', () => done({ socket, answered: false }));
          }),
      ),
    );
    expect(answered.filter((a) => !a.answered)).toHaveLength(0);
    const sockets = answered.map((a) => a.socket);
    const t0 = performance.now();
    const ends = sockets.map(closed);
    expect(await users(20)).toBeLessThan(3000);
    const at = await Promise.all(ends);
    expect(Math.max(...at) - t0).toBeLessThan(5000); // keep-alive timeout 0.5 s
    expect(await user()).toBeLessThan(3000);
  }, 60_000);
});
