import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { and, desc, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createTestApp, type TestContext } from '../../../test/app.ts';
import { auditLog } from '../../db/schema/index.ts';
import { createWorld, type World } from '../../../test/world.ts';
import { EXPORT_BATCH } from './service.ts';

let t: TestContext;
let w: World;
const T0 = Date.parse('2031-03-01T12:00:00Z');

/** Rows of organisation A (and one of B) in 2031, away from what the world and the requests write. */
async function seed() {
  const a = w.orgA.id;
  const base = { organisationId: a, actorRole: 'coordinator', actorDisplayName: 'Coördinator', actorUserId: w.users.coordinator.id, subjectType: 'dossier' };
  await t.db.insert(auditLog).values([
    { ...base, at: new Date(T0), action: 'dossier.read', outcome: 'success', dossierId: w.dossiers.own.id, subjectLabel: 'Sam Eigen' },
    { ...base, at: new Date(T0 + 1000), action: 'attachment.download', outcome: 'success', dossierId: w.dossiers.own.id },
    { ...base, at: new Date(T0 + 2000), action: 'dossier.update', outcome: 'denied', actorUserId: w.users.school.id, actorRole: 'school', actorDisplayName: '=HYPERLINK("http://evil","x")' },
    { ...base, at: new Date(T0 + 3000), action: 'login', outcome: 'failure', actorUserId: null, actorRole: null, actorDisplayName: null, subjectType: 'user', detail: { reason: 'bad_code' } },
    { ...base, organisationId: w.orgB.id, at: new Date(T0 + 1500), action: 'dossier.read', outcome: 'success', dossierId: w.dossiers.otherOrg.id },
  ]);
}

const period = `from=${encodeURIComponent(new Date(T0).toISOString())}&to=${encodeURIComponent(new Date(T0 + 10_000).toISOString())}`;
const list = async (query: string) => {
  const res = await t.app.request(`/api/v1/audit-log?${period}&${query}`, { headers: bearer(w.tokens.admin) });
  expect(res.status).toBe(200);
  expect(res.headers.get('cache-control')).toBe('no-store');
  return (await res.json()) as { items: { action: string; outcome: string; actor: { id: string | null } | null; dossierId: string | null }[]; nextCursor: string | null };
};

describe('the audit log (Beheer → Auditlog)', () => {
  beforeAll(async () => {
    t = await createTestApp();
    w = await createWorld(t.db, t.env, t.clock.now());
    await seed();
  });
  afterAll(() => t.close());

  it('lists the organisation’s entries newest first, and filters by who, what, dossier, period and outcome', async () => {
    expect((await list('')).items.map((i) => i.action)).toEqual(['login', 'dossier.update', 'attachment.download', 'dossier.read']);
    expect((await list(`actorId=${w.users.school.id}`)).items.map((i) => i.action)).toEqual(['dossier.update']);
    expect((await list('action=dossier.*')).items.map((i) => i.action)).toEqual(['dossier.update', 'dossier.read']);
    expect((await list('action=attachment.download')).items).toHaveLength(1);
    expect((await list(`dossierId=${w.dossiers.own.id}`)).items.map((i) => i.action)).toEqual(['attachment.download', 'dossier.read']);
    expect((await list('outcome=denied')).items.map((i) => i.action)).toEqual(['dossier.update']);
    expect((await list('outcome=failure')).items.map((i) => i.action)).toEqual(['login']);
    const narrow = `from=${encodeURIComponent(new Date(T0 + 1000).toISOString())}&to=${encodeURIComponent(new Date(T0 + 3000).toISOString())}`;
    const res = await t.app.request(`/api/v1/audit-log?${narrow}`, { headers: bearer(w.tokens.admin) });
    expect((await res.json()).items.map((i: { action: string }) => i.action)).toEqual(['dossier.update', 'attachment.download']);
    // Organisation B's entry at T0 + 1.5 s is never there.
    expect((await list(`dossierId=${w.dossiers.otherOrg.id}`)).items).toEqual([]);
  });

  it('pages by keyset: every row once, in order, also among rows with the same instant', async () => {
    const at = new Date(T0 + 60_000); // outside `period`
    await t.db.execute(sql`insert into audit_log (organisation_id, at, action, outcome) select ${w.orgA.id}, ${at.toISOString()}::timestamptz, 'paging.test', 'success' from generate_series(1, 23)`);
    const all = await t.db.select({ id: auditLog.id }).from(auditLog).where(and(eq(auditLog.action, 'paging.test'))).orderBy(desc(auditLog.id));
    const seen: number[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const res: Response = await t.app.request(`/api/v1/audit-log?action=paging.test&pageSize=5${cursor ? `&cursor=${cursor}` : ''}`, { headers: bearer(w.tokens.admin) });
      const page = (await res.json()) as { items: { id: number }[]; nextCursor: string | null };
      seen.push(...page.items.map((i) => i.id));
      cursor = page.nextCursor;
      pages++;
    } while (cursor && pages < 10);
    expect(pages).toBe(5);
    expect(seen).toEqual(all.map((r) => r.id));
  });

  it('refuses a bad cursor or filter with a problem that names it (400)', async () => {
    for (const q of ['cursor=nonsense', 'outcome=maybe', 'actorId=1', 'from=gisteren', 'pageSize=1000']) {
      const res = await t.app.request(`/api/v1/audit-log?${q}`, { headers: bearer(w.tokens.admin) });
      expect([q, res.status]).toEqual([q, 400]);
      const body = await res.json();
      expect(body.code).toBe('validation_failed');
      expect(body.detail).toContain(q.split('=')[0]);
    }
  });

  it('a read of the log is itself in the log, with its filters', async () => {
    await list('outcome=denied');
    const [entry] = await t.db.select().from(auditLog).where(and(eq(auditLog.action, 'audit-log.read'), eq(auditLog.actorUserId, w.users.admin.id))).orderBy(desc(auditLog.id)).limit(1);
    expect(entry).toMatchObject({ outcome: 'success', organisationId: w.orgA.id, detail: { filters: { outcome: 'denied' }, entries: 1 } });
  });

  it('exports the filtered entries as CSV that Dutch Excel opens: BOM, ;, CRLF, quoted, formulas defused; and audits the export', async () => {
    const res = await t.app.request(`/api/v1/audit-log/export?${period}`, { headers: bearer(w.tokens.admin) });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(res.headers.get('content-disposition')).toMatch(/^attachment; filename="auditlog-\d{4}-\d\d-\d\d\.csv"$/);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const bytes = Buffer.from(await res.arrayBuffer());
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = bytes.toString('utf8').slice(1).split('\r\n');
    expect(lines.at(-1)).toBe('');
    expect(lines[0]).toBe('Tijdstip (UTC);Actie;Uitkomst;Rol;Naam;Account-id;API-token;Onderwerp (soort);Onderwerp-id;Onderwerp;Dossier-id;IP-adres;User-agent;Detail');
    const rows = lines.slice(1, -1);
    expect(rows.map((r) => r.split(';')[1])).toEqual(['login', 'dossier.update', 'attachment.download', 'dossier.read']);
    expect(rows[1]).toContain(`;"'=HYPERLINK(""http://evil"",""x"")";`);
    expect(rows[0]).toContain('"{""reason"":""bad_code""}"');
    expect(rows[3]).toContain('Coördinator');
    const [entry] = await t.db.select().from(auditLog).where(and(eq(auditLog.action, 'audit-log.export'), eq(auditLog.actorUserId, w.users.admin.id))).orderBy(desc(auditLog.id)).limit(1);
    await expect.poll(async () => (await t.db.select().from(auditLog).where(eq(auditLog.id, entry!.id)))[0]!.detail).toMatchObject({ transfer: 'complete', rows: 4 });
    expect(entry!.detail).toMatchObject({ filters: { from: new Date(T0).toISOString() } });
  });

  it('an API token with audit:read exports too, and its export is logged under the token', async () => {
    const res = await t.app.request(`/api/v1/audit-log/export?${period}&outcome=denied`, { headers: bearer(w.apiTokens['audit:read']) });
    expect(res.status).toBe(200);
    expect((await res.text()).split('\r\n')).toHaveLength(3);
    const [entry] = await t.db.select().from(auditLog).where(eq(auditLog.action, 'audit-log.export')).orderBy(desc(auditLog.id)).limit(1);
    expect(entry!.actorTokenName).toBe('Koppeling audit:read');
  });

  it('streams: the first bytes arrive while the export is still running, and a client that leaves stops it (real socket)', async () => {
    const n = EXPORT_BATCH * 30;
    await t.db.execute(sql`insert into audit_log (organisation_id, at, action, outcome, actor_display_name, user_agent)
      select ${w.orgA.id}, timestamptz '2032-01-01' + g * interval '1 second', 'stream.test', 'success', 'Medewerker ' || g, repeat('x', 120) from generate_series(1, ${n}) g`);
    const server = serve({ fetch: t.app.fetch, port: 0, hostname: '127.0.0.1' });
    await new Promise((r) => server.once('listening', r));
    const { port } = server.address() as AddressInfo;
    const exportEntry = async () => (await t.db.select().from(auditLog).where(eq(auditLog.action, 'audit-log.export')).orderBy(desc(auditLog.id)).limit(1))[0]!;
    try {
      const detailAtFirstBytes = await new Promise<unknown>((resolve, reject) => {
        const req = httpRequest({ host: '127.0.0.1', port, path: '/api/v1/audit-log/export?action=stream.test', headers: bearer(w.tokens.admin) }, (res) => {
          res.once('data', async () => {
            res.pause();
            const detail = (await exportEntry()).detail;
            req.destroy();
            resolve(detail);
          });
        });
        req.on('error', (err) => ((err as NodeJS.ErrnoException).code === 'ECONNRESET' ? undefined : reject(err)));
        req.end();
      });
      expect(detailAtFirstBytes).toMatchObject({ transfer: 'started' });
      await expect.poll(async () => ((await exportEntry()).detail as { transfer: string }).transfer, { timeout: 10_000 }).toBe('aborted');
      expect(((await exportEntry()).detail as { rows: number }).rows).toBeLessThan(n);
    } finally {
      await new Promise((r) => server.close(r));
    }
  });
});
