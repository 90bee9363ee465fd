import { and, asc, between, eq, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import type { CacheFill } from './cache.ts';
import { attachmentChunks } from '../../db/schema/index.ts';

export interface ByteRange { start: number; end: number }

/**
 * `Range: bytes=a-b | a- | -n` (one range) → the range; 'unsatisfiable' when it lies outside
 * the file; null when there is no usable Range header (serve the whole file, RFC 9110 §14.2).
 */
export function parseRange(header: string | undefined, size: number): ByteRange | 'unsatisfiable' | null {
  if (!header) return null;
  const m = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!m || (m[1] === '' && m[2] === '')) return null;
  if (m[1] === '') {
    const suffix = Number(m[2]);
    if (suffix === 0) return 'unsatisfiable';
    return { start: Math.max(0, size - suffix), end: size - 1 };
  }
  const start = Number(m[1]);
  const end = m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1);
  if (m[2] !== '' && Number(m[2]) < start) return null;
  if (start >= size) return 'unsatisfiable';
  return { start, end };
}

/** Does `If-None-Match` name this ETag (or `*`)? */
export function etagMatches(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  return header.split(',').some((t) => {
    const tag = t.trim().replace(/^W\//, '');
    return tag === '*' || tag === etag;
  });
}

/** Chunk rows fetched per query: 4 × 256 KiB = 1 MiB in flight per download at most. */
const ROWS_PER_READ = 4;

/**
 * The bytes [start, end] of an attachment as a stream that reads a few chunk rows per pull: the
 * consumer's pace (the socket) sets the pace of the queries, and a cancelled stream (client gone)
 * stops querying. Only the needed part of the first and last chunk leaves the database.
 * `fill` (a whole-file read only) gets every chunk too: the attachment cache's read-through.
 */
export interface StreamEnd {
  /** `complete`: every byte of the range was handed to the connection; `aborted`: the client left or a read failed. */
  transfer: 'complete' | 'aborted';
  bytes: number;
}

export function streamChunks(db: Db, attachment: { id: string; chunkSize: number }, range: ByteRange, onEnd: (end: StreamEnd) => void = () => {}, fill?: CacheFill | null): ReadableStream<Uint8Array> {
  let position = range.start;
  let cancelled = false;
  let ended = false;
  const end = (transfer: StreamEnd['transfer']) => {
    if (ended) return;
    ended = true;
    if (transfer === 'complete') void fill?.finish().catch(() => {});
    else fill?.abort();
    onEnd({ transfer, bytes: position - range.start });
  };
  const size = attachment.chunkSize;
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        try {
          if (cancelled) return;
          if (position > range.end) {
            controller.close();
            end('complete');
            return;
          }
          const first = Math.floor(position / size);
          const last = Math.min(Math.floor(range.end / size), first + ROWS_PER_READ - 1);
          // Byte window [from, to] of the whole file that this read covers, cut per row in SQL.
          const from = position;
          const to = Math.min(range.end, (last + 1) * size - 1);
          const rows = await db
            .select({
              seq: attachmentChunks.seq,
              // As base64 text, decoded by Buffer: PGlite's own bytea parser is a JS loop (≈12 MB/s)
              // and postgres.js receives bytea as hex text (2× the bytes); base64 is 1.35× (with
              // the line breaks PostgreSQL adds, which Buffer skips), decoded natively.
              b64: sql<string>`encode(substring(${attachmentChunks.data} from greatest(1, ${from + 1} - ${attachmentChunks.seq} * ${size}) for least(${size}, ${to + 1} - ${attachmentChunks.seq} * ${size}) - greatest(0, ${from} - ${attachmentChunks.seq} * ${size})), 'base64')`,
            })
            .from(attachmentChunks)
            .where(and(eq(attachmentChunks.attachmentId, attachment.id), between(attachmentChunks.seq, first, last)))
            .orderBy(asc(attachmentChunks.seq));
          if (cancelled) return;
          let got = 0;
          for (const [i, row] of rows.entries()) {
            if (row.seq !== first + i) break;
            const data = Buffer.from(row.b64, 'base64');
            got += data.length;
            await fill?.write(data);
            controller.enqueue(data);
          }
          if (got !== to - from + 1) {
            controller.error(new Error(`attachment ${attachment.id}: chunks ${first}-${last} are missing or short`));
            end('aborted');
            return;
          }
          position = to + 1;
        } catch (err) {
          end('aborted');
          throw err;
        }
      },
      cancel() {
        cancelled = true;
        end('aborted');
      },
    },
    { highWaterMark: 1 },
  );
}
