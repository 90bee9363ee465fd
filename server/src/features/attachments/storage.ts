import type { Db } from '../../db/client.ts';
import type { AttachmentCache } from './cache.ts';
import { streamChunks, type ByteRange, type StreamEnd } from './download.ts';

/**
 * The storage interface of attachment bytes (DESIGN: attachments live in PostgreSQL, behind one
 * interface so that they can move to S3-compatible object storage). Writes: `storeUpload`
 * (upload.ts: 256 KiB chunk rows in one transaction, then the spool file becomes a cache entry).
 * Reads: `readBytes` below. Removal: the rows (delete, anonymise, cascades) and `forgetBytes`.
 *
 * Callers have checked the attachment's row, visibility and audit in the database first; only
 * then are the bytes read: from this process's disk cache when it holds the same id with the
 * same SHA-256, else from the chunk rows (and a whole-file read fills the cache on the way).
 */
export interface StoredFile { id: string; sha256: string; size: number; chunkSize: number }

export async function readBytes(db: Db, cache: AttachmentCache | undefined, file: StoredFile, range: ByteRange, onEnd: (end: StreamEnd) => void): Promise<ReadableStream<Uint8Array>> {
  const cached = await cache?.read(file.id, file.sha256, range, onEnd);
  if (cached) return cached;
  const whole = range.start === 0 && range.end === file.size - 1;
  return streamChunks(db, file, range, onEnd, whole ? cache?.fill(file.id, file.sha256, file.size) : null);
}

/** After the rows are deleted (committed): this process's cached copies go at once. */
export function forgetBytes(cache: AttachmentCache | undefined, ids: readonly string[]): void {
  cache?.forget(ids);
}
