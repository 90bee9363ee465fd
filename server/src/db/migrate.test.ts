import { sql } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { openPglite, openPostgres } from './client.ts';
import { migrateDatabase } from './migrate.ts';
import { createEmptyPostgresDatabase } from '../../test/db.ts';

const TABLES = ['app_meta', 'attachment_chunks', 'attachments', 'audit_log', 'dossiers', 'guardians', 'hulpvraag_status_history', 'hulpvragen', 'mail_outbox', 'news', 'one_time_tokens', 'organisations', 'rate_limits', 'schools', 'sessions', 'staff_schools', 'users'];

async function tableNames(db: Parameters<typeof migrateDatabase>[0]['db']) {
  const rows = await db.execute<{ table_name: string }>(sql`select table_name from information_schema.tables where table_schema = 'public' order by table_name`);
  return (Array.isArray(rows) ? rows : (rows as { rows: { table_name: string }[] }).rows).map((r) => r.table_name);
}

describe.runIf(!process.env.DATABASE_URL)('migrations on PGlite', () => {
  it('create every table on an empty database and are idempotent', async () => {
    const database = await openPglite();
    try {
      await migrateDatabase(database);
      expect(await tableNames(database.db)).toEqual(expect.arrayContaining(TABLES));
      await migrateDatabase(database); // a second start changes nothing and does not fail
      expect(await tableNames(database.db)).toEqual(expect.arrayContaining(TABLES));
    } finally {
      await database.close();
    }
  });
});

describe.runIf(!!process.env.DATABASE_URL)('migrations on PostgreSQL', () => {
  const drops: (() => Promise<void>)[] = [];
  afterAll(async () => {
    for (const drop of drops) await drop();
  });

  it('create every table on an empty database and are idempotent', async () => {
    const empty = (await createEmptyPostgresDatabase())!;
    drops.push(empty.drop);
    const database = openPostgres(empty.url, { max: 2 });
    try {
      await migrateDatabase(database);
      expect(await tableNames(database.db)).toEqual(expect.arrayContaining(TABLES));
      await migrateDatabase(database);
      const applied = await database.db.execute(sql`select count(*)::int as n from drizzle.__drizzle_migrations`);
      expect((applied as { n: number }[])[0]!.n).toBeGreaterThan(0);
    } finally {
      await database.close();
    }
  });

  it('lets only one of several processes starting at once migrate (advisory lock)', async () => {
    const empty = (await createEmptyPostgresDatabase())!;
    drops.push(empty.drop);
    const servers = Array.from({ length: 4 }, () => openPostgres(empty.url, { max: 2 }));
    try {
      await Promise.all(servers.map((s) => migrateDatabase(s)));
      const rows = (await servers[0]!.db.execute<{ n: number }>(sql`select hash, count(*)::int as n from drizzle.__drizzle_migrations group by hash`)) as { n: number }[];
      expect(rows.length).toBeGreaterThan(0);
      expect(rows.every((r) => r.n === 1)).toBe(true);
      expect(await tableNames(servers[0]!.db)).toEqual(expect.arrayContaining(TABLES));
    } finally {
      await Promise.all(servers.map((s) => s.close()));
    }
  });
});
