import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { asc, sql } from 'drizzle-orm';
import { migrate } from 'drizzle-orm/pglite/migrator';
import { describe, expect, it } from 'vitest';
import { openPglite } from './client.ts';
import { migrationsFolder } from './migrate.ts';
import { hulpvraagStatuses } from './schema/index.ts';

/** The migrations folder as it was before `tag`'s migration (a copy with a shorter journal). */
function foldersBefore(tagSuffix: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'kk-migrations-'));
  cpSync(migrationsFolder, dir, { recursive: true });
  const journalPath = join(dir, 'meta', '_journal.json');
  const journal = JSON.parse(readFileSync(journalPath, 'utf8')) as { entries: { tag: string }[] };
  const at = journal.entries.findIndex((e) => e.tag.endsWith(tagSuffix));
  expect(at).toBeGreaterThan(0);
  writeFileSync(journalPath, JSON.stringify({ ...journal, entries: journal.entries.slice(0, at) }));
  return dir;
}

describe.runIf(!process.env.DATABASE_URL)('the statuses migration on an existing database', () => {
  it('gives every organisation the four statuses plus those its hulpvragen already use, so the foreign key holds', async () => {
    const database = await openPglite();
    try {
      await migrate(database.db as never, { migrationsFolder: foldersBefore('_hulpvraag_statuses') });
      await database.db.execute(sql`
        with o as (insert into organisations (code, name) values ('OLD1', 'Oud') returning id),
             s as (insert into schools (organisation_id, brin, name) select id, '11AA00', 'School' from o returning id, organisation_id),
             d as (insert into dossiers (organisation_id, school_id, first_name, last_name, birth_date) select organisation_id, id, 'Kim', 'Oud', '2015-01-01' from s returning id, organisation_id)
        insert into hulpvragen (organisation_id, dossier_id, date, title, status)
        select organisation_id, id, '2024-01-01', t, st from d, (values ('een', 'aanmelding'), ('twee', 'wacht op ouders'), ('drie', 'afgerond')) v(t, st)`);
      await database.db.execute(sql`insert into organisations (code, name) values ('OLD2', 'Leeg')`);
      await migrate(database.db as never, { migrationsFolder });
      const rows = await database.db.execute<{ code: string; name: string; position: number; closes: boolean }>(sql`
        select o.code, s.name, s.position, s.closes from hulpvraag_statuses s join organisations o on o.id = s.organisation_id order by o.code, s.position`);
      const list = (rows as unknown as { rows: { code: string; name: string; position: number; closes: boolean }[] }).rows;
      expect(list.filter((r) => r.code === 'OLD1').map((r) => [r.name, r.position, r.closes])).toEqual([
        ['aanmelding', 1, false], ['in behandeling', 2, false], ['advies', 3, false], ['afgerond', 4, true], ['wacht op ouders', 5, false],
      ]);
      expect(list.filter((r) => r.code === 'OLD2').map((r) => r.name)).toEqual(['aanmelding', 'in behandeling', 'advies', 'afgerond']);
      // The foreign key is in place: an unknown status is refused by the database itself.
      await expect(database.db.execute(sql`update hulpvragen set status = 'onbekend'`)).rejects.toThrow();
      expect(await database.db.select().from(hulpvraagStatuses).orderBy(asc(hulpvraagStatuses.position))).toHaveLength(9);
    } finally {
      await database.close();
    }
  });
});
