/**
 * multipart/form-data helpers around the parser (busboy, in upload.ts): the boundary of a request,
 * and one file encoded as a body (for the demo seed and tests).
 */

/** The boundary from a `multipart/form-data; boundary=…` Content-Type, or null. */
export function boundaryOf(contentType: string | undefined): string | null {
  if (!contentType || !/^multipart\/form-data\s*;/i.test(contentType)) return null;
  const m = /;\s*boundary=(?:"([^"]{1,70})"|([^\s;]{1,70}))/i.exec(contentType);
  return m ? (m[1] ?? m[2])! : null;
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
