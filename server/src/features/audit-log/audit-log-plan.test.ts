import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../db/client.ts';
import { createTestDatabase } from '../../../test/db.ts';
import { explain } from '../../../test/explain.ts';
import { auditPageQuery } from './service.ts';
import type { AuditFilters } from './schemas.ts';

/**
 * A page of the audit log (and each batch of its export) must read an index in (at, id) order and
 * stop after one page: never sort the organisation's rows (a year of a large partnership is
 * millions). Runs on PGlite and PostgreSQL (both use PostgreSQL's planner).
 */
let database: Database;
const org = '11111111-1111-4111-8111-111111111111';
const actor = '22222222-2222-4222-8222-222222222222';
const dossier = '33333333-3333-4333-8333-333333333333';

beforeAll(async () => {
  database = await createTestDatabase();
  await database.db.execute(sql`insert into audit_log (organisation_id, at, action, outcome, actor_user_id, dossier_id)
    select case when g % 2 = 0 then ${org}::uuid else gen_random_uuid() end, timestamptz '2030-01-01' + g * interval '1 minute',
      case when g % 7 = 0 then 'attachment.download' else 'dossier.read' end, case when g % 50 = 0 then 'denied' else 'success' end,
      case when g % 100 = 0 then ${actor}::uuid else null end, case when g % 1000 = 0 then ${dossier}::uuid else null end
    from generate_series(1, 60000) g`);
  await database.db.execute(sql`analyze audit_log`);
});
afterAll(() => database?.close());

const plan = (filters: AuditFilters, after = false) =>
  explain(database, auditPageQuery(database.db, org, filters, after ? { at: '2030-01-20 00:00:00+00', id: 30000 } : null, 51));

describe('audit log page query plan', () => {
  it.each([
    ['no filter', {}, 'audit_log_org_idx'],
    ['a period', { from: '2030-01-05T00:00:00Z', to: '2030-01-10T00:00:00Z' }, 'audit_log_org_idx'],
    ['an action', { action: 'attachment.*' }, 'audit_log_org_idx'],
    ['refused', { outcome: 'denied' }, 'audit_log_refusals_idx'],
    ['failed, and an action', { outcome: 'failure', action: 'login' }, 'audit_log_refusals_idx'],
    ['who', { actorId: actor }, 'audit_log_actor_idx'],
    ['a dossier', { dossierId: dossier }, 'audit_log_dossier_idx'],
  ] as [string, AuditFilters, string][])('%s: reads %s in order, no sort (first page and after a cursor)', async (_, filters, index) => {
    for (const after of [false, true]) {
      const text = await plan(filters, after);
      expect(text).toContain(index);
      expect(text).not.toMatch(/\bSort\b/);
      expect(text).not.toMatch(/Seq Scan/);
    }
  });
});
