import { count } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { attachments, dossiers, hulpvragen, news, organisations } from './db/schema/index.ts';
import { demoPlan, isDemoSeeded, seedDemo } from './demo.ts';
import { DEMO_PASSWORD_WORDS, DEMO_WORDS, demoPassphrase, demoPasswordBits } from './demo-accounts.ts';
import { passwordProblem } from './lib/password.ts';
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

describe('the demo and production', () => {
  it('seeds by default only in development on the embedded database; in production only with --demo, with a warning', () => {
    expect(demoPlan({ nodeEnv: 'development', databaseKind: 'pglite', argv: [] })).toEqual({ seed: true, warning: null });
    expect(demoPlan({ nodeEnv: 'development', databaseKind: 'pglite', argv: ['--no-demo'] })).toEqual({ seed: false, warning: null });
    expect(demoPlan({ nodeEnv: 'development', databaseKind: 'postgres', argv: [] })).toEqual({ seed: false, warning: null });
    expect(demoPlan({ nodeEnv: 'development', databaseKind: 'postgres', argv: ['--demo'] })).toEqual({ seed: true, warning: null });
    for (const databaseKind of ['pglite', 'postgres'] as const) {
      expect(demoPlan({ nodeEnv: 'production', databaseKind, argv: [] })).toEqual({ seed: false, warning: null });
      expect(demoPlan({ nodeEnv: 'production', databaseKind, argv: ['--demo'] })).toEqual({ seed: true, warning: expect.stringContaining('WARNING') });
    }
  });

  it('gives demo passwords at least 60 bits of entropy (word list size × words × number)', () => {
    const words = new Set(DEMO_WORDS);
    expect(words.size).toBe(DEMO_WORDS.length); // no duplicates: each one would lower the entropy
    for (const w of words) expect(w).toMatch(/^[a-z]+$/);
    const bits = DEMO_PASSWORD_WORDS * Math.log2(words.size) + Math.log2(9000);
    expect(demoPasswordBits()).toBeCloseTo(bits, 10);
    expect(bits).toBeGreaterThanOrEqual(60);
    const seen = new Set<string>();
    for (let i = 0; i < 200; i++) {
      const p = demoPassphrase();
      expect(p).toMatch(new RegExp(`^([a-z]+-){${DEMO_PASSWORD_WORDS}}[1-9]\\d{3}$`));
      for (const w of p.split('-').slice(0, -1)) expect(words.has(w)).toBe(true);
      expect(passwordProblem(p, 'd.ouder')).toBeNull();
      seen.add(p);
    }
    expect(seen.size).toBe(200);
  });
});
