import { fileURLToPath } from 'node:url';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { migrate as migratePostgres } from 'drizzle-orm/postgres-js/migrator';
import type { Database } from './client.ts';

export const migrationsFolder = fileURLToPath(new URL('../../../drizzle', import.meta.url));

/** Arbitrary but fixed: the advisory lock that serialises migrations across server processes. */
const MIGRATION_LOCK = 7_250_725;

/** Applies pending migrations; on PostgreSQL under an advisory lock so two processes never both migrate. */
export async function migrateDatabase(database: Database): Promise<void> {
  await database.withAdvisoryLock(MIGRATION_LOCK, async () => {
    if (database.kind === 'pglite') await migratePglite(database.db as never, { migrationsFolder });
    else await migratePostgres(database.db as never, { migrationsFolder });
  });
}
