import type { Db } from '../../db/client.ts';
import type { CacheFill } from './cache.ts';
import { selectBase64Pieces } from './chunk-sql.ts';

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

/** Bytes asked for per query; one query is read ahead while the previous one goes out. */
const READ_BYTES = 512 * 1024;
/**
 * Bytes per result row: a chunk row is cut into pieces of 64 KiB in SQL, as the rows of a new
 * upload are (upload.ts). Strings and buffers above ≈ 96 KiB cost Node 5× more per byte.
 */
const PIECE_BYTES = 64 * 1024;

/**
 * The file's bytes [$2, $3] as base64 pieces that start at `at`: every piece lies within one chunk
 * row ($4 = chunk size, a multiple of the piece size $5) and starts at a multiple of $5 except the first.
 */
const SELECT_PIECES = `select p.at, encode(substring(c.data from p.at - c.seq * $4::int + 1 for p.len), 'base64')
  from (select greatest($2::int, g) as at, least(g + $5::int, $3::int + 1) - greatest($2::int, g) as len
        from generate_series($2::int / $5::int * $5::int, $3::int, $5::int) as g) as p
  join attachment_chunks as c on c.attachment_id = $1 and c.seq = p.at / $4::int
  order by p.at`;

interface Window { from: number; to: number }

export interface StreamEnd {
  /** `complete`: every byte of the range was handed to the connection; `aborted`: the client left or a read failed. */
  transfer: 'complete' | 'aborted';
  bytes: number;
}

/**
 * The bytes [start, end] of an attachment as a stream that reads READ_BYTES per query and one
 * query ahead: the consumer's pace (the socket) sets the pace of the queries, a download holds
 * at most about 1 MiB in this process, and a cancelled stream (client gone) stops querying.
 * Only the needed part of the first and last chunk leaves the database.
 * `fill` (a whole-file read only) gets every piece too: the attachment cache's read-through.
 */
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
  const piece = size % PIECE_BYTES === 0 ? PIECE_BYTES : size;
  const windowAt = (from: number): Window => ({ from, to: Math.min(range.end, from - (from % piece) + READ_BYTES - 1) });
  const fetch = (w: Window) => {
    const pieces = selectBase64Pieces(db, SELECT_PIECES, [attachment.id, w.from, w.to, size, piece]);
    pieces.catch(() => {}); // a read ahead that is never awaited (client gone) must not go unhandled
    return { window: w, pieces };
  };
  let ahead: ReturnType<typeof fetch> | null = null;
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
          const current = ahead ?? fetch(windowAt(position));
          const { from, to } = current.window;
          ahead = to < range.end ? fetch(windowAt(to + 1)) : null;
          const pieces = await current.pieces;
          if (cancelled) return;
          let at = from;
          for (const p of pieces) {
            if (p.at !== at) break;
            at += p.data.length;
            await fill?.write(p.data);
            controller.enqueue(p.data);
          }
          if (at !== to + 1) {
            controller.error(new Error(`attachment ${attachment.id}: bytes ${from}-${to} are missing or short`));
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
    { highWaterMark: 0 },
  );
}
