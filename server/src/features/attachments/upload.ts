import { createHash } from 'node:crypto';
import { eq } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.ts';
import { attachmentChunks, attachments } from '../../db/schema/index.ts';
import { AppError } from '../../lib/errors.ts';
import type { AuditEntry } from '../audit/service.ts';
import { recordAudit } from '../audit/service.ts';
import { cleanFilename } from './filename.ts';
import { MultipartError, parseMultipart } from './multipart.ts';
import { allowedTypes, createTypeDetector } from './sniff.ts';

export const CHUNK_SIZE = 256 * 1024;
/**
 * An upload holds its transaction open while the bytes arrive; on PGlite (one connection) that
 * holds up every other request. A client that sends nothing for this long is cut off (rollback).
 */
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

export interface UploadInput {
  /** The uploader (id null for the demo seed). */
  user: { id: string | null; organisationId: string };
  hulpvraagId: string;
  body: AsyncIterable<Uint8Array> | Iterable<Uint8Array>;
  boundary: string;
  maxBytes: number;
  audit: AuditEntry;
  now: Date;
  idleTimeoutMs?: number;
}

/**
 * Streams the `file` part of a multipart body into `attachment_chunks` (256 KiB rows), hashing and
 * sniffing as it goes, all in ONE transaction with the metadata: too large (413), not an allowed
 * type (415), a broken body or a cut connection — the transaction rolls back and nothing is left.
 */
export async function storeUpload(db: DbOrTx, input: UploadInput) {
  return db.transaction(async (tx) => {
    const [row] = await tx
      .insert(attachments)
      .values({
        organisationId: input.user.organisationId, hulpvraagId: input.hulpvraagId, filename: 'bijlage', contentType: 'application/octet-stream',
        size: 0, sha256: '', chunkSize: CHUNK_SIZE, chunkCount: 0, createdBy: input.user.id, createdAt: input.now,
      })
      .returning({ id: attachments.id });
    const id = row!.id;
    const hash = createHash('sha256');
    const detector = createTypeDetector();
    let pending: Buffer[] = [];
    let pendingBytes = 0;
    let size = 0;
    let seq = 0;
    let filename: string | null = null;
    let inFile = false;
    let seenFile = false;

    const flush = async (all: boolean) => {
      while (pendingBytes >= CHUNK_SIZE || (all && pendingBytes > 0)) {
        const joined = Buffer.concat(pending);
        const data = joined.subarray(0, Math.min(CHUNK_SIZE, joined.length));
        await tx.insert(attachmentChunks).values({ attachmentId: id, seq: seq++, data });
        const rest = joined.subarray(data.length);
        pending = rest.length ? [Buffer.from(rest)] : [];
        pendingBytes = rest.length;
      }
    };

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
        pending.push(Buffer.from(event.chunk));
        pendingBytes += event.chunk.length;
        if (pendingBytes >= CHUNK_SIZE) await flush(false);
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
    await flush(true);
    const sha256 = hash.digest('hex');
    const [stored] = await tx
      .update(attachments)
      .set({ filename: cleanFilename(filename), contentType, size, sha256, chunkCount: seq })
      .where(eq(attachments.id, id))
      .returning();
    await recordAudit(tx, { ...input.audit, subjectType: 'attachment', subjectId: id, subjectLabel: stored!.filename });
    return stored!;
  });
}

const unsupported = () =>
  new AppError('unsupported_media_type', `Only these types are accepted: PDF, PNG, JPEG, DOCX, XLSX, ODT and plain text (UTF-8).`, { accepted: Object.values(allowedTypes) });
