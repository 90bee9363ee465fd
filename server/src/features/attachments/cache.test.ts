import { createCipheriv, createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { and, desc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { bearer, createTestApp, jsonRequest, type TestContext } from '../../../test/app.ts';
import { multipartBody, multipartHeaders } from '../../../test/multipart.ts';
import { createWorld, type World } from '../../../test/world.ts';
import { attachmentChunks, attachments, auditLog } from '../../db/schema/index.ts';
import { createAttachmentCache, ivAt } from './cache.ts';
import { cleanSpoolRoot } from './spool-root.ts';
import { createSpool, setSpoolRoot } from './spool.ts';

const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
const pdf = (size: number) => Buffer.concat([Buffer.from('%PDF-1.7\n'), randomBytes(size - 9)]);

describe('attachments: the byte cache (read-through, encrypted, bounded)', () => {
  let t: TestContext;
  let w: World;
  const upload = async (file: Buffer, hulpvraag = w.hulpvraag.own) => {
    const res = await t.app.request(`/api/v1/hulpvragen/${hulpvraag}/attachments`, { method: 'POST', headers: { ...multipartHeaders(), ...bearer(w.tokens.school) }, body: multipartBody(file, 'verslag.pdf') });
    expect(res.status).toBe(201);
    return (await res.json()).id as string;
  };
  const content = (id: string, headers: Record<string, string> = {}) => t.app.request(`/api/v1/attachments/${id}/content`, { headers: { ...bearer(w.tokens.parent), ...headers } });
  /** The chunk rows go (as if the database lost them): whatever is still served came from the cache. */
  const dropRows = (id: string) => t.db.delete(attachmentChunks).where(eq(attachmentChunks.attachmentId, id));
  /** Does the cache hold `id` (with its stored SHA-256)? */
  const cached = async (id: string) => {
    const [row] = await t.db.select({ sha256: attachments.sha256 }).from(attachments).where(eq(attachments.id, id));
    const stream = await t.attachmentCache.read(id, row?.sha256 ?? '', { start: 0, end: 0 }, () => {});
    await stream?.cancel();
    return stream !== null;
  };

  beforeAll(async () => {
    // Room for two files of 600 000 bytes, not three.
    t = await createTestApp({ env: { ATTACHMENT_CACHE_MB: String(1_300_000 / 2 ** 20) } });
    w = await createWorld(t.db, t.env, t.clock.now());
  }, 180_000);
  afterAll(() => t.close());

  it('an upload becomes its entry: served from the cache, with Range, ETag/304 and the audit as before', async () => {
    const file = pdf(600_000);
    const id = await upload(file);
    expect(t.attachmentCache.stats()).toMatchObject({ entries: 1, bytes: 600_000 });
    await dropRows(id);
    const whole = await content(id);
    expect(whole.status).toBe(200);
    expect(sha(new Uint8Array(await whole.arrayBuffer()))).toBe(sha(file));
    const part = await content(id, { range: 'bytes=262133-400017' });
    expect(part.status).toBe(206);
    expect(part.headers.get('content-range')).toBe('bytes 262133-400017/600000');
    expect(Buffer.from(await part.arrayBuffer()).equals(file.subarray(262133, 400018))).toBe(true);
    expect((await content(id, { 'if-none-match': `"${sha(file)}"` })).status).toBe(304);
    await t.background.settle();
    const [last] = await t.db.select().from(auditLog).where(and(eq(auditLog.subjectId, id), eq(auditLog.action, 'attachment.download'))).orderBy(desc(auditLog.id)).limit(1);
    expect(last?.detail).toMatchObject({ range: '262133-400017', transfer: 'complete', bytes: 400018 - 262133 });
  });

  it('a deleted attachment is never served from the cache, in this process or after another one deleted it', async () => {
    const id = await upload(pdf(600_000));
    const del = await t.app.request(`/api/v1/attachments/${id}`, { method: 'DELETE', headers: bearer(w.tokens.school) });
    expect(del.status).toBe(204);
    expect(t.attachmentCache.stats().entries).toBe(1); // the one of the first test
    expect((await content(id)).status).toBe(404);

    // Another server process deletes the row: this process still holds the entry, but the row is checked first.
    const other = await upload(pdf(600_000));
    await t.db.delete(attachments).where(eq(attachments.id, other));
    expect((await content(other)).status).toBe(404);
    expect((await content(other, { range: 'bytes=0-10' })).status).toBe(404);
  });

  it('a miss reads the database and fills the cache (whole-file reads only, checked against the SHA-256)', async () => {
    const file = pdf(600_000);
    const id = await upload(file);
    t.attachmentCache.forget([id]);
    const part = await content(id, { range: 'bytes=10-20' });
    expect(Buffer.from(await part.arrayBuffer()).equals(file.subarray(10, 21))).toBe(true);
    expect(await cached(id)).toBe(false);
    expect(sha(new Uint8Array(await (await content(id)).arrayBuffer()))).toBe(sha(file));
    await vi.waitUntil(() => cached(id));
    await dropRows(id);
    const again = await content(id, { range: 'bytes=599990-' });
    expect(Buffer.from(await again.arrayBuffer()).equals(file.subarray(599990))).toBe(true);
  });

  it('stays within ATTACHMENT_CACHE_MB: the least recently used entry goes first', async () => {
    const a = await upload(pdf(600_000));
    const b = await upload(pdf(600_000));
    expect(t.attachmentCache.stats()).toMatchObject({ entries: 2, bytes: 1_200_000 });
    await (await content(a)).arrayBuffer(); // a is now the most recently used
    const c = await upload(pdf(600_000));
    expect(t.attachmentCache.stats().bytes).toBeLessThanOrEqual(1_300_000);
    expect([await cached(a), await cached(b), await cached(c)]).toEqual([true, false, true]);
  });

  it('anonymising removes the entries of the deleted attachments at once', async () => {
    const id = await upload(pdf(1000), w.hulpvraag.otherChild);
    expect(await cached(id)).toBe(true);
    const [row] = await t.db.select({ sha256: attachments.sha256 }).from(attachments).where(eq(attachments.id, id));
    const res = await t.app.request(`/api/v1/hulpvragen/${w.hulpvraag.otherChild}/anonymise`, jsonRequest('POST', { confirm: 'Mila Anderkind' }, bearer(w.tokens.admin)));
    expect(res.status).toBe(200);
    expect(await t.attachmentCache.read(id, row!.sha256, { start: 0, end: 0 }, () => {})).toBeNull();
  });
});

describe('attachments: the byte cache on disk', () => {
  let root: string;
  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), 'kk-cache-test-'));
    setSpoolRoot(root);
  });
  afterAll(() => {
    setSpoolRoot(null);
    rmSync(root, { recursive: true, force: true });
  });

  const spooled = async (bytes: Buffer) => {
    const spool = await createSpool();
    await spool.write(bytes);
    return spool;
  };

  it('entries are encrypted, readable only by this process, and wiped by a restart (start-up cleaning)', async () => {
    const cache = createAttachmentCache(10 * 2 ** 20);
    const bytes = Buffer.from('geheim verslag over Sam '.repeat(2000));
    const spool = await spooled(bytes);
    await cache.adopt('a1', sha(bytes), spool.file());
    await spool.dispose();
    const dirs = readdirSync(root).filter((d) => d.startsWith(`${process.pid}-cache-`));
    expect(dirs).toHaveLength(1);
    const [entry] = readdirSync(join(root, dirs[0]!));
    const onDisk = readFileSync(join(root, dirs[0]!, entry!));
    expect(onDisk.length).toBe(bytes.length);
    expect(onDisk.includes(Buffer.from('geheim'))).toBe(false);
    // A restart: the key died with the process, and start-up removes the directory (same pid or gone).
    expect(cleanSpoolRoot(root)).toBe(1);
    expect(existsSync(join(root, dirs[0]!))).toBe(false);
    // (Wiped under a running process: the read fails, the entry goes, the next read is a miss.)
    const gone = (await cache.read('a1', sha(bytes), { start: 0, end: 10 }, () => {}))!;
    await expect(new Response(gone).arrayBuffer()).rejects.toThrow();
    expect(await cache.read('a1', sha(bytes), { start: 0, end: 10 }, () => {})).toBeNull();
    const fresh = createAttachmentCache(10 * 2 ** 20);
    expect(fresh.stats().entries).toBe(0);
    await cache.close();
  });

  it('a fill whose bytes do not match the stored SHA-256 (or are short) is not kept', async () => {
    const cache = createAttachmentCache(10 * 2 ** 20);
    const bytes = randomBytes(5000);
    const wrong = cache.fill('f1', sha(bytes), bytes.length)!;
    await wrong.write(randomBytes(5000));
    expect(await wrong.finish()).toBe(false);
    const short = cache.fill('f1', sha(bytes), bytes.length)!;
    await short.write(bytes.subarray(0, 4000));
    expect(await short.finish()).toBe(false);
    expect(cache.stats().entries).toBe(0);
    const good = cache.fill('f1', sha(bytes), bytes.length)!;
    expect(cache.fill('f1', sha(bytes), bytes.length)).toBeNull(); // one fill per attachment at a time
    await good.write(bytes.subarray(0, 1234));
    await good.write(bytes.subarray(1234));
    expect(await good.finish()).toBe(true);
    const stream = (await cache.read('f1', sha(bytes), { start: 17, end: 4321 }, () => {}))!;
    expect(Buffer.from(await new Response(stream).arrayBuffer()).equals(bytes.subarray(17, 4322))).toBe(true);
    expect(await cache.read('f1', 'another-sha', { start: 0, end: 1 }, () => {})).toBeNull();
    await cache.close();
    expect(readdirSync(root).filter((d) => d.startsWith(`${process.pid}-cache-`))).toEqual([]);
  });

  it('ivAt is the CTR counter after n blocks (with carries)', () => {
    const key = randomBytes(32);
    const iv = Buffer.from('00000000000000000000fffffffffffe', 'hex');
    const plain = randomBytes(16 * 5);
    const whole = createCipheriv('aes-256-ctr', key, iv).update(plain);
    for (const blocks of [1, 2, 3, 4]) {
      const part = createCipheriv('aes-256-ctr', key, ivAt(iv, blocks)).update(plain.subarray(blocks * 16));
      expect(part.equals(whole.subarray(blocks * 16))).toBe(true);
    }
    expect(ivAt(Buffer.alloc(16, 0xff), 1).equals(Buffer.alloc(16, 0))).toBe(true);
  });
});
