import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestContext } from '../../../test/app.ts';
import { makeDossier } from '../../../test/fixtures.ts';
import { createWorld, type World } from '../../../test/world.ts';
import { auditLog, dossierEntries, hulpvraagStatuses, hulpvragen, schools } from '../../db/schema/index.ts';
import { insertStatusHistory } from '../hulpvragen/status-facts.ts';

/**
 * Data that makes a wrong aggregation fail. Today is 2026-01-15 (the test clock); the default
 * period is 2025-02 … 2026-01. Organisation A has two schools (A1, A2) and a second closing
 * status (*doorverwezen*); organisation B has its own hulpvraag and TLV that must never show.
 *
 * | hulpvraag | school | date       | history                                                      | first close        |
 * |-----------|--------|------------|--------------------------------------------------------------|--------------------|
 * | h1        | A1     | 2025-03-10 | aanmelding → in behandeling → afgerond (day 10) → in behandeling → afgerond (day 60) | 10 days |
 * | h2        | A1     | 2025-06-05 | aanmelding ↔ in behandeling, back and forth, never closed     | —                  |
 * | h3        | A2     | 2025-06-20 | aanmelding → afgerond (day 30)                                | 30 days            |
 * | h4        | A2     | 2025-12-01 | aanmelding → doorverwezen (day 20)                            | 20 days            |
 * | h5        | A2     | 2024-12-15 | aanmelding → afgerond at 2025-01-31T23:30Z (= 1 Feb 00:30 in NL) | 47.6 days (in the period by Dutch time) |
 * | h6        | A1     | 2024-06-01 | aanmelding → afgerond 2024-07-01 (before the period)          | —                  |
 * | h7        | A1     | 2026-01-10 | aanmelding                                                    | —                  |
 * | hB        | B1     | 2025-06-01 | aanmelding → afgerond (day 2), organisation B                 | B only             |
 *
 * Median of A: 10, 20, 30, 47.6 → 25 (the last close instead of the first gives 45; leaving out
 * h5 or using UTC months gives 20; counting B gives 20).
 */
let t: TestContext;
let w: World;

const day = 86_400_000;
async function hulpvraag(orgId: string, dossierId: string, date: string, status: string, steps: [string, string][]) {
  const [h] = await t.db.insert(hulpvragen).values({ organisationId: orgId, dossierId, date, title: `Hulpvraag ${date}`, status }).returning();
  let from: string | null = null;
  for (const [at, to] of steps) {
    await insertStatusHistory(t.db, { hulpvraagId: h!.id, fromStatus: from, toStatus: to, changedAt: new Date(at) }); // as the hulpvragen service writes it
    from = to;
  }
  return h!.id;
}
async function tlv(orgId: string, dossierId: string, endDate: string, tlvStatus: 'toegekend' | 'aangevraagd' = 'toegekend', archivedAt: Date | null = null) {
  const [row] = await t.db.insert(dossierEntries).values({ organisationId: orgId, dossierId, kind: 'tlv', date: '2024-08-01', title: 'TLV', tlvType: 'sbo', tlvStatus, startDate: '2024-08-01', endDate, archivedAt }).returning();
  return row!.id;
}

let tlv2Months: string;
let tlvBoundary: string;
let a2Dossier: { id: string; firstName: string; lastName: string };

beforeAll(async () => {
  t = await createTestApp();
  w = await createWorld(t.db, t.env, t.clock.now());
  const { orgA, orgB, schoolA1, schoolA2, schoolB1 } = w;
  await t.db.update(schools).set({ name: '=Klimop, "De"' }).where(eq(schools.id, schoolA2.id)); // a formula and a quote, for the CSV
  await t.db.update(schools).set({ name: 'Regenboog' }).where(eq(schools.id, schoolA1.id));
  await t.db.insert(hulpvraagStatuses).values({ organisationId: orgA.id, name: 'doorverwezen', position: 5, closes: true });
  const a1 = w.dossiers.own.id;
  const a2 = await makeDossier(t.db, orgA.id, schoolA2.id, { firstName: 'Noor', lastName: '+Bakker' });
  a2Dossier = a2;
  const b1 = await makeDossier(t.db, orgB.id, schoolB1.id);
  const at = (d: string, plus = 0) => new Date(new Date(`${d}T09:00:00Z`).getTime() + plus * day).toISOString();
  await hulpvraag(orgA.id, a1, '2025-03-10', 'afgerond', [
    [at('2025-03-10'), 'aanmelding'], [at('2025-03-10', 2), 'in behandeling'], [at('2025-03-10', 10), 'afgerond'],
    [at('2025-03-10', 22), 'in behandeling'], [at('2025-03-10', 60), 'afgerond'],
  ]);
  await hulpvraag(orgA.id, a1, '2025-06-05', 'in behandeling', [
    [at('2025-06-05'), 'aanmelding'], [at('2025-06-05', 1), 'in behandeling'], [at('2025-06-05', 3), 'aanmelding'], [at('2025-06-05', 5), 'in behandeling'],
  ]);
  await hulpvraag(orgA.id, a2.id, '2025-06-20', 'afgerond', [[at('2025-06-20'), 'aanmelding'], [at('2025-06-20', 30), 'afgerond']]);
  await hulpvraag(orgA.id, a2.id, '2025-12-01', 'doorverwezen', [[at('2025-12-01'), 'aanmelding'], [at('2025-12-01', 20), 'doorverwezen']]);
  await hulpvraag(orgA.id, a2.id, '2024-12-15', 'afgerond', [[at('2024-12-15'), 'aanmelding'], ['2025-01-31T23:30:00Z', 'afgerond']]);
  await hulpvraag(orgA.id, a1, '2024-06-01', 'afgerond', [[at('2024-06-01'), 'aanmelding'], [at('2024-07-01'), 'afgerond']]);
  await hulpvraag(orgA.id, a1, '2026-01-10', 'aanmelding', [[at('2026-01-10'), 'aanmelding']]);
  await hulpvraag(orgB.id, b1.id, '2025-06-01', 'afgerond', [[at('2025-06-01'), 'aanmelding'], [at('2025-06-01', 2), 'afgerond']]);

  tlv2Months = await tlv(orgA.id, a1, '2026-03-15');
  await tlv(orgA.id, a2.id, '2026-05-15'); // 4 months: not yet
  await tlv(orgA.id, a1, '2026-01-10'); // already ended
  await tlv(orgA.id, a2.id, '2026-02-01', 'aangevraagd'); // not granted
  await tlv(orgA.id, a1, '2026-03-01', 'toegekend', new Date('2025-12-01T10:00:00Z')); // archived: out of every list
  tlvBoundary = await tlv(orgA.id, a2.id, '2026-04-15'); // exactly 3 months: included
  await tlv(orgB.id, b1.id, '2026-02-01'); // another organisation
});
afterAll(() => t.close());

const get = async (path: string, who: Parameters<World['as']>[0] = 'coordinator') => {
  const res = await t.app.request(path, w.as(who));
  return { status: res.status, body: res.status === 200 ? await res.json() : await res.json() };
};

describe('GET /api/v1/kengetallen', () => {
  it('counts the period by status, by school and per month, with zeros, for the own organisation only', async () => {
    const { status, body } = await get('/api/v1/kengetallen');
    expect(status).toBe(200);
    expect(body.period).toEqual({ from: '2025-02', to: '2026-01' });
    expect(body.school).toBeNull();
    expect(body.byStatus).toEqual([
      { status: 'aanmelding', closes: false, count: 1 },
      { status: 'in behandeling', closes: false, count: 1 },
      { status: 'advies', closes: false, count: 0 },
      { status: 'afgerond', closes: true, count: 2 },
      { status: 'doorverwezen', closes: true, count: 1 },
    ]);
    expect(body.bySchool).toEqual([
      { brin: w.schoolA1.brin, name: 'Regenboog', count: 3 },
      { brin: w.schoolA2.brin, name: '=Klimop, "De"', count: 2 },
    ]);
    expect(body.perMonth).toHaveLength(12);
    expect(body.perMonth[0]).toEqual({ month: '2025-02', count: 0 });
    expect(body.perMonth.filter((m: { count: number }) => m.count > 0)).toEqual([
      { month: '2025-03', count: 1 }, { month: '2025-06', count: 2 }, { month: '2025-12', count: 1 }, { month: '2026-01', count: 1 },
    ]);
  });

  it('takes the median from the first closing (any closing status), by Dutch months, for hulpvragen closed in the period', async () => {
    const { body } = await get('/api/v1/kengetallen');
    expect(body.doorlooptijd).toEqual({ medianDays: 25, count: 4 });
    // A period that ends before h5 closed in Dutch time (31 Jan 23:30 UTC is 1 Feb): h5 is not in January.
    expect((await get('/api/v1/kengetallen?from=2025-01&to=2025-01')).body.doorlooptijd).toEqual({ medianDays: null, count: 0 });
    // h1's second closing (May) does not count again.
    expect((await get('/api/v1/kengetallen?from=2025-05&to=2025-05')).body.doorlooptijd).toEqual({ medianDays: null, count: 0 });
    expect((await get('/api/v1/kengetallen?from=2025-02&to=2025-03')).body.doorlooptijd).toEqual({ medianDays: 28.8, count: 2 }); // 10 and 47.6
  });

  it('lists the granted TLVs ending within 3 months (the end day included), soonest first', async () => {
    const { body } = await get('/api/v1/kengetallen');
    expect(body.today).toBe('2026-01-15');
    expect(body.tlvExpiring.until).toBe('2026-04-15');
    expect(body.tlvExpiring.count).toBe(2);
    expect(body.tlvExpiring.items.map((i: { id: string; endDate: string }) => [i.id, i.endDate])).toEqual([[tlv2Months, '2026-03-15'], [tlvBoundary, '2026-04-15']]);
    expect(body.tlvExpiring.items[1]).toMatchObject({ dossierId: a2Dossier.id, firstName: 'Noor', lastName: '+Bakker', school: { brin: w.schoolA2.brin }, type: 'sbo' });
  });

  it('filters every figure by school (BRIN)', async () => {
    const a1 = (await get(`/api/v1/kengetallen?school=${w.schoolA1.brin}`)).body;
    expect(a1.school).toEqual({ brin: w.schoolA1.brin, name: 'Regenboog' });
    expect(a1.byStatus.map((s: { count: number }) => s.count)).toEqual([1, 1, 0, 1, 0]);
    expect(a1.bySchool).toEqual([{ brin: w.schoolA1.brin, name: 'Regenboog', count: 3 }]);
    expect(a1.perMonth.reduce((n: number, m: { count: number }) => n + m.count, 0)).toBe(3);
    expect(a1.doorlooptijd).toEqual({ medianDays: 10, count: 1 });
    expect(a1.tlvExpiring.items.map((i: { id: string }) => i.id)).toEqual([tlv2Months]);
    const a2 = (await get(`/api/v1/kengetallen?school=${w.schoolA2.brin}`)).body;
    expect(a2.doorlooptijd).toEqual({ medianDays: 30, count: 3 });
    expect(a2.tlvExpiring.count).toBe(1);
  });

  it('a coordinator of another organisation sees only theirs', async () => {
    const res = await t.app.request('/api/v1/kengetallen', { headers: { authorization: `Bearer ${await signInB()}` } });
    const body = await res.json();
    expect(res.status).toBe(200);
    expect(body.byStatus.find((s: { status: string }) => s.status === 'afgerond').count).toBe(1);
    expect(body.bySchool).toEqual([{ brin: w.schoolB1.brin, name: w.schoolB1.name, count: 1 }]);
    expect(body.doorlooptijd).toEqual({ medianDays: 2, count: 1 });
    expect(body.tlvExpiring.count).toBe(1);
    // Organisation A's BRIN is unknown there.
    const other = await t.app.request(`/api/v1/kengetallen?school=${w.schoolA1.brin}`, { headers: { authorization: `Bearer ${await signInB()}` } });
    expect(other.status).toBe(400);
  });

  it('is for coordinators, admins and tokens with dossiers:read; school staff and parents get 403', async () => {
    expect((await get('/api/v1/kengetallen', 'admin')).status).toBe(200);
    expect((await get('/api/v1/kengetallen', 'school')).status).toBe(403);
    expect((await get('/api/v1/kengetallen', 'parent')).status).toBe(403);
    const token = await t.app.request('/api/v1/kengetallen', { headers: { authorization: `Bearer ${w.apiTokens['dossiers:read']}` } });
    expect(token.status).toBe(200);
  });

  it('refuses bad filters with a clear 400', async () => {
    for (const [query, path] of [['from=2025-06&to=2025-01', 'from'], ['from=2025-13', 'from'], ['to=2025', 'to'], ['school=XX99ZZ', 'school'], ['from=2000-01&to=2015-01', 'from']] as const) {
      const { status, body } = await get(`/api/v1/kengetallen?${query}`);
      expect([query, status, body.code]).toEqual([query, 400, 'validation_failed']);
      expect(body.detail).toContain(path);
    }
  });

  it('records the read in the audit log with its filters', async () => {
    await get(`/api/v1/kengetallen?school=${w.schoolA1.brin}&from=2025-01&to=2025-06`, 'admin');
    const rows = await t.db.select().from(auditLog).where(eq(auditLog.action, 'kengetallen.read'));
    expect(rows.at(-1)?.detail).toEqual({ school: w.schoolA1.brin, from: '2025-01', to: '2025-06' });
  });
});

let tokenB: string | null = null;
async function signInB() {
  const { signIn } = await import('../../../test/fixtures.ts');
  return (tokenB ??= await signIn(t.db, w.users.coordinatorB.id, t.clock.now(), t.env));
}

describe('GET /api/v1/kengetallen/{table}/csv', () => {
  const csv = async (table: string, query = '') => {
    const res = await t.app.request(`/api/v1/kengetallen/${table}/csv${query}`, w.as('coordinator'));
    const bytes = new Uint8Array(await res.arrayBuffer());
    return { res, bytes, text: new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes) };
  };

  it('answers CSV for Dutch Excel (lib/csv.ts): UTF-8 BOM, ; between cells, CRLF, RFC 4180 quoting and the formula guard', async () => {
    const { res, bytes, text } = await csv('bySchool');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(res.headers.get('content-disposition')).toBe('attachment; filename="kengetallen-bySchool-2025-02-2026-01.csv"');
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    // The school's name "=Klimop, "De"": the guard's apostrophe, quoted for the comma and the quotes, ; around it.
    expect(text).toBe(`\uFEFFBRIN;School;Aantal hulpvragen\r\n${w.schoolA1.brin};Regenboog;3\r\n${w.schoolA2.brin};"'=Klimop, ""De""";2\r\n`);
  });

  it('has each table, the same numbers as the JSON', async () => {
    expect((await csv('byStatus')).text).toBe('\uFEFFStatus;Sluit de hulpvraag;Aantal hulpvragen\r\naanmelding;nee;1\r\nin behandeling;nee;1\r\nadvies;nee;0\r\nafgerond;ja;2\r\ndoorverwezen;ja;1\r\n');
    const months = (await csv('perMonth')).text.split('\r\n');
    expect(months).toHaveLength(14); // header, 12 months, the empty end
    expect(months[2]).toBe('2025-03;1');
    expect((await csv('doorlooptijd')).text).toBe('\uFEFFVan;Tot en met;Mediaan dagen van aanmelding tot afgerond;Aantal afgeronde hulpvragen\r\n2025-02;2026-01;25;4\r\n');
    const tlvs = await csv('tlvExpiring', `?school=${w.schoolA2.brin}`);
    expect(tlvs.res.headers.get('content-disposition')).toBe(`attachment; filename="kengetallen-tlvExpiring-2026-01-15-${w.schoolA2.brin}.csv"`);
    // "+Bakker" would be a formula: it gets the apostrophe (no quotes needed, nothing to quote).
    expect(tlvs.text).toBe(`\uFEFFEinddatum;Achternaam;Voornaam;BRIN;School;Soort TLV\r\n2026-04-15;'+Bakker;Noor;${w.schoolA2.brin};"'=Klimop, ""De""";sbo\r\n`);
  });

  it('refuses an unknown table (400) and school staff (403), and audits the export', async () => {
    expect((await csv('nope')).res.status).toBe(400);
    expect((await t.app.request('/api/v1/kengetallen/byStatus/csv', w.as('school'))).status).toBe(403);
    const rows = await t.db.select().from(auditLog).where(eq(auditLog.action, 'kengetallen.export'));
    expect(rows.some((r) => (r.detail as { table?: string }).table === 'tlvExpiring' && (r.detail as { rows?: number }).rows === 1)).toBe(true);
  });
});
