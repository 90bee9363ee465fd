import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { mkdtemp, open, rm, type FileHandle } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A temporary, encrypted spool file for one upload. The bytes arrive at the client's pace
 * without holding a database connection (PGlite has only one; a PostgreSQL pool is finite);
 * once complete they are copied into the database in one short transaction.
 * The file is AES-256-CTR with a random key that lives only in memory, mode 0600, and removed
 * in `dispose()` (unless the attachment cache took the file over first: cache.ts): a crash leaves
 * only unreadable bytes behind.
 */
export interface Spool {
  write(chunk: Uint8Array): Promise<void>;
  /** Reads the plaintext back in pieces of `size` bytes. */
  read(size: number): AsyncGenerator<Buffer>;
  /** Where the encrypted bytes are and how to read them (the attachment cache may keep the file: cache.ts). */
  file(): SpooledFile;
  dispose(): Promise<void>;
}

/** An encrypted spool file: AES-256-CTR under `key` and `iv`, `size` bytes. */
export interface SpooledFile { path: string; key: Buffer; iv: Buffer; size: number }

let spoolRoot: string | null = null;

/** Where spool files go from now on (main.ts: SPOOL_DIR, after `cleanSpoolRoot`); default the OS temp dir. */
export function setSpoolRoot(dir: string | null): void {
  spoolRoot = dir;
}

/** The directory set by `setSpoolRoot`, or null (the OS temp dir). */
export const spoolRootDir = (): string | null => spoolRoot;

export async function createSpool(): Promise<Spool> {
  const dir = await mkdtemp(spoolRoot ? join(spoolRoot, `${process.pid}-`) : join(tmpdir(), 'kindkans-upload-'));
  const path = join(dir, 'spool');
  const key = randomBytes(32);
  const iv = randomBytes(16);
  const cipher = createCipheriv('aes-256-ctr', key, iv);
  let file: FileHandle | null = await open(path, 'w+', 0o600);
  let written = 0;
  return {
    async write(chunk) {
      const sealed = cipher.update(chunk);
      await file!.write(sealed, 0, sealed.length, written);
      written += sealed.length;
    },
    async *read(size) {
      const decipher = createDecipheriv('aes-256-ctr', key, iv);
      const buffer = Buffer.alloc(size);
      for (let at = 0; at < written; ) {
        const { bytesRead } = await file!.read(buffer, 0, Math.min(size, written - at), at);
        if (bytesRead === 0) break;
        at += bytesRead;
        yield decipher.update(buffer.subarray(0, bytesRead));
      }
    },
    file: () => ({ path, key, iv, size: written }),
    async dispose() {
      await file?.close().catch(() => {});
      file = null;
      key.fill(0);
      await rm(dir, { recursive: true, force: true });
    },
  };
}
