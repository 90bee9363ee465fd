import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { boundaryOf } from './multipart.ts';
import { createSpool } from './spool.ts';
import { receiveFile } from './upload.ts';

const boundary = 'XyZ-boundary-123';
const body = (file: Buffer, field = 'one') =>
  Buffer.concat([
    Buffer.from(`preamble\r\n--${boundary}\r\nContent-Disposition: form-data; name="a"\r\n\r\n${field}\r\n`),
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="x.pdf"\r\nContent-Type: application/pdf\r\n\r\n`),
    file,
    Buffer.from(`\r\n--${boundary}--\r\nepilogue`),
  ]);

/** The multipart body through the parser into a spool; the file's bytes as they were spooled. */
async function receive(chunks: Uint8Array[], maxBytes = 1024 * 1024) {
  async function* source() {
    yield* chunks;
  }
  const spool = await createSpool();
  try {
    const received = await receiveFile(spool, { body: source(), boundary, maxBytes });
    const bytes: Buffer[] = [];
    for await (const piece of spool.read(4096)) bytes.push(Buffer.from(piece));
    return { ...received, bytes: Buffer.concat(bytes) };
  } finally {
    await spool.dispose();
  }
}

/** Splits `buf` at random places (sizes 1 … max). */
function split(buf: Buffer, max: number): Buffer[] {
  const out: Buffer[] = [];
  for (let i = 0; i < buf.length; ) {
    const n = 1 + Math.floor(Math.random() * max);
    out.push(buf.subarray(i, i + n));
    i += n;
  }
  return out;
}

describe('multipart bodies (busboy)', () => {
  it('finds the file whatever the chunking, including a file full of near-boundaries', async () => {
    // A near-boundary is the boundary with its last character changed (random bytes after a cut
    // boundary would complete it once in 256 runs).
    const tricky = Buffer.concat([Buffer.from('%PDF-1.4\n'), randomBytes(5000), Buffer.from(`\r\n--${boundary.slice(0, -1)}${boundary.endsWith('#') ? '!' : '#'}`), randomBytes(10), Buffer.from('\r\n--'), randomBytes(3000)]);
    for (const max of [1, 7, 64, 4096, 100_000]) {
      const got = await receive(split(body(tricky), max));
      expect(got).toMatchObject({ filename: 'x.pdf', contentType: 'application/pdf', size: tricky.length });
      expect(got.bytes.equals(tricky)).toBe(true);
    }
  });

  it('fails on a body without the closing boundary, or with unbounded part headers', async () => {
    const whole = body(Buffer.from('%PDF-abc'));
    await expect(receive([whole.subarray(0, whole.length - 30)])).rejects.toMatchObject({ code: 'validation_failed' });
    await expect(receive([Buffer.from(`--${boundary}\r\n${'X-A: b\r\n'.repeat(5000)}`)])).rejects.toMatchObject({ status: 400 });
  });

  it('caps a non-file part at 64 KiB (413), and the whole body at the file limit + 64 KiB even without Content-Length', async () => {
    await expect(receive([body(Buffer.from('%PDF-1.4'), 'x'.repeat(64 * 1024))])).resolves.toMatchObject({ size: 8 });
    await expect(receive([body(Buffer.from('%PDF-1.4'), 'x'.repeat(64 * 1024 + 1))])).rejects.toMatchObject({ code: 'payload_too_large' });
    // Many small fields, each within its limit, in a body larger than the cap: refused as soon as the cap is passed.
    const field = Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="f"\r\n\r\n${'y'.repeat(60_000)}\r\n`);
    let sent = 0;
    async function* endless() {
      for (;;) {
        sent += field.length;
        yield field;
      }
    }
    const spool = await createSpool();
    await expect(receiveFile(spool, { body: endless(), boundary, maxBytes: 100_000 })).rejects.toMatchObject({ code: 'payload_too_large' });
    await spool.dispose();
    expect(sent).toBeLessThanOrEqual(100_000 + 64 * 1024 + field.length);
  });

  it('reads the boundary from the Content-Type', () => {
    expect(boundaryOf('multipart/form-data; boundary=----WebKitFormBoundaryAbC')).toBe('----WebKitFormBoundaryAbC');
    expect(boundaryOf('multipart/form-data; charset=utf-8; boundary="a b"')).toBe('a b');
    expect(boundaryOf('application/json')).toBeNull();
    expect(boundaryOf('multipart/form-data')).toBeNull();
  });
});
