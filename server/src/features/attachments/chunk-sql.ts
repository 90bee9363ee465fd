import { once } from 'node:events';
import type { Writable } from 'node:stream';
import { finished } from 'node:stream/promises';
import type { DbOrTx } from '../../db/client.ts';

/**
 * Chunk rows written and read through the driver's own client instead of drizzle. Writes are one
 * `COPY … FROM STDIN (FORMAT binary)`: the bytes go to the database as they are, neither base64
 * nor hex (measured for 20 MiB on PostgreSQL: 0.3 s against 0.6–1.5 s for INSERTs of base64
 * text, and a tenth of the Node CPU). Reads: the bytes come back as base64 text in
 * pieces of 64 KiB (download.ts) that Buffer decodes natively (PGlite's bytea parser is a
 * JavaScript loop, and postgres.js would receive hex, 2× the bytes). postgres.js cannot ask for
 * binary results, and `COPY … TO STDOUT` can leave its connection hanging (porsager/postgres#499).
 */
interface PostgresJsClient {
  unsafe(query: string, params?: unknown[]): { values(): Promise<Array<[number, string]>>; writable(): Promise<Writable> };
}
interface PgliteClient {
  query<T>(query: string, params: unknown[], options: { rowMode?: 'array'; blob?: Blob }): Promise<{ rows: T[] }>;
}

/** drizzle keeps the driver's client (pool, reserved transaction, or PGlite) as `session.client`. */
function clientOf(db: DbOrTx): PostgresJsClient | PgliteClient {
  const client = (db as unknown as { session?: { client?: unknown } }).session?.client;
  if (!client) throw new Error('attachments: the database handle has no driver client');
  return client as PostgresJsClient | PgliteClient;
}

const isPostgresJs = (client: PostgresJsClient | PgliteClient): client is PostgresJsClient => typeof (client as PostgresJsClient).unsafe === 'function';

/** A piece of a file's bytes that starts at byte `at`. */
export interface ChunkPiece { at: number; data: Buffer }

/** Runs `query`, whose rows are (at, base64 text), and returns the decoded pieces in row order. */
export async function selectBase64Pieces(db: DbOrTx, query: string, params: unknown[]): Promise<ChunkPiece[]> {
  const client = clientOf(db);
  const rows = isPostgresJs(client) ? await client.unsafe(query, params).values() : (await client.query<[number, string]>(query, params, { rowMode: 'array' })).rows;
  return rows.map(([at, text]) => ({ at, data: Buffer.from(text, 'base64') }));
}

const COPY_COLUMNS = 'attachment_chunks (attachment_id, seq, data)';
/** The binary COPY signature, flags and header extension length (PostgreSQL docs, "COPY", binary format). */
const COPY_HEADER = Buffer.concat([Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1'), Buffer.alloc(8)]);
const COPY_TRAILER = Buffer.from([0xff, 0xff]);
/** PGlite takes a COPY's input as one Blob: rows go in batches of about this many bytes. */
const PGLITE_COPY_BYTES = 4 * 1024 * 1024;
/** One row in binary COPY format: 3 fields — uuid (16 bytes), int4, bytea. */
function tupleHead(id: Buffer, seq: number, length: number): Buffer {
  const head = Buffer.allocUnsafe(2 + 4 + 16 + 4 + 4 + 4);
  head.writeInt16BE(3, 0);
  head.writeInt32BE(16, 2);
  id.copy(head, 6);
  head.writeInt32BE(4, 22);
  head.writeInt32BE(seq, 26);
  head.writeInt32BE(length, 30);
  return head;
}

/**
 * Writes `chunks` as rows 0, 1, … of `attachmentId` in the transaction `tx` (one binary COPY on
 * PostgreSQL, streamed with the socket's backpressure; COPYs of ≈ 4 MiB on PGlite) and returns the
 * number of rows. A failure rejects; the caller's transaction then rolls back.
 */
export async function copyChunks(tx: DbOrTx, attachmentId: string, chunks: AsyncIterable<Buffer>): Promise<number> {
  const client = clientOf(tx);
  const id = Buffer.from(attachmentId.replace(/-/g, ''), 'hex');
  let seq = 0;
  if (isPostgresJs(client)) {
    const copy = await client.unsafe(`copy ${COPY_COLUMNS} from stdin (format binary)`).writable();
    const done = finished(copy);
    done.catch(() => {});
    // postgres.js writes CopyDone in the stream's final step and lets the stream go: an error the
    // database reports after that (a constraint checked at the end of the statement, the
    // connection lost) never reaches the stream. So the end is confirmed by the next statement on
    // the connection instead: it fails at once when the COPY failed (the transaction is aborted).
    const copyDoneSent = new Promise<void>((resolve) => {
      const final = copy._final.bind(copy);
      copy._final = (callback) => {
        final(callback);
        resolve();
      };
    });
    const write = async (data: Buffer) => {
      if (!copy.write(data)) await once(copy, 'drain');
    };
    try {
      await write(COPY_HEADER);
      for await (const data of chunks) {
        await write(tupleHead(id, seq++, data.length));
        await write(data);
      }
      copy.end(COPY_TRAILER);
      await Promise.race([copyDoneSent, done]);
    } catch (err) {
      copy.destroy(err as Error); // postgres.js sends CopyFail: the COPY, and with it the transaction, fails
      throw err;
    }
    await client.unsafe('select 1').values();
    await done;
    return seq;
  }
  let parts: Buffer[] = [COPY_HEADER];
  let bytes = 0;
  const flush = async () => {
    parts.push(COPY_TRAILER);
    await client.query(`copy ${COPY_COLUMNS} from '/dev/blob' (format binary)`, [], { blob: new Blob(parts as Uint8Array<ArrayBuffer>[]) });
    parts = [COPY_HEADER];
    bytes = 0;
  };
  for await (const data of chunks) {
    parts.push(tupleHead(id, seq++, data.length), data);
    bytes += data.length;
    if (bytes >= PGLITE_COPY_BYTES) await flush();
  }
  if (bytes > 0) await flush();
  return seq;
}
