import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { createTestApp, type TestContext } from '../../../test/app.ts';
import { copyChunks } from './chunk-sql.ts';

let t: TestContext;
beforeAll(async () => {
  t = await createTestApp();
}, 180_000);
afterAll(() => t?.close());

async function* pieces(n: number) {
  for (let i = 0; i < n; i++) yield Buffer.alloc(64 * 1024, i);
}

// The foreign key is checked when the COPY ends, after the last byte was sent: postgres.js does
// not hand that error to the stream, so copyChunks must see it through the next statement.
it('a COPY that fails at its end rejects at once, and the connection is usable afterwards', async () => {
  const started = Date.now();
  await expect(t.db.transaction((tx) => copyChunks(tx, randomUUID(), pieces(3)))).rejects.toThrow();
  expect(Date.now() - started).toBeLessThan(5_000);
  await expect(t.db.execute(sql`select 1`)).resolves.toBeDefined();
});
