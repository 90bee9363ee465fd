import { asc, desc, gt } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { bearer, createTestApp, type TestContext } from '../../../test/app.ts';
import { auditLog } from '../../db/schema/index.ts';
import { createWorld, type World } from '../../authz/test-world.ts';

let t: TestContext;
let w: World;
let mark = 0;
const as = (who: keyof World['tokens']) => ({ headers: { ...bearer(w.tokens[who]), 'user-agent': `test-${who}` } });

/** The audit entries written since the last mark, in order. */
async function newEntries() {
  const rows = await t.db.select().from(auditLog).where(gt(auditLog.id, mark)).orderBy(asc(auditLog.id));
  return rows.map((r) => ({ actor: r.actorUserId, role: r.actorRole, org: r.organisationId, action: r.action, subject: `${r.subjectType}:${r.subjectId}`, dossier: r.dossierId, ua: r.userAgent, ip: r.ipAddress, outcome: r.outcome, at: r.at.toISOString() }));
}

describe('audit of reads and GET /dossiers/{id}/access-log', () => {
  beforeAll(async () => {
    t = await createTestApp();
    w = await createWorld(t.db, t.env, t.clock.now());
  });
  beforeEach(async () => {
    const [last] = await t.db.select({ id: auditLog.id }).from(auditLog).orderBy(desc(auditLog.id)).limit(1);
    mark = last?.id ?? 0;
  });
  afterAll(() => t.close());

  it('reads and downloads write exactly one entry each, with actor, role, organisation, subject, dossier, address, user agent and time', async () => {
    t.clock.set(new Date('2025-05-05T10:00:00Z'));
    const p = w.users.parent;
    for (const path of [`/api/v1/dossiers/${w.dossiers.own.id}`, `/api/v1/dossiers/${w.dossiers.own.id}/hulpvragen`, `/api/v1/hulpvragen/${w.hulpvraag.own}`, `/api/v1/attachments/${w.attachment.own}`, `/api/v1/attachments/${w.attachment.own}/content`]) {
      const res = await t.app.request(path, as('parent'));
      expect(res.status).toBe(200);
      await res.arrayBuffer();
    }
    const base = { actor: p.id, role: 'parent', org: w.orgA.id, dossier: w.dossiers.own.id, ua: 'test-parent', ip: expect.any(String), outcome: 'success', at: '2025-05-05T10:00:00.000Z' };
    expect(await newEntries()).toEqual([
      { ...base, action: 'dossier.read', subject: `dossier:${w.dossiers.own.id}` },
      { ...base, action: 'hulpvragen.read', subject: `dossier:${w.dossiers.own.id}` },
      { ...base, action: 'hulpvraag.read', subject: `hulpvraag:${w.hulpvraag.own}` },
      { ...base, action: 'attachment.read', subject: `attachment:${w.attachment.own}` },
      { ...base, action: 'attachment.download', subject: `attachment:${w.attachment.own}` },
    ]);
  });

  it('refused reads are recorded as denied, without linking them to a dossier', async () => {
    t.clock.set(new Date('2025-05-05T11:00:00Z'));
    expect((await t.app.request(`/api/v1/dossiers/${w.dossiers.otherChild.id}`, as('parent'))).status).toBe(404);
    expect((await t.app.request(`/api/v1/attachments/${w.attachment.otherOrg}/content`, as('coordinator'))).status).toBe(404);
    expect((await t.app.request('/api/v1/hulpvragen/not-an-id', as('school'))).status).toBe(404);
    expect((await t.app.request('/api/v1/schools', as('parent'))).status).toBe(403);
    const base = { org: w.orgA.id, dossier: null, ip: expect.any(String), outcome: 'denied', at: '2025-05-05T11:00:00.000Z' };
    expect(await newEntries()).toEqual([
      { ...base, actor: w.users.parent.id, role: 'parent', ua: 'test-parent', action: 'dossier.read', subject: `dossier:${w.dossiers.otherChild.id}` },
      { ...base, actor: w.users.coordinator.id, role: 'coordinator', ua: 'test-coordinator', action: 'attachment.download', subject: `attachment:${w.attachment.otherOrg}` },
      { ...base, actor: w.users.school.id, role: 'school', ua: 'test-school', action: 'hulpvraag.read', subject: 'hulpvraag:not-an-id' },
      { ...base, actor: w.users.parent.id, role: 'parent', ua: 'test-parent', action: 'school.search', subject: 'route:GET /api/v1/schools' },
    ]);
  });

  it('shows guardians and staff who read or downloaded what, newest first; refusals and other dossiers not', async () => {
    const path = `/api/v1/dossiers/${w.dossiers.otherChild.id}`;
    t.clock.set(new Date('2025-06-01T08:00:00Z'));
    await t.app.request(path, as('school'));
    t.clock.set(new Date('2025-06-01T09:00:00Z'));
    await (await t.app.request(`/api/v1/attachments/${w.attachment.otherChild}/content`, as('admin'))).arrayBuffer();
    await t.app.request(path, as('parent')); // refused: not in the log shown
    await t.app.request(`/api/v1/dossiers/${w.dossiers.own.id}`, as('coordinator')); // another dossier
    const res = await t.app.request(`${path}/access-log`, as('coordinator'));
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      items: [
        { at: '2025-06-01T09:00:00.000Z', actor: { displayName: w.users.admin.displayName, role: 'admin' }, action: 'attachment.download', subject: 'verslag.txt' },
        { at: '2025-06-01T08:00:00.000Z', actor: { displayName: w.users.school.displayName, role: 'school' }, action: 'dossier.read', subject: 'Mila Anderkind' },
      ],
      page: 1, pageSize: 20, total: 2,
    });
    // Reading the access log is not shown in it, but is itself audited (NEN 7513: every read of the dossier's data).
    expect((await newEntries()).filter((e) => e.action.startsWith('access-log'))).toEqual([expect.objectContaining({ action: 'access-log.read', outcome: 'success', role: 'coordinator' })]);
    const again = await (await t.app.request(`${path}/access-log`, as('coordinator'))).json();
    expect(again.total).toBe(2);
  });
});
