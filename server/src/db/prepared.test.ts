import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from './client.ts';
import { createTestDatabase } from '../../test/db.ts';
import { preparedStatement } from './prepared.ts';

let database: Database;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(() => database?.close());

/** Every value comes back as the database understood it; on PGlite through PREPARE/EXECUTE with literals. */
const echo = preparedStatement<{ text: string | null; n: number | null; flag: boolean | null; at: string | null; id: string | null; big: string | null }>(`
  select $1::text as text, $2::int as n, $3::boolean as flag, to_char($4::timestamptz at time zone 'UTC', 'YYYY-MM-DD HH24:MI:SS.MS') as at, $5::uuid::text as id, ($6::bigint + 1)::text as big`);

describe('preparedStatement', () => {
  it.each([
    ["it's", 1],
    ["''; drop table audit_log; --", -2],
    ['back\\slash \\\' and $1 and $$ dollar', 0],
    ['ünïcødé ✓ 𝄞', 2147483647],
    ['', 3],
  ])('gives the value back as it was sent: %j', async (text, n) => {
    const [row] = await echo(database.db, [text, n, true, '2026-11-28T23:59:59.123Z', '00000000-0000-4000-8000-000000000001', 9007199254740990]);
    expect(row).toEqual({ text, n, flag: true, at: '2026-11-28 23:59:59.123', id: '00000000-0000-4000-8000-000000000001', big: '9007199254740991' });
  });

  it('null and false', async () => {
    const [row] = await echo(database.db, [null, null, false, null, null, null]);
    expect(row).toEqual({ text: null, n: null, flag: false, at: null, id: null, big: null });
  });

  it('a bad value fails its own call only', async () => {
    await expect(echo(database.db, ['x', 1, true, 'not a time', null, 1])).rejects.toThrow();
    expect((await echo(database.db, ['y', 1, true, null, null, 1]))[0]!.text).toBe('y');
  });

  it.runIf(!process.env.DATABASE_URL)('PGlite: the statement is prepared once and runs on the cached generic plan', async () => {
    const count = preparedStatement<{ n: number }>('select count(*)::int as n from audit_log where action = $1 and outcome = $2');
    for (let i = 0; i < 10; i++) await count(database.db, ['prepared.check', 'success']);
    const client = (database.db as unknown as { $client: { query(text: string): Promise<{ rows: { generic: number; custom: number }[] }> } }).$client;
    const { rows } = await client.query(`select generic_plans::int as generic, custom_plans::int as custom from pg_prepared_statements where statement like '%from audit_log where action = $1 and outcome = $2'`);
    expect(rows).toHaveLength(1);
    expect(rows[0]!.generic).toBeGreaterThanOrEqual(5);
  });
});
