/**
 * A small streaming multipart/form-data parser (RFC 7578): the body is read chunk by chunk and
 * part data is handed on as it arrives, so a file is never held in memory as a whole.
 */

export type MultipartEvent =
  | { type: 'part'; name: string; filename: string | null; contentType: string | null }
  | { type: 'data'; chunk: Uint8Array };

export class MultipartError extends Error {
  override name = 'MultipartError';
}

const CRLF = Buffer.from('\r\n');
const HEADER_END = Buffer.from('\r\n\r\n');
const MAX_HEADER_BYTES = 16 * 1024;

/** The boundary from a `multipart/form-data; boundary=…` Content-Type, or null. */
export function boundaryOf(contentType: string | undefined): string | null {
  if (!contentType || !/^multipart\/form-data\s*;/i.test(contentType)) return null;
  const m = /;\s*boundary=(?:"([^"]{1,70})"|([^\s;]{1,70}))/i.exec(contentType);
  return m ? (m[1] ?? m[2])! : null;
}

export async function* parseMultipart(body: AsyncIterable<Uint8Array> | Iterable<Uint8Array>, boundary: string): AsyncGenerator<MultipartEvent> {
  const delimiter = Buffer.from(`\r\n--${boundary}`);
  // The first delimiter may come without the CRLF in front: pretend it was there.
  let buf: Buffer = Buffer.from(CRLF);
  let state: 'preamble' | 'after-delimiter' | 'headers' | 'data' | 'done' = 'preamble';
  for await (const chunk of body) {
    buf = buf.length ? Buffer.concat([buf, chunk]) : Buffer.from(chunk);
    for (;;) {
      if (state === 'preamble') {
        const at = buf.indexOf(delimiter);
        if (at < 0) {
          buf = buf.subarray(Math.max(0, buf.length - delimiter.length));
          break;
        }
        buf = buf.subarray(at + delimiter.length);
        state = 'after-delimiter';
      }
      if (state === 'after-delimiter') {
        if (buf.length < 2) break;
        if (buf[0] === 0x2d && buf[1] === 0x2d) {
          state = 'done';
          break;
        }
        const eol = buf.indexOf(CRLF);
        if (eol < 0) {
          if (buf.length > 256) throw new MultipartError('malformed boundary line');
          break;
        }
        buf = buf.subarray(eol + 2);
        state = 'headers';
      }
      if (state === 'headers') {
        const end = buf.indexOf(HEADER_END);
        const headerBlock = end >= 0 ? buf.subarray(0, end) : null;
        if (!headerBlock) {
          if (buf.length > MAX_HEADER_BYTES) throw new MultipartError('part headers too long');
          // A part without headers starts right away with CRLF.
          if (buf.length >= 2 && buf[0] === 0x0d && buf[1] === 0x0a) throw new MultipartError('part without headers');
          break;
        }
        buf = buf.subarray(end + 4);
        yield { type: 'part', ...parsePartHeaders(headerBlock.toString('utf8')) };
        state = 'data';
      }
      if (state === 'data') {
        const at = buf.indexOf(delimiter);
        if (at >= 0) {
          if (at > 0) yield { type: 'data', chunk: buf.subarray(0, at) };
          buf = buf.subarray(at + delimiter.length);
          state = 'after-delimiter';
          continue;
        }
        // Keep what could be the start of a delimiter; hand on the rest.
        const keep = delimiter.length - 1;
        if (buf.length > keep) {
          yield { type: 'data', chunk: buf.subarray(0, buf.length - keep) };
          buf = Buffer.from(buf.subarray(buf.length - keep));
        }
        break;
      }
    }
    if (state === 'done') return;
  }
  if ((state as string) !== 'done') throw new MultipartError('the body ended before the closing boundary');
}

function parsePartHeaders(block: string): { name: string; filename: string | null; contentType: string | null } {
  let disposition = '';
  let contentType: string | null = null;
  for (const line of block.split('\r\n')) {
    const colon = line.indexOf(':');
    if (colon < 0) continue;
    const key = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim();
    if (key === 'content-disposition') disposition = value;
    else if (key === 'content-type') contentType = value;
  }
  if (!/^form-data\b/i.test(disposition)) throw new MultipartError('part without Content-Disposition: form-data');
  const name = param(disposition, 'name');
  if (name === null) throw new MultipartError('part without a name');
  const extended = /;\s*filename\*\s*=\s*UTF-8''([^;\s]*)/i.exec(disposition);
  // Browsers send `"`, CR and LF in a file name as %22, %0D, %0A (WHATWG HTML, multipart/form-data encoding).
  let filename = param(disposition, 'filename')?.replace(/%22/g, '"').replace(/%0D/gi, '\r').replace(/%0A/gi, '\n') ?? null;
  if (extended) {
    try {
      filename = decodeURIComponent(extended[1]!);
    } catch {
      // keep the plain filename
    }
  }
  return { name, filename, contentType };
}

/**
 * A `key="quoted"` or `key=token` parameter. Quoted values are taken literally: browsers do not
 * backslash-escape (they percent-encode `"`), and a backslash in a Windows name is just data.
 */
function param(header: string, key: string): string | null {
  const re = new RegExp(`;\\s*${key}\\s*=\\s*(?:"([^"]*)"|([^;\\s]*))`, 'i');
  const m = re.exec(header);
  if (!m) return null;
  return m[1] ?? m[2]!;
}

/** One file as a multipart/form-data body in field `file` (for the demo seed and tests). */
export function encodeMultipart(bytes: Uint8Array, filename: string, boundary: string): Uint8Array<ArrayBuffer> {
  const name = filename.replace(/"/g, '%22').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
  return new Uint8Array(
    Buffer.concat([
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${name}"\r\nContent-Type: application/octet-stream\r\n\r\n`),
      Buffer.from(bytes),
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]),
  );
}
