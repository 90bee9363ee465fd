import { createHash } from 'node:crypto';
import type { DbOrTx } from '../../db/client.ts';
import { attachments } from '../../db/schema/index.ts';
import { copyChunks } from './chunk-sql.ts';
import { AppError } from '../../lib/errors.ts';
import type { AuditEntry } from '../audit/service.ts';
import { recordAudit } from '../audit/service.ts';
import { once } from 'node:events';
import { Busboy } from '@fastify/busboy';
import { cleanFilename, extensionOf, nameForType } from './filename.ts';
import { allowedExtensions, allowedTypes, createTypeDetector, extensionsByType } from './sniff.ts';
import { createSpool, type Spool } from './spool.ts';
import type { AttachmentCache } from './cache.ts';

/**
 * Bytes per chunk row of a new upload (each attachment records its own `chunk_size`; older ones
 * have 256 KiB): the size of the pieces a download reads (download.ts), so a piece is one row.
 */
const CHUNK_SIZE = 64 * 1024;
/** A client that sends nothing for this long is cut off; nothing is stored. */
const UPLOAD_IDLE_MS = 15_000;

class UploadStalledError extends Error {}

/** Yields from `source`, failing when the next piece takes longer than `ms`. */
async function* withIdleTimeout(source: AsyncIterable<Uint8Array> | Iterable<Uint8Array>, ms: number): AsyncGenerator<Uint8Array> {
  const it = Symbol.asyncIterator in source ? source[Symbol.asyncIterator]() : (source[Symbol.iterator]());
  try {
    for (;;) {
      let timer: NodeJS.Timeout | undefined;
      const stalled = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new UploadStalledError()), ms);
      });
      const next = await Promise.race([Promise.resolve(it.next()), stalled]).finally(() => clearTimeout(timer));
      if (next.done) return;
      yield next.value;
    }
  } finally {
    void Promise.resolve(it.return?.()).catch(() => {});
  }
}

/** What an attachment belongs to: a hulpvraag, or an Aanpak, TLV or Overlegronde item of the dossier. */
export type AttachmentOwner = { hulpvraagId: string; entryId?: undefined } | { entryId: string; hulpvraagId?: undefined };

export interface UploadInput {
  /** The uploader (id null for the demo seed). */
  user: { id: string | null; organisationId: string };
  owner: AttachmentOwner;
  body: AsyncIterable<Uint8Array> | Iterable<Uint8Array>;
  boundary: string;
  maxBytes: number;
  audit: AuditEntry;
  now: Date;
  idleTimeoutMs?: number;
  /** This process's byte cache: after the commit the spool file becomes the attachment's entry. */
  cache?: AttachmentCache;
  /** Runs in the write transaction after the attachment is stored (the workflow rules). */
  inTransaction?: (tx: DbOrTx, stored: typeof attachments.$inferSelect) => Promise<void>;
}

/**
 * Reads the `file` part of a multipart body into an encrypted spool file, hashing and sniffing as
 * it goes (too large → 413, not an allowed type → 415, broken or cut → 400), and only then writes
 * metadata and 256 KiB chunks in ONE short transaction. A failure at any point leaves nothing in
 * the database and no spool file; a slow client never holds a database connection. After the
 * commit the spool file becomes the attachment's entry in this process's byte cache (cache.ts).
 */
export async function storeUpload(db: DbOrTx, input: UploadInput) {
  const spool = await createSpool();
  try {
    const received = await receiveFile(spool, input);
    const stored = await db.transaction(async (tx) => {
      const [row] = await tx
        .insert(attachments)
        .values({
          organisationId: input.user.organisationId, hulpvraagId: input.owner.hulpvraagId ?? null, entryId: input.owner.entryId ?? null, filename: received.filename, contentType: received.contentType,
          size: received.size, sha256: received.sha256, chunkSize: CHUNK_SIZE, chunkCount: Math.ceil(received.size / CHUNK_SIZE), createdBy: input.user.id, createdAt: input.now,
        })
        .returning();
      // The bytes read back from the spool are hashed again: what goes into the database (and
      // what the cache keeps) is checked against the SHA-256 stored with it.
      const check = createHash('sha256');
      const seq = await copyChunks(tx, row!.id, (async function* () {
        for await (const data of spool.read(CHUNK_SIZE)) {
          check.update(data);
          yield data;
        }
      })());
      if (seq !== row!.chunkCount) throw new Error(`spool returned ${seq} chunks, expected ${row!.chunkCount}`);
      if (check.digest('hex') !== row!.sha256) throw new Error('the spool file does not hold the bytes that were received');
      await recordAudit(tx, { ...input.audit, subjectType: 'attachment', subjectId: row!.id, subjectLabel: row!.filename });
      await input.inTransaction?.(tx, row!);
      return row!;
    });
    // Committed: the spool file (encrypted, verified above) is kept as the cache entry.
    await input.cache?.adopt(stored.id, stored.sha256, spool.file()).catch(() => {});
    return stored;
  } finally {
    await spool.dispose();
  }
}

/** Room for the multipart framing around the file; also the most one non-file part may hold. */
export const MULTIPART_OVERHEAD = 64 * 1024;

/** Browsers send `"`, CR and LF in a file name as %22, %0D, %0A (WHATWG HTML, multipart/form-data encoding). */
const unescapeBrowserName = (name: string) => name.replace(/%22/g, '"').replace(/%0D/gi, '\r').replace(/%0A/gi, '\n');

/**
 * The multipart → spool phase: validates everything that can be known from the bytes. The body is
 * parsed by busboy; the whole body is capped at `maxBytes` + 64 KiB (also when it comes chunked,
 * without Content-Length), the file at `maxBytes`, every other part at 64 KiB: the first byte over
 * any of them ends the upload with 413.
 */
export async function receiveFile(spool: Spool, input: Pick<UploadInput, 'body' | 'boundary' | 'maxBytes' | 'idleTimeoutMs'>) {
  const hash = createHash('sha256');
  const detector = createTypeDetector();
  let size = 0;
  let filename: string | null = null;
  let seenFile = false;
  let failure: unknown = null;
  const fail = (err: unknown) => {
    failure ??= err;
  };
  const tooLarge = () => new AppError('payload_too_large', `The file is larger than ${input.maxBytes / (1024 * 1024)} MB.`);
  const parser = Busboy({
    headers: { 'content-type': `multipart/form-data; boundary=${input.boundary}` },
    preservePath: true, // the name is cleaned by cleanFilename, which keeps folders as data
    limits: { fileSize: input.maxBytes, fieldSize: MULTIPART_OVERHEAD, fieldNameSize: 200, headerSize: 16 * 1024, parts: 100 },
  });
  let fileDone: Promise<void> = Promise.resolve();
  parser.on('file', (name, stream, rawName) => {
    if (name !== 'file' || seenFile || failure) return void stream.resume();
    seenFile = true;
    filename = cleanFilename(unescapeBrowserName(rawName ?? ''));
    const ext = extensionOf(filename);
    // A name no accepted type may have is refused before a byte of it is read.
    if (ext !== '' && !allowedExtensions.includes(ext)) {
      fail(unsupportedName(filename));
      return void stream.resume();
    }
    stream.on('limit', () => fail(tooLarge()));
    fileDone = (async () => {
      for await (const chunk of stream as AsyncIterable<Buffer>) {
        if (failure) continue; // read on, so the parser is never stuck; nothing is kept
        size += chunk.length;
        hash.update(chunk);
        detector.push(chunk);
        if (detector.rejected) fail(unsupported());
        else await spool.write(chunk);
      }
    })().catch((err) => fail(new MultipartError(err instanceof Error ? err.message : String(err))));
  });
  parser.on('field', (_name, _value, nameTruncated, valueTruncated) => {
    if (nameTruncated || valueTruncated) fail(new AppError('payload_too_large', `A form field other than the file may hold at most ${MULTIPART_OVERHEAD / 1024} KiB.`));
  });
  parser.on('partsLimit', () => fail(new MultipartError('too many parts')));
  const finished = new Promise<void>((resolve, reject) => {
    parser.on('finish', resolve);
    parser.on('error', (err) => reject(new MultipartError(err instanceof Error ? err.message : String(err))));
  });
  finished.catch(() => {});
  const cap = input.maxBytes + MULTIPART_OVERHEAD;
  let total = 0;
  try {
    for await (const chunk of withIdleTimeout(input.body, input.idleTimeoutMs ?? UPLOAD_IDLE_MS)) {
      total += chunk.length;
      if (total > cap) throw tooLarge();
      if (!parser.write(chunk)) await Promise.race([once(parser, 'drain'), finished]);
      if (failure) throw failure as Error; // fail() is only given errors (busboy, the spool, our AppErrors)
    }
    parser.end();
    await finished;
    await fileDone;
    if (failure) throw failure as Error; // fail() is only given errors (busboy, the spool, our AppErrors)
  } catch (err) {
    parser.destroy();
    if (err instanceof AppError) throw err;
    if (err instanceof MultipartError) throw new AppError('validation_failed', `The multipart body could not be read: ${err.message}.`);
    if (err instanceof UploadStalledError) throw new AppError('invalid_request', 'The upload stalled (no data for a while); nothing was stored. Please try again.');
    throw new AppError('invalid_request', 'The upload was interrupted before it was complete; nothing was stored.');
  }
  if (!seenFile) throw new AppError('validation_failed', 'file: send the file in a multipart field named "file".', { errors: [{ path: 'file', message: 'missing' }] });
  if (size === 0) throw new AppError('validation_failed', 'file: the file is empty.', { errors: [{ path: 'file', message: 'empty' }] });
  const contentType = detector.finish();
  if (!contentType) throw unsupported();
  const stored = nameForType(filename ?? 'bijlage', extensionsByType[contentType] ?? []);
  if (!stored) throw unsupportedName(filename ?? 'bijlage', contentType);
  return { filename: stored, contentType, size, sha256: hash.digest('hex') };
}

class MultipartError extends Error {}

const accepted = () => allowedExtensions.join(', ');

const unsupported = () =>
  new AppError('unsupported_media_type', `Only these types are accepted: PDF, PNG, JPEG, DOCX, XLSX, ODT and plain text (UTF-8, not HTML or SVG), with a matching file name (${accepted()}).`, {
    accepted: Object.values(allowedTypes), extensions: allowedExtensions,
  });

/** The name does not agree with what the file is (`setup.exe` with JPEG bytes, `verslag.pdf.hta`). */
const unsupportedName = (name: string, contentType?: string) =>
  new AppError(
    'unsupported_media_type',
    contentType
      ? `The file name "${name}" does not match its content (${contentType.split(';')[0]}): it must end in ${extensionsByType[contentType]!.join(' or ')}. Accepted extensions: ${accepted()}.`
      : `The file name "${name}" has an extension that is not accepted. Accepted extensions: ${accepted()}.`,
    { accepted: Object.values(allowedTypes), extensions: allowedExtensions },
  );
