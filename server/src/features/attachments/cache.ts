import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { mkdtemp, open, rename, rm, type FileHandle } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ByteRange, StreamEnd } from './download.ts';
import { spoolRootDir, type SpooledFile } from './spool.ts';

/**
 * A per-process read-through cache of attachment bytes on local disk (issue 12: the database
 * path cannot serve 20 MiB files at disk speed). The database stays the source of truth: a
 * route checks the attachment's row, visibility and audit there first and only then asks the
 * cache for the bytes of that id AND its stored SHA-256; a miss reads the database.
 *
 * - Every entry is a file encrypted with AES-256-CTR under its own random key and IV, held only
 *   in this process's memory (an upload's spool file is exactly that: it is kept as the entry
 *   instead of deleted). CTR lets a Range start anywhere: the counter is the IV plus the block.
 * - An entry is only added when its bytes were hashed on the way in and match the stored
 *   SHA-256 (upload: the read-back into the database; a miss: the download that filled it).
 * - Bounded: `maxBytes` (ATTACHMENT_CACHE_MB), least recently used entries are removed first.
 * - Wiped at start: the files live in `<SPOOL_DIR>/<pid>-cache-*`, which start-up removes like
 *   any spool directory of a gone process (their keys died with it), and at exit.
 * - Delete and anonymise remove the entries of this process at once (`forget`); other server
 *   processes cannot serve them either, because their route finds no row first.
 */
export interface AttachmentCache {
  /** The cached bytes [range] of attachment `id` whose stored SHA-256 is `sha256`, or null (a miss). */
  read(id: string, sha256: string, range: ByteRange, onEnd: (end: StreamEnd) => void): Promise<ReadableStream<Uint8Array> | null>;
  /** Keeps an upload's spool file (hashed to `sha256` on its way into the database) as the entry of `id`. */
  adopt(id: string, sha256: string, spooled: SpooledFile): Promise<void>;
  /** A writer that fills the entry of `id` from a whole-file read of the database, or null (not cached, or busy). */
  fill(id: string, sha256: string, size: number): CacheFill | null;
  /** Removes these attachments' entries (delete, anonymise). */
  forget(ids: readonly string[]): void;
  stats(): { entries: number; bytes: number; maxBytes: number };
  /** Removes every entry and the directory (shutdown, tests). */
  close(): Promise<void>;
}

export interface CacheFill {
  write(chunk: Uint8Array): Promise<void>;
  /** All bytes written: keeps the entry when their SHA-256 matches, else drops it. */
  finish(): Promise<boolean>;
  abort(): void;
}

interface Entry { sha256: string; path: string; size: number; key: Buffer; iv: Buffer; readers: number; doomed: boolean }

/** Bytes read from the file per pull when serving from the cache. */
const READ_SIZE = 256 * 1024;

/** The IV of AES-CTR after `blocks` 16-byte blocks: the 128-bit big-endian counter plus `blocks`. */
export function ivAt(iv: Buffer, blocks: number): Buffer {
  const out = Buffer.from(iv);
  let carry = BigInt(blocks);
  for (let i = 15; i >= 0 && carry > 0n; i--) {
    const sum = BigInt(out[i]!) + (carry & 0xffn);
    out[i] = Number(sum & 0xffn);
    carry = (carry >> 8n) + (sum >> 8n);
  }
  return out;
}

const liveDirs = new Set<string>();
let exitHook = false;
function removeAtExit(dir: string) {
  liveDirs.add(dir);
  if (exitHook) return;
  exitHook = true;
  process.once('exit', () => {
    for (const d of liveDirs) rmSync(d, { recursive: true, force: true });
  });
}

/** `maxBytes` 0 turns the cache off (every read goes to the database). */
export function createAttachmentCache(maxBytes: number): AttachmentCache {
  const entries = new Map<string, Entry>(); // insertion order = least recently used first
  const filling = new Set<string>();
  let total = 0;
  let dir: Promise<string> | null = null;
  const directory = () => {
    dir ??= (async () => {
      const root = spoolRootDir();
      const d = await mkdtemp(root ? join(root, `${process.pid}-cache-`) : join(tmpdir(), 'kindkans-cache-'));
      removeAtExit(d);
      return d;
    })();
    return dir;
  };
  let counter = 0;
  const newPath = async () => join(await directory(), `${counter++}`);

  const unlink = (entry: Entry) => {
    entry.key.fill(0);
    void rm(entry.path, { force: true }).catch(() => {});
  };
  const remove = (id: string) => {
    const entry = entries.get(id);
    if (!entry) return;
    entries.delete(id);
    total -= entry.size;
    entry.doomed = true;
    // Downloads still reading the entry finish first: the last one removes the file and key.
    if (entry.readers === 0) unlink(entry);
  };
  const add = (id: string, entry: Entry) => {
    remove(id);
    if (entry.size > maxBytes) return unlink(entry);
    entries.set(id, entry);
    total += entry.size;
    for (const [oldId] of entries) {
      if (total <= maxBytes) break;
      remove(oldId);
    }
  };

  return {
    async read(id, sha256, range, onEnd) {
      const entry = entries.get(id);
      if (!entry || entry.sha256 !== sha256 || range.end >= entry.size) return null;
      // Most recently used: to the end of the map.
      entries.delete(id);
      entries.set(id, entry);
      entry.readers++;
      // The file is opened by the first pull, so a response that is never read holds no descriptor.
      let file: FileHandle | null = null;
      const aligned = range.start - (range.start % 16);
      const decipher = createDecipheriv('aes-256-ctr', entry.key, ivAt(entry.iv, aligned / 16));
      let skip = range.start - aligned;
      let at = aligned;
      let ended = false;
      const buffer = Buffer.allocUnsafe(READ_SIZE);
      const end = (transfer: StreamEnd['transfer']) => {
        if (ended) return;
        ended = true;
        entry.readers--;
        if (entry.doomed && entry.readers === 0) unlink(entry);
        void file?.close().catch(() => {});
        onEnd({ transfer, bytes: Math.max(0, Math.min(at, range.end + 1) - range.start) });
      };
      return new ReadableStream<Uint8Array>(
        {
          async pull(controller) {
            try {
              if (at > range.end) {
                controller.close();
                return end('complete');
              }
              file ??= await open(entry.path, 'r');
              if (ended) return void file.close().catch(() => {});
              const want = Math.min(READ_SIZE, range.end + 1 - at);
              const { bytesRead } = await file.read(buffer, 0, want, at);
              if (ended) return;
              if (bytesRead === 0) throw new Error(`attachment ${id}: cached file is short`);
              at += bytesRead;
              let plain = decipher.update(buffer.subarray(0, bytesRead));
              if (skip) {
                plain = plain.subarray(skip);
                skip = 0;
              }
              controller.enqueue(plain);
            } catch (err) {
              if (!file) remove(id); // the file is gone (wiped under us): later reads go to the database
              end('aborted');
              throw err;
            }
          },
          cancel() {
            end('aborted');
          },
        },
        { highWaterMark: 1 },
      );
    },

    async adopt(id, sha256, spooled) {
      if (maxBytes <= 0 || spooled.size > maxBytes) return;
      const path = await newPath();
      try {
        await rename(spooled.path, path);
      } catch {
        return; // another file system (EXDEV) or gone: simply not cached
      }
      add(id, { sha256, path, size: spooled.size, key: Buffer.from(spooled.key), iv: Buffer.from(spooled.iv), readers: 0, doomed: false });
    },

    fill(id, sha256, size) {
      if (maxBytes <= 0 || size > maxBytes || filling.has(id) || entries.get(id)?.sha256 === sha256) return null;
      filling.add(id);
      const key = randomBytes(32);
      const iv = randomBytes(16);
      const cipher = createCipheriv('aes-256-ctr', key, iv);
      const hash = createHash('sha256');
      let written = 0;
      let state: 'open' | 'done' = 'open';
      // Opened by the first write (a download that never starts holds no descriptor).
      let opened: Promise<{ path: string; file: FileHandle }> | null = null;
      const openFile = () => {
        opened ??= newPath().then(async (path) => ({ path, file: await open(path, 'w', 0o600) }));
        return opened;
      };
      const drop = async () => {
        state = 'done';
        filling.delete(id);
        key.fill(0);
        const f = opened ? await opened.catch(() => null) : null;
        if (f) {
          await f.file.close().catch(() => {});
          await rm(f.path, { force: true }).catch(() => {});
        }
      };
      return {
        async write(chunk) {
          if (state !== 'open') return;
          hash.update(chunk);
          const sealed = cipher.update(chunk);
          const { file } = await openFile();
          await file.write(sealed, 0, sealed.length, written);
          written += sealed.length;
        },
        async finish() {
          if (state !== 'open') return false;
          const f = opened ? await opened.catch(() => null) : null;
          if (!f || written !== size || hash.digest('hex') !== sha256) {
            await drop();
            return false;
          }
          state = 'done';
          filling.delete(id);
          await f.file.close();
          add(id, { sha256, path: f.path, size, key, iv, readers: 0, doomed: false });
          return true;
        },
        abort() {
          if (state === 'open') void drop();
        },
      };
    },

    forget(ids) {
      for (const id of ids) remove(id);
    },

    stats: () => ({ entries: entries.size, bytes: total, maxBytes }),

    async close() {
      for (const id of [...entries.keys()]) remove(id);
      if (dir) {
        const d = await dir.catch(() => null);
        if (d) {
          await rm(d, { recursive: true, force: true });
          liveDirs.delete(d);
        }
        dir = null;
      }
    },
  };
}
