import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createTestApp, type TestContext } from '../../../test/app.ts';
import { makeUser, signIn } from '../../../test/fixtures.ts';
import { users } from '../../db/schema/index.ts';
import { eq } from 'drizzle-orm';
import { createWorld, type World } from '../../../test/world.ts';

let t: TestContext;
let w: World;
const ids = async (who: keyof World['tokens'], query: string) => ((await (await t.app.request(`/api/v1/users?pageSize=100&${query}`, w.as(who))).json()).items as { id: string }[]).map((u) => u.id);

describe('accounts: filters, ending sessions, finding parents', () => {
  beforeAll(async () => {
    t = await createTestApp();
    w = await createWorld(t.db, t.env, t.clock.now());
  });
  afterAll(() => t.close());

  it('filters by school (its staff and its children’s guardians) and by last login', async () => {
    t.clock.set(new Date('2025-10-01T12:00:00Z'));
    await t.db.update(users).set({ lastLoginAt: new Date('2025-09-20T12:00:00Z') }).where(eq(users.id, w.users.parent.id));
    await t.db.update(users).set({ lastLoginAt: new Date('2025-01-01T12:00:00Z') }).where(eq(users.id, w.users.otherParent.id));
    const atSchool = await ids('admin', `school=${w.schoolA1.brin}`);
    expect(atSchool.sort()).toEqual([w.users.parent.id, w.users.otherParent.id, w.users.school.id].sort());
    expect(await ids('admin', `school=${w.schoolA1.brin}&role=parent&lastLogin=last30`)).toEqual([w.users.parent.id]);
    expect(await ids('admin', 'role=parent&lastLogin=over90')).toEqual([w.users.otherParent.id]);
    expect(await ids('admin', 'role=parent&lastLogin=never')).not.toContain(w.users.parent.id);
    expect((await t.app.request('/api/v1/users?lastLogin=gisteren', w.as('admin'))).status).toBe(400);
  });

  it('ends every session of an account at once', async () => {
    const victim = await makeUser(t.db, w.orgA.id, 'parent');
    const tokens = [await signIn(t.db, victim.id, t.clock.now(), t.env), await signIn(t.db, victim.id, t.clock.now(), t.env)];
    const res = await t.app.request(`/api/v1/users/${victim.id}/end-sessions`, w.as('admin', { method: 'POST' }));
    expect(res.status).toBe(204);
    for (const token of tokens) expect((await t.app.request('/api/v1/auth/session', { headers: bearer(token) })).status).toBe(401);
    expect((await t.app.request(`/api/v1/users/${w.users.admin.id}/end-sessions`, w.as('admin', { method: 'POST' }))).status).toBe(409);
    expect((await t.app.request(`/api/v1/users/${victim.id}/end-sessions`, w.as('coordinator', { method: 'POST' }))).status).toBe(403);
    expect((await t.app.request(`/api/v1/users/${w.users.admin.id}/end-sessions`, w.as('school', { method: 'POST' }))).status).toBe(404);
  });

  it('finds parents of the organisation by name or e-mail to link them', async () => {
    const anna = await makeUser(t.db, w.orgA.id, 'parent', { displayName: 'Anna de Ouder', email: 'anna.ouder@example.org' });
    await makeUser(t.db, w.orgB.id, 'parent', { displayName: 'Anna Elders', email: 'anna@elders.example' });
    const byName = await (await t.app.request('/api/v1/parents?q=anna', w.as('school'))).json();
    expect(byName.map((p: { id: string }) => p.id)).toEqual([anna.id]);
    const byMail = await (await t.app.request('/api/v1/parents?q=ouder%40example', w.as('admin'))).json();
    expect(byMail).toEqual([{ id: anna.id, displayName: 'Anna de Ouder', username: anna.username, email: 'anna.ouder@example.org', status: 'active' }]);
    expect((await t.app.request('/api/v1/parents?q=a', w.as('admin'))).status).toBe(400);
  });
});
