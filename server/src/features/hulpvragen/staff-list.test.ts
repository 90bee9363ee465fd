import { and, desc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createTestApp, type TestContext } from '../../../test/app.ts';
import { signIn } from '../../../test/fixtures.ts';
import { createWorld, type World } from '../../../test/world.ts';
import { sessionPrincipal, visibleDossiers, type Seer } from '../../authz/index.ts';
import { auditLog, dossiers, hulpvragen, users } from '../../db/schema/index.ts';
import { searchHulpvragen, type StaffListQuery } from './staff-list.ts';

/**
 * The staff list (`GET /hulpvragen`) is one prepared statement per grant and filter
 * (staff-list.ts), its visibility written out in SQL, on two paths: with a session together with
 * the session check (`hotStaffList`), else on its own (`searchHulpvragen`: API tokens). Both must
 * agree with the same list written with drizzle and `visibleDossiers` (authz/visibility.ts) for
 * every staff role, both organisations, every filter and page, ties in the order included.
 */
let t: TestContext;
let w: World;
let coordinatorB: string;
const session = { id: '00000000-0000-4000-8000-000000000000', createdAt: new Date(), lastSeenAt: new Date(), expiresAt: new Date(), idleExpiresAt: new Date() };

/** The list as the authz module defines it: every visible row, newest first, then one page of it. */
async function reference(seer: Seer, query: StaffListQuery) {
  const rows = await t.db.select({
    id: hulpvragen.id, date: hulpvragen.date, title: hulpvragen.title, status: hulpvragen.status,
    dossier: { id: dossiers.id, firstName: dossiers.firstName, lastName: dossiers.lastName }, coordinatorId: users.id, coordinatorName: users.displayName,
  })
    .from(hulpvragen).innerJoin(dossiers, eq(dossiers.id, hulpvragen.dossierId)).leftJoin(users, eq(users.id, hulpvragen.coordinatorId))
    .where(and(
      eq(hulpvragen.organisationId, seer.organisationId), visibleDossiers(seer),
      query.status ? eq(hulpvragen.status, query.status) : undefined, query.mine ? eq(hulpvragen.coordinatorId, seer.user.id) : undefined,
    ))
    .orderBy(desc(hulpvragen.date), desc(hulpvragen.createdAt), desc(hulpvragen.id));
  const items = rows.map(({ coordinatorId, coordinatorName, ...r }) => ({ ...r, coordinator: coordinatorId ? { id: coordinatorId, displayName: coordinatorName! } : null }));
  const from = (query.page - 1) * query.pageSize;
  return { items: items.slice(from, from + query.pageSize), page: query.page, pageSize: query.pageSize, total: items.length };
}

const queryString = (q: StaffListQuery) => new URLSearchParams({
  page: String(q.page), pageSize: String(q.pageSize), ...(q.status !== undefined ? { status: q.status } : {}), ...(q.mine ? { mine: 'true' } : {}),
}).toString();

describe('GET /hulpvragen in one prepared statement per role and filter', () => {
  beforeAll(async () => {
    t = await createTestApp();
    w = await createWorld(t.db, t.env, t.clock.now());
    coordinatorB = await signIn(t.db, w.users.coordinatorB.id, t.clock.now(), t.env);
    // Several hulpvragen per dossier: statuses, coordinators, and ties on date and created_at (the id decides).
    const createdAt = new Date('2025-01-01T00:00:00Z');
    const statuses = ['aanmelding', 'in behandeling', 'advies', 'in behandeling'];
    for (const [target, coordinators] of [['own', [w.users.coordinator.id, w.users.admin.id, null]], ['otherSchool', [w.users.coordinator.id, null]], ['otherChild', [w.users.admin.id]], ['otherOrg', [w.users.coordinatorB.id, null]]] as const) {
      const d = w.dossiers[target];
      for (let i = 0; i < 4; i++) {
        await t.db.insert(hulpvragen).values({
          organisationId: d.organisationId, dossierId: d.id, date: i < 2 ? '2024-03-01' : `2024-0${2 + (i % 2)}-1${i}`, title: `${target} ${i}`,
          status: statuses[i]!, coordinatorId: coordinators[i % coordinators.length] ?? null, createdAt,
        });
      }
    }
  }, 180_000);
  afterAll(() => t?.close());

  const queries: Omit<StaffListQuery, 'page' | 'pageSize'>[] = [{}, { status: 'in behandeling' }, { status: 'advies' }, { status: 'bestaat niet' }, { mine: true }, { status: 'in behandeling', mine: true }];
  const pages = [{ page: 1, pageSize: 20 }, { page: 1, pageSize: 2 }, { page: 2, pageSize: 2 }, { page: 9, pageSize: 20 }];

  it('answers every staff role, organisation, filter and page exactly as the authz rules say', async () => {
    const people = [
      { label: 'school', token: w.tokens.school, seer: w.users.school },
      { label: 'coordinator', token: w.tokens.coordinator, seer: w.users.coordinator },
      { label: 'admin', token: w.tokens.admin, seer: w.users.admin },
      { label: 'coordinator B', token: coordinatorB, seer: w.users.coordinatorB },
    ];
    for (const { label, token, seer } of people) {
      for (const filters of queries) {
        for (const page of pages) {
          const query = { ...filters, ...page };
          const res = await t.app.request(`/api/v1/hulpvragen?${queryString(query)}`, { headers: bearer(token) });
          const name = `${label} ${JSON.stringify(query)}`;
          expect(res.status, name).toBe(200);
          expect(res.headers.get('content-type'), name).toMatch(/^application\/json/);
          const expected = await reference({ role: seer.role, organisationId: seer.organisationId, user: { id: seer.id } }, query);
          expect(await res.json(), name).toEqual(expected);
          const ordinary = await searchHulpvragen(t.db, sessionPrincipal(w.asAuthUser(seer), session), query);
          expect(JSON.parse(ordinary.body), `${name}, without the session check`).toEqual(expected);
          expect(ordinary.total).toBe(expected.total);
        }
      }
    }
  });

  it('school staff see only their schools; an API token the whole organisation, and none as "mine"', async () => {
    const school = await (await t.app.request('/api/v1/hulpvragen?pageSize=100', w.as('school'))).json();
    expect(new Set(school.items.map((i: { dossier: { id: string } }) => i.dossier.id))).toEqual(new Set([w.dossiers.own.id, w.dossiers.otherChild.id]));
    expect(school.total).toBe(10);
    const token = await (await t.app.request('/api/v1/hulpvragen?pageSize=100', { headers: bearer(w.apiTokens['dossiers:read']) })).json();
    expect(token).toEqual(await (await t.app.request('/api/v1/hulpvragen?pageSize=100', w.as('admin'))).json());
    expect(token.total).toBe(15);
    expect((await (await t.app.request('/api/v1/hulpvragen?mine=true', { headers: bearer(w.apiTokens['dossiers:read']) })).json()).total).toBe(0);
  });

  it('a parent is refused, a malformed or repeated parameter answered 400, as without the combined read', async () => {
    expect((await t.app.request('/api/v1/hulpvragen', w.as('parent'))).status).toBe(403);
    expect((await t.app.request('/api/v1/hulpvragen?pageSize=500', w.as('coordinator'))).status).toBe(400);
    expect((await t.app.request('/api/v1/hulpvragen?status=advies&status=aanmelding', w.as('coordinator'))).status).toBe(400);
    expect((await t.app.request('/api/v1/hulpvragen', { headers: bearer('x'.repeat(40)) })).status).toBe(401);
  });

  it('each answer is audited with the filters and the total, as before', async () => {
    expect((await t.app.request('/api/v1/hulpvragen?status=in%20behandeling&mine=true', w.as('coordinator'))).status).toBe(200);
    const [row] = await t.db.select().from(auditLog).where(and(eq(auditLog.action, 'hulpvragen.search'), eq(auditLog.actorUserId, w.users.coordinator.id))).orderBy(desc(auditLog.id)).limit(1);
    expect(row).toMatchObject({ outcome: 'success', subjectType: 'hulpvragen', actorRole: 'coordinator', detail: { status: 'in behandeling', mine: true, total: 1 } });
  });
});
