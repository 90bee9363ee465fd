import { and, desc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, jsonRequest, type TestContext } from '../../../test/app.ts';
import { actors, createWorld, targets, type World } from '../../../test/world.ts';
import { auditLog, sessions } from '../../db/schema/index.ts';
import { sessionPrincipal } from '../../authz/principal.ts';
import { hashToken } from '../../lib/crypto.ts';
import { listVisibleHulpvragen } from './service.ts';

/**
 * The one-statement list (hot-list.ts) writes the policy out in SQL; here it must agree with the
 * ordinary path (`visibleDossiers`, `parentsSeeOnlyShared` through `listVisibleHulpvragen`) for
 * every role and every dossier, hidden hulpvragen and pages included, and touch the session as
 * `validateSessionToken` does.
 */
let t: TestContext;
let w: World;

describe('GET /dossiers/{id}/hulpvragen in one statement', () => {
  beforeAll(async () => {
    t = await createTestApp();
    w = await createWorld(t.db, t.env, t.clock.now());
    // A second hulpvraag in the own dossier that parents may not see, and one they may.
    for (const [title, visibleToParents] of [['Intern overleg', false], ['Gesprek met ouders', true]] as const) {
      await t.app.request(`/api/v1/dossiers/${w.dossiers.own.id}/hulpvragen`, w.as('school', jsonRequest('POST', { title, date: '2024-02-01', visibleToParents })));
    }
  }, 180_000);
  afterAll(() => t?.close());

  it('answers every role and dossier exactly as the ordinary path', async () => {
    for (const actor of actors) {
      const user = w.asAuthUser(w.users[actor]);
      for (const target of targets) {
        for (const query of [{ page: 1, pageSize: 20 }, { page: 1, pageSize: 1 }, { page: 2, pageSize: 1 }, { page: 9, pageSize: 20 }]) {
          const res = await t.app.request(`/api/v1/dossiers/${w.dossiers[target].id}/hulpvragen?page=${query.page}&pageSize=${query.pageSize}`, w.as(actor));
          const ordinary = await listVisibleHulpvragen(t.db, sessionPrincipal(user, { id: 'x', createdAt: new Date(), lastSeenAt: new Date(), expiresAt: new Date(), idleExpiresAt: new Date() }), w.dossiers[target].id, query);
          const label = `${actor} → ${target} ${JSON.stringify(query)}`;
          expect(res.status, label).toBe(ordinary ? 200 : 404);
          if (ordinary) {
            expect(res.headers.get('content-type'), label).toMatch(/^application\/json/);
            expect(await res.json(), label).toEqual(ordinary.page);
          }
        }
      }
    }
  });

  it('the parent sees only shared hulpvragen, and the total counts only those', async () => {
    const body = await (await t.app.request(`/api/v1/dossiers/${w.dossiers.own.id}/hulpvragen`, w.as('parent'))).json();
    expect(body.items.map((i: { title: string }) => i.title)).toEqual(['Gesprek met ouders', 'Hulpvraag own']);
    expect(body.total).toBe(2);
    const staff = await (await t.app.request(`/api/v1/dossiers/${w.dossiers.own.id}/hulpvragen`, w.as('school'))).json();
    expect(staff.total).toBe(3);
  });

  it('each answer is audited with the dossier, as before', async () => {
    const res = await t.app.request(`/api/v1/dossiers/${w.dossiers.own.id}/hulpvragen`, w.as('admin'));
    expect(res.status).toBe(200);
    const rows = await t.db.select().from(auditLog).where(and(eq(auditLog.action, 'hulpvragen.read'), eq(auditLog.actorUserId, w.users.admin.id))).orderBy(desc(auditLog.id)).limit(1);
    expect(rows[0]).toMatchObject({ outcome: 'success', dossierId: w.dossiers.own.id, subjectType: 'dossier', subjectLabel: 'Sam Eigen', actorRole: 'admin', userAgent: 'test-admin' });
  });

  it('records activity at most every 15 s, and an idle session gets 401 and is deleted', async () => {
    const hash = hashToken(w.tokens.coordinator);
    const lastSeen = async () => (await t.db.select({ at: sessions.lastSeenAt }).from(sessions).where(eq(sessions.tokenHash, hash)))[0]?.at;
    const path = `/api/v1/dossiers/${w.dossiers.own.id}/hulpvragen`;
    const start = t.clock.now();
    t.clock.set(new Date(start.getTime() + 10_000));
    await t.app.request(path, w.as('coordinator'));
    expect((await lastSeen())?.getTime()).toBe(start.getTime());
    t.clock.set(new Date(start.getTime() + 60_000));
    expect((await t.app.request(path, w.as('coordinator'))).status).toBe(200);
    expect((await lastSeen())?.getTime()).toBe(start.getTime() + 60_000);
    t.clock.set(new Date(start.getTime() + 60_000 + (t.env.SESSION_IDLE_MINUTES * 60_000) + 1));
    expect((await t.app.request(path, w.as('coordinator'))).status).toBe(401);
    expect(await lastSeen()).toBeUndefined();
  });
});
