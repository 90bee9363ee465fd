/**
 * Decides the type of an upload on its bytes, not its name, while it streams by:
 * PDF, PNG, JPEG, DOCX/XLSX (zip with `[Content_Types].xml` and `word/` or `xl/` entries),
 * ODT (zip whose first entry `mimetype` says so), plain UTF-8 text without control characters
 * that does not start with `<` (so never HTML, SVG or XML, which a browser would render).
 */

export const allowedTypes = {
  pdf: 'application/pdf',
  png: 'image/png',
  jpeg: 'image/jpeg',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  odt: 'application/vnd.oasis.opendocument.text',
  text: 'text/plain; charset=utf-8',
} as const;

/**
 * The file-name extensions each type may be stored under (lower case; the first is the one a
 * name without an extension gets). A name must agree with the bytes: `setup.exe` with JPEG
 * bytes, `logo.svg` or `verslag.pdf.hta` are refused. The extension keeps the same list.
 */
export const extensionsByType: Record<string, readonly string[]> = {
  [allowedTypes.pdf]: ['.pdf'],
  [allowedTypes.png]: ['.png'],
  [allowedTypes.jpeg]: ['.jpg', '.jpeg'],
  [allowedTypes.docx]: ['.docx'],
  [allowedTypes.xlsx]: ['.xlsx'],
  [allowedTypes.odt]: ['.odt'],
  [allowedTypes.text]: ['.txt'],
};

/** Every accepted extension, for messages: `.pdf, .png, .jpg, .jpeg, .docx, .xlsx, .odt, .txt`. */
export const allowedExtensions: readonly string[] = Object.values(extensionsByType).flat();

const HEAD_BYTES = 128;
/** The zip central directory is read from the end of the file; this much of the end is kept. */
const TAIL_BYTES = 256 * 1024;
const ODT_MIME = 'application/vnd.oasis.opendocument.text';
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/;

const startsWith = (buf: Buffer, bytes: number[] | string) =>
  (typeof bytes === 'string' ? Buffer.from(bytes, 'latin1') : Buffer.from(bytes)).equals(buf.subarray(0, bytes.length));

export interface TypeDetector {
  push(chunk: Uint8Array): void;
  /** True as soon as the bytes so far can no longer become an allowed type. */
  readonly rejected: boolean;
  /** The content type, or null when the file is not of an allowed type. */
  finish(): string | null;
}

export function createTypeDetector(): TypeDetector {
  let head = Buffer.alloc(0);
  // The last TAIL_BYTES (a ZIP's central directory), kept as the pieces that hold them: copying
  // a 256 KiB window on every piece of an upload cost more CPU than the rest of the sniffing.
  const tailPieces: Uint8Array[] = [];
  let tailLength = 0;
  let size = 0;
  let text: TextDecoder | null = new TextDecoder('utf-8', { fatal: true });
  let rejected = false;
  /** Whether the first character after an optional BOM and whitespace was seen yet (text only). */
  let textStarted = false;

  const binaryKind = () => {
    if (startsWith(head, '%PDF-')) return 'pdf';
    if (startsWith(head, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'png';
    if (startsWith(head, [0xff, 0xd8, 0xff])) return 'jpeg';
    if (startsWith(head, [0x50, 0x4b, 0x03, 0x04])) return 'zip';
    return null;
  };

  const pushText = (chunk: Uint8Array, final: boolean) => {
    if (!text) return;
    try {
      const decoded = text.decode(chunk, { stream: !final });
      if (CONTROL.test(decoded)) text = null;
      else if (!textStarted) {
        const first = /[^\uFEFF\s]/.exec(decoded);
        if (first) {
          textStarted = true;
          // Markup is no plain text: HTML or SVG saved as .txt and opened by mistake still runs.
          if (first[0] === '<') text = null;
        }
      }
    } catch {
      text = null;
    }
  };

  return {
    push(chunk) {
      size += chunk.length;
      if (head.length < HEAD_BYTES) head = Buffer.concat([head, chunk.subarray(0, HEAD_BYTES - head.length)]);
      tailPieces.push(chunk);
      tailLength += chunk.length;
      while (tailLength - tailPieces[0]!.length >= TAIL_BYTES) tailLength -= tailPieces.shift()!.length;
      pushText(chunk, false);
      if (!text && head.length >= 8 && binaryKind() === null) rejected = true;
    },
    get rejected() {
      return rejected;
    },
    finish() {
      pushText(new Uint8Array(0), true);
      if (size === 0) return null;
      const kind = binaryKind();
      if (kind === 'zip') {
        const tail = Buffer.concat(tailPieces);
        return zipKind(head, tail.subarray(Math.max(0, tail.length - TAIL_BYTES)), size);
      }
      if (kind) return allowedTypes[kind];
      return text ? allowedTypes.text : null;
    },
  };
}

/** ODT from the first local entry; DOCX/XLSX from the central directory at the end. */
function zipKind(head: Buffer, tail: Buffer, size: number): string | null {
  if (head.length >= 30) {
    const nameLength = head.readUInt16LE(26);
    const extraLength = head.readUInt16LE(28);
    const name = head.subarray(30, 30 + nameLength).toString('latin1');
    const start = 30 + nameLength + extraLength;
    if (name === 'mimetype' && head.subarray(start, start + ODT_MIME.length).toString('latin1') === ODT_MIME) return allowedTypes.odt;
  }
  const names = centralDirectoryNames(tail, size);
  if (!names || !names.includes('[Content_Types].xml')) return null;
  if (names.some((n) => n.startsWith('word/'))) return allowedTypes.docx;
  if (names.some((n) => n.startsWith('xl/'))) return allowedTypes.xlsx;
  return null;
}

function centralDirectoryNames(tail: Buffer, size: number): string[] | null {
  const tailStart = size - tail.length;
  for (let i = tail.length - 22; i >= 0 && i >= tail.length - 22 - 65535; i--) {
    if (tail.readUInt32LE(i) !== 0x06054b50) continue;
    const count = tail.readUInt16LE(i + 10);
    const offset = tail.readUInt32LE(i + 16) - tailStart;
    if (offset < 0 || offset >= i) return null;
    const names: string[] = [];
    let p = offset;
    for (let n = 0; n < count; n++) {
      if (p + 46 > tail.length || tail.readUInt32LE(p) !== 0x02014b50) return null;
      const nameLength = tail.readUInt16LE(p + 28);
      const extraLength = tail.readUInt16LE(p + 30);
      const commentLength = tail.readUInt16LE(p + 32);
      names.push(tail.subarray(p + 46, p + 46 + nameLength).toString('utf8'));
      p += 46 + nameLength + extraLength + commentLength;
    }
    return names;
  }
  return null;
}
