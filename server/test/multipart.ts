// Test helper: multipart upload bodies, built with the same encoder the demo seed uses.
import { encodeMultipart } from '../src/features/attachments/multipart.ts';

export const BOUNDARY = '----kindkans-test-boundary';

/** A multipart body with one `file` part (and an unrelated field in front). */
export function multipartBody(bytes: Uint8Array, filename: string, boundary = BOUNDARY): Uint8Array<ArrayBuffer> {
  const note = Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="note"\r\n\r\nhallo\r\n`);
  return new Uint8Array(Buffer.concat([note, encodeMultipart(bytes, filename, boundary)]));
}

export const multipartHeaders = (boundary = BOUNDARY) => ({ 'content-type': `multipart/form-data; boundary=${boundary}` });
