import { createHash } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.ts';
import { attachmentChunks, attachments } from '../../db/schema/index.ts';
import { AppError } from '../../lib/errors.ts';
import type { AuditEntry } from '../audit/service.ts';
import { recordAudit } from '../audit/service.ts';
import { cleanFilename } from './filename.ts';
import { MultipartError, parseMultipart } from './multipart.ts';
import { allowedTypes, createTypeDetector } from './sniff.ts';
import { createSpool, type Spool } from './spool.ts';

export const CHUNK_SIZE = 256 * 1024;
/** A client that sends nothing for this long is cut off; nothing is stored. */
export const UPLOAD_IDLE_MS = 15_000;

class UploadStalledError extends Error {}

/** Yields from `source`, failing when the next piece takes longer than `ms`. */
async function* withIdleTimeout(source: AsyncIterable<Uint8Array> | Iterable<Uint8Array>, ms: number): AsyncGenerator<Uint8Array> {
  const it = Symbol.asyncIterator in source ? source[Symbol.asyncIterator]() : (source[Symbol.iterator]() as Iterator<Uint8Array>);
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
  /** Runs in the write transaction after the attachment is stored (the workflow rules). */
  inTransaction?: (tx: DbOrTx, stored: typeof attachments.$inferSelect) => Promise<void>;
}

/**
 * Reads the `file` part of a multipart body into an encrypted spool file, hashing and sniffing as
 * it goes (too large → 413, not an allowed type → 415, broken or cut → 400), and only then writes
 * metadata and 256 KiB chunks in ONE short transaction. A failure at any point leaves nothing in
 * the database and no spool file; a slow client never holds a database connection.
 */
export async function storeUpload(db: DbOrTx, input: UploadInput) {
  const spool = await createSpool();
  try {
    const received = await receiveFile(spool, input);
    return await db.transaction(async (tx) => {
      const [row] = await tx
        .insert(attachments)
        .values({
          organisationId: input.user.organisationId, hulpvraagId: input.owner.hulpvraagId ?? null, entryId: input.owner.entryId ?? null, filename: received.filename, contentType: received.contentType,
          size: received.size, sha256: received.sha256, chunkSize: CHUNK_SIZE, chunkCount: Math.ceil(received.size / CHUNK_SIZE), createdBy: input.user.id, createdAt: input.now,
        })
        .returning();
      let seq = 0;
      // Bytes go in as hex text decoded by the database: PGlite's own bytea serialiser is a JS
      // loop (≈5× slower); for postgres.js it is the same wire format it would send anyway.
      for await (const data of spool.read(CHUNK_SIZE)) {
        await tx.insert(attachmentChunks).values({ attachmentId: row!.id, seq: seq++, data: sql`decode(${data.toString('hex')}, 'hex')` });
      }
      if (seq !== row!.chunkCount) throw new Error(`spool returned ${seq} chunks, expected ${row!.chunkCount}`);
      await recordAudit(tx, { ...input.audit, subjectType: 'attachment', subjectId: row!.id, subjectLabel: row!.filename });
      await input.inTransaction?.(tx, row!);
      return row!;
    });
  } finally {
    await spool.dispose();
  }
}

/** The multipart → spool phase: validates everything that can be known from the bytes. */
async function receiveFile(spool: Spool, input: UploadInput) {
  const hash = createHash('sha256');
  const detector = createTypeDetector();
  let size = 0;
  let filename: string | null = null;
  let inFile = false;
  let seenFile = false;
  try {
    for await (const event of parseMultipart(withIdleTimeout(input.body, input.idleTimeoutMs ?? UPLOAD_IDLE_MS), input.boundary)) {
      if (event.type === 'part') {
        inFile = event.name === 'file' && !seenFile;
        if (inFile) {
          seenFile = true;
          filename = event.filename;
        }
        continue;
      }
      if (!inFile) continue;
      size += event.chunk.length;
      if (size > input.maxBytes) throw new AppError('payload_too_large', `The file is larger than ${input.maxBytes / (1024 * 1024)} MB.`);
      hash.update(event.chunk);
      detector.push(event.chunk);
      if (detector.rejected) throw unsupported();
      await spool.write(event.chunk);
    }
  } catch (err) {
    if (err instanceof AppError) throw err;
    if (err instanceof MultipartError) throw new AppError('validation_failed', `The multipart body could not be read: ${err.message}.`);
    if (err instanceof UploadStalledError) throw new AppError('invalid_request', 'The upload stalled (no data for a while); nothing was stored. Please try again.');
    throw new AppError('invalid_request', 'The upload was interrupted before it was complete; nothing was stored.');
  }
  if (!seenFile) throw new AppError('validation_failed', 'file: send the file in a multipart field named "file".', { errors: [{ path: 'file', message: 'missing' }] });
  if (size === 0) throw new AppError('validation_failed', 'file: the file is empty.', { errors: [{ path: 'file', message: 'empty' }] });
  const contentType = detector.finish();
  if (!contentType) throw unsupported();
  return { filename: cleanFilename(filename), contentType, size, sha256: hash.digest('hex') };
}

const unsupported = () =>
  new AppError('unsupported_media_type', `Only these types are accepted: PDF, PNG, JPEG, DOCX, XLSX, ODT and plain text (UTF-8).`, { accepted: Object.values(allowedTypes) });
