import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { boundaryOf, MultipartError, parseMultipart, type MultipartEvent } from './multipart.ts';

const boundary = 'XyZ-boundary-123';
const body = (file: Buffer) =>
  Buffer.concat([
    Buffer.from(`preamble\r\n--${boundary}\r\nContent-Disposition: form-data; name="a"\r\n\r\none\r\n`),
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="x.bin"\r\nContent-Type: application/pdf\r\n\r\n`),
    file,
    Buffer.from(`\r\n--${boundary}--\r\nepilogue`),
  ]);

async function collect(chunks: Uint8Array[]) {
  const parts: { name: string; filename: string | null; data: Buffer }[] = [];
  const events: MultipartEvent[] = [];
  async function* source() {
    yield* chunks;
  }
  for await (const e of parseMultipart(source(), boundary)) {
    events.push(e);
    if (e.type === 'part') parts.push({ name: e.name, filename: e.filename, data: Buffer.alloc(0) });
    else parts.at(-1)!.data = Buffer.concat([parts.at(-1)!.data, e.chunk]);
  }
  return parts;
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

describe('parseMultipart', () => {
  it('finds the parts whatever the chunking, including a file full of near-boundaries', async () => {
    const tricky = Buffer.concat([randomBytes(5000), Buffer.from(`\r\n--${boundary.slice(0, -1)}`), randomBytes(10), Buffer.from('\r\n--'), randomBytes(3000)]);
    for (const max of [1, 7, 64, 4096, 100_000]) {
      const parts = await collect(split(body(tricky), max));
      expect(parts.map((p) => [p.name, p.filename])).toEqual([['a', null], ['file', 'x.bin']]);
      expect(parts[0]!.data.toString()).toBe('one');
      expect(parts[1]!.data.equals(tricky)).toBe(true);
    }
  });

  it('fails on a body without the closing boundary, or with unbounded headers', async () => {
    const whole = body(Buffer.from('abc'));
    await expect(collect([whole.subarray(0, whole.length - 20)])).rejects.toThrow(MultipartError);
    await expect(collect([Buffer.from(`--${boundary}\r\n${'X-A: b\r\n'.repeat(5000)}`)])).rejects.toThrow(MultipartError);
  });

  it('reads the boundary from the Content-Type', () => {
    expect(boundaryOf('multipart/form-data; boundary=----WebKitFormBoundaryAbC')).toBe('----WebKitFormBoundaryAbC');
    expect(boundaryOf('multipart/form-data; charset=utf-8; boundary="a b"')).toBe('a b');
    expect(boundaryOf('application/json')).toBeNull();
    expect(boundaryOf('multipart/form-data')).toBeNull();
  });
});
