import { randomBytes } from 'node:crypto';
import type { PGlite } from '@electric-sql/pglite';
import postgres from 'postgres';
import { inject } from 'vitest';
import { openPglite, openPostgres, wrapPglite, type Database } from '../src/db/client.ts';
import { migrateDatabase } from '../src/db/migrate.ts';
import { withDatabase } from './global-setup.ts';

const globals = globalThis as { __kkPgliteTemplate?: Promise<PGlite> };

/**
 * A clean, migrated database for one test file (close it in afterAll):
 * PostgreSQL — a fresh database copied from the run's template, dropped on close;
 * PGlite — a clone of this worker's migrated in-memory instance.
 */
export async function createTestDatabase(): Promise<Database> {
  const url = process.env.DATABASE_URL;
  const template = inject('pgTemplate');
  if (url && template) {
    const name = `kk_t_${inject('pgRunId')}_${randomBytes(4).toString('hex')}`;
    const admin = postgres(url, { max: 1, onnotice: () => {} });
    await admin.unsafe(`create database "${name}" template "${template}"`);
    const database = openPostgres(withDatabase(url, name), { max: 10 });
    return {
      ...database,
      async close() {
        await database.close();
        await admin.unsafe(`drop database if exists "${name}" with (force)`);
        await admin.end();
      },
    };
  }
  globals.__kkPgliteTemplate ??= (async () => {
    const template = await openPglite();
    await migrateDatabase(template);
    return (template.db as unknown as { $client: PGlite }).$client;
  })();
  const clone = await (await globals.__kkPgliteTemplate).clone();
  return wrapPglite(clone as PGlite);
}

/** A URL for a fresh empty database on the test PostgreSQL (for migration tests), or null on PGlite runs. */
export async function createEmptyPostgresDatabase(): Promise<{ url: string; drop: () => Promise<void> } | null> {
  const url = process.env.DATABASE_URL;
  if (!url) return null;
  const name = `kk_t_${inject('pgRunId')}_${randomBytes(4).toString('hex')}`;
  const admin = postgres(url, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database "${name}"`);
  return {
    url: withDatabase(url, name),
    async drop() {
      await admin.unsafe(`drop database if exists "${name}" with (force)`);
      await admin.end();
    },
  };
}
