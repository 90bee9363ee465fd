import { createHash, randomBytes } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createTestApp, type TestContext } from '../../../test/app.ts';
import { createWorld, type World } from '../../../test/world.ts';
import { multipartBody, multipartHeaders } from '../../../test/multipart.ts';
import { parseRange } from './download.ts';
import { and, desc, eq } from 'drizzle-orm';
import { attachmentChunks, attachments, auditLog } from '../../db/schema/index.ts';

let t: TestContext;
let w: World;
let file: Buffer;
let id: string;
const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
const get = (headers: Record<string, string> = {}) => t.app.request(`/api/v1/attachments/${id}/content`, { headers: { ...bearer(w.tokens.parent), ...headers } });

// Twice: bytes from this process's disk cache (the upload's spool file became its entry), and
// from the database's chunk rows (the cache turned off).
describe.each([
  ['from the byte cache', {}],
  ['from the database', { ATTACHMENT_CACHE_MB: '0' }],
])('attachments: download %s', (_path, env: Record<string, string>) => {
  beforeAll(async () => {
    t = await createTestApp({ env });
    w = await createWorld(t.db, t.env, t.clock.now());
    file = Buffer.concat([Buffer.from('%PDF-1.7\n'), randomBytes(700_000 - 9)]); // eleven 64 KiB chunks
    const res = await t.app.request(`/api/v1/hulpvragen/${w.hulpvraag.own}/attachments`, {
      method: 'POST', headers: { ...multipartHeaders(), ...bearer(w.tokens.school) }, body: multipartBody(file, 'Verslag “juni” 2025.pdf'),
    });
    expect(res.status).toBe(201);
    id = (await res.json()).id;
    expect(t.attachmentCache.stats().entries).toBe(env.ATTACHMENT_CACHE_MB === '0' ? 0 : 1);
  }, 180_000);
  afterAll(() => t?.close());

  it('serves the whole file with the headers of API.md', async () => {
    const res = await get();
    expect(res.status).toBe(200);
    expect(Object.fromEntries(['content-type', 'content-length', 'etag', 'cache-control', 'x-content-type-options', 'content-disposition', 'accept-ranges'].map((h) => [h, res.headers.get(h)]))).toEqual({
      'content-type': 'application/pdf',
      'content-length': '700000',
      etag: `"${sha(file)}"`,
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
      'content-disposition': `attachment; filename="Verslag _juni_ 2025.pdf"; filename*=UTF-8''Verslag%20%E2%80%9Cjuni%E2%80%9D%202025.pdf`,
      'accept-ranges': 'bytes',
    });
    expect(sha(new Uint8Array(await res.arrayBuffer()))).toBe(sha(file));
  });

  it('HEAD gives the headers without the bytes, and is logged as a read, not a download', async () => {
    const res = await t.app.request(`/api/v1/attachments/${id}/content`, { method: 'HEAD', headers: bearer(w.tokens.parent) });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-length')).toBe('700000');
    expect(await res.text()).toBe('');
    const [last] = await t.db.select().from(auditLog).where(and(eq(auditLog.subjectId, id), eq(auditLog.actorUserId, w.users.parent.id))).orderBy(desc(auditLog.id)).limit(1);
    expect(last).toMatchObject({ action: 'attachment.read', detail: { method: 'HEAD' } });
  });

  it('If-None-Match with the ETag → 304 without a body', async () => {
    const res = await get({ 'if-none-match': `W/"nope", "${sha(file)}"` });
    expect(res.status).toBe(304);
    expect(await res.text()).toBe('');
    const other = await get({ 'if-none-match': '"other"' });
    expect(other.status).toBe(200);
    await other.arrayBuffer();
  });

  it.each([
    ['start', 'bytes=0-99', 0, 99],
    ['middle, across a chunk boundary', 'bytes=262100-262243', 262100, 262243],
    ['middle, across a 64 KiB row', 'bytes=65500-65600', 65500, 65600],
    ['middle, across two reads of 512 KiB', 'bytes=524200-524400', 524200, 524400],
    ['middle, several chunks', 'bytes=1000-600000', 1000, 600000],
    ['end (suffix)', 'bytes=-100', 699900, 699999],
    ['open end', 'bytes=699000-', 699000, 699999],
    ['end beyond the size is clipped', 'bytes=699990-800000', 699990, 699999],
  ])('Range at the %s → 206 with Content-Range', async (_name, range, start, end) => {
    const res = await get({ range });
    expect(res.status).toBe(206);
    expect(res.headers.get('content-range')).toBe(`bytes ${start}-${end}/700000`);
    expect(res.headers.get('content-length')).toBe(String(end - start + 1));
    expect(Buffer.from(await res.arrayBuffer()).equals(file.subarray(start, end + 1))).toBe(true);
  });

  it('Range out of the file → 416 with Content-Range: bytes */size', async () => {
    for (const range of ['bytes=700000-', 'bytes=900000-900010', 'bytes=-0']) {
      const res = await get({ range });
      expect([range, res.status]).toEqual([range, 416]);
      expect(res.headers.get('content-range')).toBe('bytes */700000');
      expect((await res.json()).code).toBe('range_not_satisfiable');
    }
  });

  it('a malformed or multi-part Range is ignored (the whole file); If-Range with another ETag too', async () => {
    for (const headers of <Record<string, string>[]>[{ range: 'bytes=5-1' }, { range: 'bytes=0-1,5-6' }, { range: 'items=0-5' }, { range: 'bytes=0-5', 'if-range': '"old"' }]) {
      const res = await get(headers);
      expect(res.status).toBe(200);
      expect((await res.arrayBuffer()).byteLength).toBe(700000);
    }
  });

  it('parseRange edge cases', () => {
    expect(parseRange('bytes=-1000', 10)).toEqual({ start: 0, end: 9 });
    expect(parseRange('bytes=9-9', 10)).toEqual({ start: 9, end: 9 });
    expect(parseRange('bytes=10-', 10)).toBe('unsatisfiable');
    expect(parseRange('bytes=-', 10)).toBeNull();
  });

  it('a client that goes away mid-download costs nothing: the server keeps serving', async () => {
    const server: ServerType = serve({ fetch: t.app.fetch, port: 0, hostname: '127.0.0.1' });
    await new Promise((r) => server.once('listening', r));
    const { port } = server.address() as AddressInfo;
    const path = `/api/v1/attachments/${id}/content`;
    try {
      for (let i = 0; i < 5; i++) {
        await new Promise<void>((resolve, reject) => {
          const req = httpRequest({ host: '127.0.0.1', port, path, headers: bearer(w.tokens.parent) }, (res) => {
            res.once('data', () => {
              req.destroy(); // gone after the first bytes
              resolve();
            });
          });
          req.on('error', (err) => ((err as NodeJS.ErrnoException).code === 'ECONNRESET' ? resolve() : reject(err)));
          req.end();
        });
      }
      const whole = await fetch(`http://127.0.0.1:${port}${path}`, { headers: bearer(w.tokens.parent) });
      expect(whole.status).toBe(200);
      expect(sha(new Uint8Array(await whole.arrayBuffer()))).toBe(sha(file));
      expect((await fetch(`http://127.0.0.1:${port}/health`)).status).toBe(200);
    } finally {
      await new Promise((r) => server.close(r));
    }
  });
});

// Attachments stored before the rows became 64 KiB keep their 256 KiB rows: the database path cuts
// them into the same 64 KiB pieces (download.ts) and must give the same bytes.
describe('attachments: download of an attachment stored in 256 KiB rows', () => {
  const LEGACY = 256 * 1024;
  beforeAll(async () => {
    t = await createTestApp({ env: { ATTACHMENT_CACHE_MB: '0' } });
    w = await createWorld(t.db, t.env, t.clock.now());
    file = Buffer.concat([Buffer.from('%PDF-1.7\n'), randomBytes(700_000 - 9)]);
    const res = await t.app.request(`/api/v1/hulpvragen/${w.hulpvraag.own}/attachments`, {
      method: 'POST', headers: { ...multipartHeaders(), ...bearer(w.tokens.school) }, body: multipartBody(file, 'oud.pdf'),
    });
    expect(res.status).toBe(201);
    id = (await res.json()).id;
    await t.db.transaction(async (tx) => {
      await tx.delete(attachmentChunks).where(eq(attachmentChunks.attachmentId, id));
      for (let seq = 0; seq * LEGACY < file.length; seq++) await tx.insert(attachmentChunks).values({ attachmentId: id, seq, data: file.subarray(seq * LEGACY, (seq + 1) * LEGACY) });
      await tx.update(attachments).set({ chunkSize: LEGACY, chunkCount: 3 }).where(eq(attachments.id, id));
    });
  }, 180_000);
  afterAll(() => t?.close());

  it.each([
    ['whole file', undefined, 0, 699_999],
    ['across a row', 'bytes=262100-262243', 262100, 262243],
    ['across a piece within a row', 'bytes=65500-65600', 65500, 65600],
    ['most of it', 'bytes=1-699998', 1, 699998],
  ])('%s', async (_name, range, start, end) => {
    const res = await get(range ? { range } : {});
    expect(res.status).toBe(range ? 206 : 200);
    expect(Buffer.from(await res.arrayBuffer()).equals(file.subarray(start, end + 1))).toBe(true);
  });
});
