import { createHash, randomBytes } from 'node:crypto';
import { count, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createTestApp, type TestContext } from '../../../test/app.ts';
import { attachmentChunks, attachments } from '../../db/schema/index.ts';
import { createWorld, type World } from '../../../test/world.ts';
import { multipartBody, multipartHeaders } from '../../../test/multipart.ts';
import { refusedFiles, sampleFiles } from '../../../test/files.ts';

let t: TestContext;
let w: World;
const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
const staff = () => bearer(w.tokens.school);
const uploadUrl = () => `/api/v1/hulpvragen/${w.hulpvraag.own}/attachments`;

function upload(bytes: Uint8Array, filename: string, app = t.app) {
  return app.request(uploadUrl(), { method: 'POST', headers: { ...multipartHeaders(), ...staff() }, body: multipartBody(bytes, filename) });
}

async function stored() {
  const [a] = await t.db.select({ n: count() }).from(attachments);
  const [c] = await t.db.select({ n: count() }).from(attachmentChunks);
  return { attachments: a!.n, chunks: c!.n };
}

/** A request body that sends `parts` and then fails (a cut connection), or ends normally. */
function bodyStream(parts: Uint8Array[], fail: boolean): ReadableStream<Uint8Array> {
  let i = 0;
  return new ReadableStream({
    pull(controller) {
      if (i < parts.length) controller.enqueue(parts[i++]);
      else if (fail) controller.error(new Error('connection reset'));
      else controller.close();
    },
  });
}

describe('attachments: upload', () => {
  beforeAll(async () => {
    t = await createTestApp();
    w = await createWorld(t.db, t.env, t.clock.now());
  });
  afterAll(() => t.close());

  it.each(sampleFiles)('accepts $name as $type, decided on the bytes; download gives the same bytes', async ({ name, bytes, type }) => {
    const res = await upload(bytes, name);
    expect(res.status).toBe(201);
    const a = await res.json();
    expect(a).toEqual({ id: expect.any(String), hulpvraagId: w.hulpvraag.own, entryId: null, filename: name, contentType: type, size: bytes.length, sha256: sha(bytes), createdAt: expect.any(String) });
    const download = await t.app.request(`/api/v1/attachments/${a.id}/content`, { headers: staff() });
    expect(download.status).toBe(200);
    expect(download.headers.get('content-type')).toBe(type);
    expect(sha(new Uint8Array(await download.arrayBuffer()))).toBe(sha(bytes));
  });

  it('decides on the bytes, and the name must agree: a PNG called .pdf is refused (415), nothing stored', async () => {
    const png = sampleFiles.find((f) => f.type === 'image/png')!;
    const before = await stored();
    const res = await upload(png.bytes, 'echt.pdf');
    expect(res.status).toBe(415);
    expect((await res.json()).detail).toMatch(/must end in \.png/);
    expect(await stored()).toEqual(before);
  });

  const jpeg = sampleFiles.find((f) => f.type === 'image/jpeg')!.bytes;
  const pdf = sampleFiles.find((f) => f.type === 'application/pdf')!.bytes;
  it.each([
    ['verslag.html', Buffer.from('<!doctype html><script>alert(1)</script>')],
    ['verslag.html', Buffer.from('Gewone tekst, maar de naam is .html')],
    ['logo.svg', Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>')],
    ['Rapport.bat', Buffer.from('del /q C:\\*\r\n')],
    ['setup.exe', jpeg],
    ['verslag.pdf.hta', pdf],
    ['verslag.hta.', Buffer.from('tekst')], // Windows drops the trailing dot: verslag.hta
    ['notitie.txt', Buffer.from('\uFEFF  \n<html><body>toch HTML</body></html>')],
    ['tekening.txt', Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>')],
  ])('refuses %s whose name or content is not an accepted type (415 naming the extensions), nothing stored', async (name, bytes) => {
    const before = await stored();
    const res = await upload(bytes, name);
    expect(res.status).toBe(415);
    const problem = await res.json();
    expect(problem.code).toBe('unsupported_media_type');
    expect(problem.detail).toContain('.pdf, .png, .jpg, .jpeg, .docx, .xlsx, .odt, .txt');
    expect(await stored()).toEqual(before);
  });

  it('accepts a JPEG named .jpeg or .JPG, text with a < further on, and gives a name without extension the type\'s one', async () => {
    expect(await (await upload(jpeg, 'foto.jpeg')).json()).toMatchObject({ filename: 'foto.jpeg', contentType: 'image/jpeg' });
    expect(await (await upload(jpeg, 'FOTO.JPG')).json()).toMatchObject({ filename: 'FOTO.JPG', contentType: 'image/jpeg' });
    expect(await (await upload(Buffer.from('Score: 3 < 5\n'), 'notitie.txt')).json()).toMatchObject({ filename: 'notitie.txt', contentType: 'text/plain; charset=utf-8' });
    expect(await (await upload(pdf, 'Verslag')).json()).toMatchObject({ filename: 'Verslag.pdf', contentType: 'application/pdf' });
  });

  it.each(refusedFiles)('refuses $name (415) and stores nothing', async ({ name, bytes }) => {
    const before = await stored();
    const res = await upload(bytes, name);
    expect(res.status).toBe(415);
    expect((await res.json()).code).toBe('unsupported_media_type');
    expect(await stored()).toEqual(before);
  });

  it('refuses 1 byte over UPLOAD_MAX_MB (413) and stores nothing; exactly the limit is fine', async () => {
    const small = await createTestApp({ database: t.database, env: { UPLOAD_MAX_MB: '1' } }); // same database, not closed here
    const limit = 1024 * 1024;
    const before = await stored();
    const over = Buffer.concat([Buffer.from('%PDF-1.4\n'), randomBytes(limit + 1 - 9)]);
    // Streamed without Content-Length, so the limit is enforced while reading.
    const res = await small.app.request(uploadUrl(), { method: 'POST', headers: { ...multipartHeaders(), ...staff() }, body: bodyStream([multipartBody(over, 'groot.pdf')], false), duplex: 'half' } as RequestInit);
    expect(res.status).toBe(413);
    expect((await res.json()).code).toBe('payload_too_large');
    expect(await stored()).toEqual(before);
    // A declared Content-Length far over the limit is refused before reading.
    const declared = await small.app.request(uploadUrl(), { method: 'POST', headers: { ...multipartHeaders(), ...staff(), 'content-length': String(5 * limit) }, body: multipartBody(over, 'groot.pdf') });
    expect(declared.status).toBe(413);
    const exact = await upload(over.subarray(0, limit), 'precies.pdf', small.app);
    expect(exact.status).toBe(201);
    expect(await exact.json()).toMatchObject({ size: limit, sha256: sha(over.subarray(0, limit)) });
    expect(await stored()).toEqual({ attachments: before.attachments + 1, chunks: before.chunks + 16 }); // 64 KiB rows
  });

  it('a connection cut mid-upload stores nothing, even after chunks were written', async () => {
    const before = await stored();
    const whole = multipartBody(Buffer.concat([Buffer.from('%PDF-1.4\n'), randomBytes(900_000)]), 'afgebroken.pdf');
    const parts = [whole.subarray(0, 300_000), whole.subarray(300_000, 700_000)]; // more than two 256 KiB chunks, no end
    const res = await t.app.request(uploadUrl(), { method: 'POST', headers: { ...multipartHeaders(), ...staff() }, body: bodyStream(parts, true), duplex: 'half' } as RequestInit);
    expect(res.status).toBe(400);
    expect(await stored()).toEqual(before);
    const truncated = await t.app.request(uploadUrl(), { method: 'POST', headers: { ...multipartHeaders(), ...staff() }, body: bodyStream(parts, false), duplex: 'half' } as RequestInit);
    expect(truncated.status).toBe(400); // ended without the closing boundary
    expect(await stored()).toEqual(before);
  });

  it('keeps file names as data: quotes, Unicode, ../ and control characters', async () => {
    const text = Buffer.from('inhoud\n');
    const cases: [string, string, string][] = [
      ['"quoted" \'name\'.txt', '"quoted" \'name\'.txt', `attachment; filename="_quoted_ 'name'.txt"; filename*=UTF-8''%22quoted%22%20%27name%27.txt`],
      ['Überprüfung café 文件.txt', 'Überprüfung café 文件.txt', `attachment; filename="Uberprufung cafe __.txt"; filename*=UTF-8''%C3%9Cberpr%C3%BCfung%20caf%C3%A9%20%E6%96%87%E4%BB%B6.txt`],
      ['../../etc/passwd', 'etc_passwd.txt', `attachment; filename="etc_passwd.txt"; filename*=UTF-8''etc_passwd.txt`],
      ['..\\windows\\system.txt', 'windows_system.txt', `attachment; filename="windows_system.txt"; filename*=UTF-8''windows_system.txt`],
      ['a\u0001b\r\nc\u202Efdp.txt', 'abcfdp.txt', `attachment; filename="abcfdp.txt"; filename*=UTF-8''abcfdp.txt`],
      ['', 'bijlage.txt', `attachment; filename="bijlage.txt"; filename*=UTF-8''bijlage.txt`],
    ];
    for (const [sent, kept, disposition] of cases) {
      const res = await upload(text, sent);
      expect(res.status).toBe(201);
      const a = await res.json();
      expect(a.filename).toBe(kept);
      const download = await t.app.request(`/api/v1/attachments/${a.id}/content`, { headers: staff() });
      expect(download.headers.get('content-disposition')).toBe(disposition);
      await download.arrayBuffer();
    }
  });

  it('refuses a body that is not multipart, or has no file part', async () => {
    const json = await t.app.request(uploadUrl(), { method: 'POST', headers: { 'content-type': 'application/json', ...staff() }, body: '{}' });
    expect(json.status).toBe(415);
    const noFile = await t.app.request(uploadUrl(), {
      method: 'POST', headers: { ...multipartHeaders(), ...staff() },
      body: '------kindkans-test-boundary\r\nContent-Disposition: form-data; name="other"\r\n\r\nx\r\n------kindkans-test-boundary--\r\n',
    });
    expect(noFile.status).toBe(400);
    expect((await noFile.json()).code).toBe('validation_failed');
    const empty = await upload(new Uint8Array(0), 'leeg.txt');
    expect(empty.status).toBe(400);
  });

  it('DELETE /attachments/{id} removes the metadata and every chunk', async () => {
    const a = await (await upload(Buffer.concat([Buffer.from('%PDF-'), randomBytes(600_000)]), 'weg.pdf')).json();
    const [chunksBefore] = await t.db.select({ n: count() }).from(attachmentChunks).where(eq(attachmentChunks.attachmentId, a.id));
    expect(chunksBefore!.n).toBe(10); // 600 005 bytes in 64 KiB rows
    expect((await t.app.request(`/api/v1/attachments/${a.id}`, { method: 'DELETE', headers: staff() })).status).toBe(204);
    const [chunksAfter] = await t.db.select({ n: count() }).from(attachmentChunks).where(eq(attachmentChunks.attachmentId, a.id));
    expect(chunksAfter!.n).toBe(0);
    expect((await t.app.request(`/api/v1/attachments/${a.id}`, { headers: staff() })).status).toBe(404);
  });
});
