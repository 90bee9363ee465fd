import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { and, eq, sql, type SQL } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, jsonRequest, type TestContext } from '../../../test/app.ts';
import { makeDossier } from '../../../test/fixtures.ts';
import { createWorld, type World } from '../../../test/world.ts';
import { historyKinds, hulpvraagStatuses, hulpvraagStatusHistory, hulpvragen } from '../../db/schema/index.ts';
import { migrationsFolder } from '../../db/migrate.ts';
import { insertStatusHistory } from '../hulpvragen/status-facts.ts';
import { doorlooptijdFromHistory as fromHistory } from '../../../test/doorlooptijd-from-history.ts';
import { doorlooptijdQuery, resolveFilters, type Filters } from './service.ts';

/**
 * The doorlooptijd now reads `registered_at` and `first_closed_at` on the hulpvraag. It must give
 * exactly the numbers of the query it replaced, which derived both from the Status informatie per
 * hulpvraag (`fromHistory`, verbatim from before, in server/test): on a shaped data set — re-opened and closed
 * again, closed into two different closing statuses, rows written out of time order, equal
 * instants, rows of other kinds (by rules) naming a closing status, closings around the period's
 * edges in Dutch time, a second organisation — for several periods and schools, and again after
 * each change to the list of statuses (what closes is the list *as it is now*).
 */
let t: TestContext;
let w: World;
const NOW = new Date('2026-01-15T09:00:00Z');
const day = 86_400_000;

async function rows<T>(query: SQL): Promise<T[]> {
  const result: unknown = await t.db.execute(query);
  return Array.isArray(result) ? (result as T[]) : (result as { rows: T[] }).rows;
}
const figure = async (query: SQL) => {
  const [r] = await rows<{ count: number; median: number | null }>(query);
  return { count: Number(r!.count), median: r!.median === null ? null : Number(r!.median) };
};

/** A deterministic pseudo-random sequence (mulberry32), so a failure can be replayed. */
function random(seed: number) {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let x = Math.imul(a ^ (a >>> 15), 1 | a);
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
    return ((x ^ (x >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** `n` hulpvragen in `dossierIds`, each with 1–7 rows of Status informatie in shapes that make a wrong first close fail. */
async function shaped(organisationId: string, dossierIds: string[], n: number, seed: number) {
  const next = random(seed);
  const statuses = ['aanmelding', 'in behandeling', 'advies', 'wacht op ouders', 'afgerond', 'doorverwezen'];
  for (let i = 0; i < n; i++) {
    // Registered between March 2024 and January 2026, at any minute of the day.
    const start = Date.UTC(2024, 2, 1) + Math.floor(next() * 690 * 24 * 60) * 60_000;
    const [h] = await t.db.insert(hulpvragen).values({
      organisationId, dossierId: dossierIds[i % dossierIds.length]!, date: new Date(start).toISOString().slice(0, 10), title: `Vorm ${i}`, status: 'aanmelding',
    }).returning({ id: hulpvragen.id });
    let at = start;
    let from: string | null = null;
    await insertStatusHistory(t.db, { hulpvraagId: h!.id, fromStatus: null, toStatus: 'aanmelding', changedAt: new Date(at) });
    for (let step = Math.floor(next() * 7); step > 0; step--) {
      const r = next();
      // Mostly forward by half a day to 80 days; sometimes the same instant, sometimes back in time (a clock that was wrong).
      at += r < 0.1 ? 0 : r < 0.2 ? -Math.floor(next() * 5 * day) : Math.floor((0.5 + next() * 80) * day);
      const to = statuses[Math.floor(next() * statuses.length)]!;
      // One row in six is a rule's note (coordinator, description, mail): it names the current status but is no status change.
      const kind = next() < 1 / 6 ? historyKinds[1 + Math.floor(next() * 3)]! : 'status';
      await insertStatusHistory(t.db, { hulpvraagId: h!.id, fromStatus: from, toStatus: to, kind, automatic: kind !== 'status', changedAt: new Date(at) });
      if (kind === 'status') from = to;
    }
  }
}

let cases: [string, Filters][];
/** Every case, or (after each change to the list of statuses) the organisation's two years and school A2's year. */
async function expectSameAsBefore(which: 'all' | 'some' = 'all') {
  for (const [label, f] of which === 'all' ? cases : [cases[1]!, cases[3]!]) {
    expect({ label, ...(await figure(doorlooptijdQuery(f))) }).toEqual({ label, ...(await figure(fromHistory(f))) });
  }
}

beforeAll(async () => {
  t = await createTestApp();
  w = await createWorld(t.db, t.env, NOW);
  for (const [name, closes] of [['wacht op ouders', false], ['doorverwezen', true]] as const) {
    expect((await t.app.request('/api/v1/hulpvraag-statuses', w.as('admin', jsonRequest('POST', { name, closes })))).status).toBe(201);
  }
  await t.db.insert(hulpvraagStatuses).values([{ organisationId: w.orgB.id, name: 'wacht op ouders', position: 5 }, { organisationId: w.orgB.id, name: 'doorverwezen', position: 6, closes: true }]);
  const a1 = [w.dossiers.own.id, w.dossiers.otherChild.id, (await makeDossier(t.db, w.orgA.id, w.schoolA1.id)).id];
  const a2 = [w.dossiers.otherSchool.id, (await makeDossier(t.db, w.orgA.id, w.schoolA2.id)).id];
  await shaped(w.orgA.id, a1, 120, 1);
  await shaped(w.orgA.id, a2, 80, 2);
  await shaped(w.orgB.id, [w.dossiers.otherOrg.id], 30, 3);
  const resolve = (query: Parameters<typeof resolveFilters>[2]) => resolveFilters(t.db, w.orgA.id, query, NOW);
  cases = [
    ['default (12 months)', await resolve({})],
    ['two years', await resolve({ from: '2024-02', to: '2026-01' })],
    ['school A1, two years', await resolve({ from: '2024-02', to: '2026-01', school: w.schoolA1.brin })],
    ['school A2, 12 months', await resolve({ school: w.schoolA2.brin })],
    ['one month around the clock change (March 2025)', await resolve({ from: '2025-03', to: '2025-03' })],
    ['October 2024', await resolve({ from: '2024-10', to: '2024-10' })],
    ['nothing closed yet (2016)', await resolve({ from: '2016-01', to: '2016-12' })],
    ['organisation B, two years', await resolveFilters(t.db, w.orgB.id, { from: '2024-02', to: '2026-01' }, NOW)],
  ];
}, 300_000);

afterAll(() => t?.close());

describe('doorlooptijd from first_closed_at', () => {
  it('gives the same count and median as the query on the Status informatie, for each period and school', async () => {
    await expectSameAsBefore();
    // The data set is not trivial: many first closings, some of them after a re-open.
    const twoYears = await figure(doorlooptijdQuery(cases[1]![1]));
    expect(twoYears.count).toBeGreaterThan(60);
    expect(twoYears.median).toBeGreaterThan(0);
    const [{ n } = { n: 0 }] = await rows<{ n: number }>(sql`select count(*)::int as n from hulpvragen h where h.organisation_id = ${w.orgA.id}
      and (select count(*) from hulpvraag_status_history e where e.hulpvraag_id = h.id and e.kind = 'status' and e.to_status in ('afgerond', 'doorverwezen')) > 1`);
    expect(Number(n)).toBeGreaterThan(15);
  }, 60_000);

  it('stays the same when the list of statuses changes what closes: closes flipped, a closing status renamed, deleted, made again', async () => {
    const id = async (name: string) => (await t.db.select({ id: hulpvraagStatuses.id }).from(hulpvraagStatuses)
      .where(and(eq(hulpvraagStatuses.organisationId, w.orgA.id), eq(hulpvraagStatuses.name, name))))[0]!.id;
    const before = await figure(doorlooptijdQuery(cases[1]![1]));
    const patch = async (name: string, body: unknown) => expect((await t.app.request(`/api/v1/hulpvraag-statuses/${await id(name)}`, w.as('admin', jsonRequest('PATCH', body)))).status).toBe(200);

    await patch('advies', { closes: true });
    await expectSameAsBefore('some');
    expect((await figure(doorlooptijdQuery(cases[1]![1]))).count).toBeGreaterThan(before.count); // advies now closes: more, earlier closings
    await patch('advies', { closes: false });
    await expectSameAsBefore('some');
    expect(await figure(doorlooptijdQuery(cases[1]![1]))).toEqual(before);

    // The history keeps the names it was written with: after a rename, earlier arrivals in "afgerond" no longer close.
    await patch('afgerond', { name: 'klaar' });
    await expectSameAsBefore('some');
    await patch('klaar', { name: 'afgerond' });
    await expectSameAsBefore('some');
    expect(await figure(doorlooptijdQuery(cases[1]![1]))).toEqual(before);

    // No hulpvraag is in "doorverwezen" now (they all stay in aanmelding), so it can go, and come back.
    expect((await t.app.request(`/api/v1/hulpvraag-statuses/${await id('doorverwezen')}`, w.as('admin', { method: 'DELETE' }))).status).toBe(204);
    await expectSameAsBefore('some');
    expect((await t.app.request('/api/v1/hulpvraag-statuses', w.as('admin', jsonRequest('POST', { name: 'doorverwezen', closes: true })))).status).toBe(201);
    await expectSameAsBefore('some');
    expect(await figure(doorlooptijdQuery(cases[1]![1]))).toEqual(before);
  }, 120_000);

  it('the migration backfills the same facts from the history as the writes kept', async () => {
    const facts = () => rows<{ id: string; registered: string | null; closed: string | null }>(sql`
      select id, registered_at::text as registered, first_closed_at::text as closed from hulpvragen order by id`);
    const kept = await facts();
    expect(kept.filter((r) => r.closed !== null).length).toBeGreaterThan(80);
    await t.db.execute(sql`update hulpvragen set registered_at = null, first_closed_at = null`);
    const backfill = readFileSync(join(migrationsFolder, '0014_hulpvraag_first_closed_at_backfill.sql'), 'utf8');
    await t.db.execute(sql.raw(backfill));
    expect(await facts()).toEqual(kept);
    await expectSameAsBefore();
  }, 60_000);

  it('is written with the status change (hulpvragen API, automation): re-opened and closed again keeps its first close', async () => {
    const clock = t.clock;
    clock.set(new Date('2025-09-01T08:00:00Z'));
    const created = await t.app.request(`/api/v1/dossiers/${w.dossiers.own.id}/hulpvragen`, w.as('coordinator', jsonRequest('POST', { title: 'Lezen' })));
    expect(created.status).toBe(201);
    const hid = ((await created.json()) as { id: string }).id;
    const facts = async (id: string) => (await t.db.select({ registeredAt: hulpvragen.registeredAt, firstClosedAt: hulpvragen.firstClosedAt }).from(hulpvragen).where(eq(hulpvragen.id, id)))[0]!;
    expect(await facts(hid)).toEqual({ registeredAt: new Date('2025-09-01T08:00:00Z'), firstClosedAt: null });
    const status = async (to: string) => {
      clock.advance(7 * day);
      expect((await t.app.request(`/api/v1/hulpvragen/${hid}`, w.as('coordinator', jsonRequest('PATCH', { status: to })))).status).toBe(200);
    };
    await status('in behandeling');
    expect((await facts(hid)).firstClosedAt).toBeNull();
    await status('afgerond'); // 2025-09-15
    await status('in behandeling');
    await status('doorverwezen'); // closes again, later
    expect(await facts(hid)).toEqual({ registeredAt: new Date('2025-09-01T08:00:00Z'), firstClosedAt: new Date('2025-09-15T08:00:00Z') });

    // A rule that closes: the automatic status change sets it in the same request.
    const rule = await t.app.request('/api/v1/automation-rules', w.as('admin', jsonRequest('POST', { name: 'Verhuisd', kind: 'title_keyword', keyword: 'verhuisd', setStatus: 'doorverwezen' })));
    expect(rule.status).toBe(201);
    clock.set(new Date('2025-10-03T10:30:00Z'));
    const moved = await t.app.request(`/api/v1/dossiers/${w.dossiers.own.id}/hulpvragen`, w.as('coordinator', jsonRequest('POST', { title: 'Verhuisd naar Arnhem' })));
    expect(moved.status).toBe(201);
    const movedId = ((await moved.json()) as { id: string }).id;
    const history = await t.db.select({ to: hulpvraagStatusHistory.toStatus, automatic: hulpvraagStatusHistory.automatic }).from(hulpvraagStatusHistory).where(eq(hulpvraagStatusHistory.hulpvraagId, movedId));
    expect(history).toContainEqual({ to: 'doorverwezen', automatic: true });
    expect(await facts(movedId)).toEqual({ registeredAt: new Date('2025-10-03T10:30:00Z'), firstClosedAt: new Date('2025-10-03T10:30:00Z') });
    await expectSameAsBefore();
  }, 60_000);
});
