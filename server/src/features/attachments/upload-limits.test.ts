import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { count } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createTestApp, type TestContext } from '../../../test/app.ts';
import { attachmentChunks, attachments } from '../../db/schema/index.ts';
import { BOUNDARY, createWorld, multipartBody, multipartHeaders, type World } from '../../authz/test-world.ts';
import { storeUpload } from './upload.ts';

let t: TestContext;
let w: World;
const stored = async () => [(await t.db.select({ n: count() }).from(attachments))[0]!.n, (await t.db.select({ n: count() }).from(attachmentChunks))[0]!.n];

describe('upload limits over a real socket, and stalled uploads', () => {
  beforeAll(async () => {
    t = await createTestApp({ env: { UPLOAD_MAX_MB: '1' } });
    w = await createWorld(t.db, t.env, t.clock.now());
  });
  afterAll(() => t.close());

  it('a client still sending a too-large file gets the 413 problem, not a reset; nothing stored', async () => {
    const before = await stored();
    const server = serve({ fetch: t.app.fetch, port: 0, hostname: '127.0.0.1' });
    await new Promise((r) => server.once('listening', r));
    const { port } = server.address() as AddressInfo;
    const body = multipartBody(Buffer.concat([Buffer.from('%PDF-'), Buffer.alloc(5 * 1024 * 1024, 1)]), 'groot.pdf');
    try {
      const answer = await new Promise<{ status: number; body: string }>((resolve, reject) => {
        const req = httpRequest(
          { host: '127.0.0.1', port, method: 'POST', path: `/api/v1/hulpvragen/${w.hulpvraag.own}/attachments`, headers: { ...multipartHeaders(), ...bearer(w.tokens.school), 'transfer-encoding': 'chunked' } },
          (res) => {
            let text = '';
            res.on('data', (c) => (text += c));
            res.on('end', () => resolve({ status: res.statusCode!, body: text }));
          },
        );
        req.on('error', reject);
        let i = 0;
        const write = () => {
          while (i < body.length) {
            const more = req.write(body.subarray(i, i + 65536));
            i += 65536;
            if (!more) return void req.once('drain', write);
          }
          req.end();
        };
        write();
      });
      expect(answer.status).toBe(413);
      expect(JSON.parse(answer.body).code).toBe('payload_too_large');
    } finally {
      await new Promise((r) => server.close(r));
    }
    expect(await stored()).toEqual(before);
  });

  it('caps the whole body at UPLOAD_MAX_MB + 64 KiB without Content-Length: 413 as soon as it is passed; other parts at 64 KiB', async () => {
    const url = `/api/v1/hulpvragen/${w.hulpvraag.own}/attachments`;
    const field = Buffer.from(`--${BOUNDARY}\r\nContent-Disposition: form-data; name="opmerking"\r\n\r\n${'x'.repeat(60_000)}\r\n`);
    let pulled = 0;
    const fields = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (pulled > 8 * 1024 * 1024) return controller.close(); // the old parser read all of this, then said 400
        pulled += field.length;
        controller.enqueue(new Uint8Array(field));
      },
    });
    const before = await stored();
    const res = await t.app.request(url, { method: 'POST', headers: { ...multipartHeaders(), ...bearer(w.tokens.school) }, body: fields, duplex: 'half' } as RequestInit);
    expect(res.status).toBe(413);
    expect((await res.json()).code).toBe('payload_too_large');
    expect(pulled).toBeLessThan(1024 * 1024 + 64 * 1024 + 4 * field.length);
    const bigField = Buffer.concat([
      Buffer.from(`--${BOUNDARY}\r\nContent-Disposition: form-data; name="opmerking"\r\n\r\n${'y'.repeat(64 * 1024 + 1)}\r\n`),
      multipartBody(Buffer.from('tekst\n'), 'notitie.txt'),
    ]);
    const one = await t.app.request(url, { method: 'POST', headers: { ...multipartHeaders(), ...bearer(w.tokens.school) }, body: bigField });
    expect(one.status).toBe(413);
    expect(await stored()).toEqual(before);
  });

  it('a client that stops sending is cut off after the idle timeout: nothing stored, the database free again', async () => {
    const before = await stored();
    const head = multipartBody(Buffer.from('begin van een tekst'), 'traag.txt').subarray(0, 150);
    async function* stalling() {
      yield head;
      await new Promise((r) => setTimeout(r, 5_000)); // sends nothing more within the test
    }
    const started = Date.now();
    const upload = storeUpload(t.db, {
      user: w.asAuthUser(w.users.school), owner: { hulpvraagId: w.hulpvraag.own }, body: stalling(), boundary: BOUNDARY, maxBytes: 1024 * 1024,
      now: new Date(), audit: { action: 'attachment.create', outcome: 'success' }, idleTimeoutMs: 300,
    });
    await expect(upload).rejects.toMatchObject({ code: 'invalid_request' });
    expect(Date.now() - started).toBeLessThan(5000);
    expect(await stored()).toEqual(before);
    expect((await t.app.request('/api/v1/news', { headers: bearer(w.tokens.parent) })).status).toBe(200);
  });

  it('a slow upload holds no database connection: other requests are answered meanwhile', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const body = multipartBody(Buffer.from('een tekst die langzaam binnenkomt'), 'langzaam.txt');
    async function* slow() {
      yield body.subarray(0, 120);
      await gate; // the rest arrives only after the other request was answered
      yield body.subarray(120);
    }
    const upload = storeUpload(t.db, {
      user: w.asAuthUser(w.users.school), owner: { hulpvraagId: w.hulpvraag.own }, body: slow(), boundary: BOUNDARY, maxBytes: 1024 * 1024,
      now: new Date(), audit: { action: 'attachment.create', outcome: 'success' }, idleTimeoutMs: 10_000,
    });
    await new Promise((r) => setTimeout(r, 50));
    const read = await Promise.race([
      Promise.resolve(t.app.request('/api/v1/news', { headers: bearer(w.tokens.parent) })).then((r) => r.status),
      new Promise((r) => setTimeout(() => r('blocked'), 3_000)),
    ]);
    release();
    expect(read).toBe(200);
    expect(await upload).toMatchObject({ filename: 'langzaam.txt', contentType: 'text/plain; charset=utf-8' });
  });
});
