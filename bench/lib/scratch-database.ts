import { randomBytes } from 'node:crypto';
import postgres from 'postgres';

/**
 * An empty PostgreSQL database of its own next to `baseUrl` (e.g. the `test` database), for one
 * benchmark run; `drop()` removes it even with connections still open.
 */
export async function createScratchDatabase(baseUrl: string, prefix: string): Promise<{ name: string; url: string; drop(): Promise<void> }> {
  const name = `${prefix}_${randomBytes(4).toString('hex')}`;
  const admin = postgres(baseUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database "${name}"`);
  const url = new URL(baseUrl);
  url.pathname = `/${name}`;
  return {
    name,
    url: url.toString(),
    async drop() {
      await admin.unsafe(`drop database if exists "${name}" with (force)`);
      await admin.end();
    },
  };
}
