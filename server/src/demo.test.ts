import { count } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { attachments, dossiers, hulpvragen, news, organisations } from './db/schema/index.ts';
import { isDemoSeeded, seedDemo } from './demo.ts';
import { createTestDatabase } from '../test/db.ts';
import type { Database } from './db/client.ts';

describe('seedDemo', () => {
  let database: Database;
  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(() => database.close());

  it('seeds the demo organisation with the child, the hulpvraag, a PDF and news', async () => {
    const demo = await seedDemo(database.db);
    expect(demo).toMatchObject({ organisation: { code: 'PO2507', name: 'Stromenland' }, hulpvraag: { title: 'Preventief SCP observatie' } });
    const [hv] = await database.db.select().from(hulpvragen);
    expect(hv).toMatchObject({ date: '2020-06-12', status: 'aanmelding' });
    const [att] = await database.db.select().from(attachments);
    expect(att).toMatchObject({ contentType: 'application/pdf', hulpvraagId: hv!.id });
    expect(await isDemoSeeded(database.db)).toBe(true);
  });

  it('runs once only', async () => {
    expect(await seedDemo(database.db)).toBeNull();
    for (const table of [organisations, dossiers, hulpvragen, attachments]) {
      expect((await database.db.select({ n: count() }).from(table))[0]!.n).toBe(1);
    }
    expect((await database.db.select({ n: count() }).from(news))[0]!.n).toBe(2);
  });
});
