import { asc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../db/client.ts';
import { auditLog } from '../../db/schema/index.ts';
import { createTestDatabase } from '../../../test/db.ts';
import { recordAudit } from './service.ts';

let database: Database;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(() => database?.close());

const rowsOf = (action: string) => database.db.select().from(auditLog).where(eq(auditLog.action, action)).orderBy(asc(auditLog.id));

describe('audit group commit', () => {
  it('writes every row of concurrent reads, in call order, before each call resolves', async () => {
    const labels = Array.from({ length: 40 }, (_, i) => `dossier ${i}`);
    const ids = await Promise.all(labels.map((subjectLabel) => recordAudit(database.db, { action: 'group.read', outcome: 'success', subjectLabel })));
    const rows = await rowsOf('group.read');
    expect(rows.map((r) => r.subjectLabel)).toEqual(labels);
    expect(rows.map((r) => r.id)).toEqual(ids); // each caller gets the id of its own row
  });

  it('rows one after the other, and a burst while a batch waits for its interval, are all written', async () => {
    // The first row goes at once; the next ones arrive within the interval (they wait, or a full batch goes early).
    const first = await recordAudit(database.db, { action: 'group.paced', outcome: 'success', subjectLabel: 'a' });
    const second = await recordAudit(database.db, { action: 'group.paced', outcome: 'success', subjectLabel: 'b' });
    const burst = await Promise.all(Array.from({ length: 40 }, (_, i) => recordAudit(database.db, { action: 'group.paced', outcome: 'success', subjectLabel: `c${i}` })));
    const rows = await rowsOf('group.paced');
    expect(rows.map((r) => r.subjectLabel)).toEqual(['a', 'b', ...burst.map((_, i) => `c${i}`)]);
    expect(rows.map((r) => r.id)).toEqual([first, second, ...burst]);
  });

  it('a bad row fails only its own call; the others of its batch are written', async () => {
    const calls = Array.from({ length: 10 }, (_, i) =>
      recordAudit(database.db, { action: 'group.mixed', outcome: 'success', subjectLabel: `n${i}`, dossierId: i === 4 ? 'not-a-uuid' : null }),
    );
    const settled = await Promise.allSettled(calls);
    expect(settled.map((s) => s.status)).toEqual(settled.map((_, i) => (i === 4 ? 'rejected' : 'fulfilled')));
    expect((await rowsOf('group.mixed')).map((r) => r.subjectLabel)).toEqual(['n0', 'n1', 'n2', 'n3', 'n5', 'n6', 'n7', 'n8', 'n9']);
  });

  it('inside a transaction the row belongs to it: a rollback removes it', async () => {
    await expect(
      database.db.transaction(async (tx) => {
        await recordAudit(tx, { action: 'group.tx', outcome: 'success' });
        throw new Error('roll back');
      }),
    ).rejects.toThrow('roll back');
    expect(await rowsOf('group.tx')).toEqual([]);
  });
});
