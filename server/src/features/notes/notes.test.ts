import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, jsonRequest, withBearer, type TestContext } from '../../../test/app.ts';
import { makeUser, signIn } from '../../../test/fixtures.ts';
import { auditLog } from '../../db/schema/index.ts';
import { createWorld, type World } from '../../../test/world.ts';

let t: TestContext;
let w: World;

describe('Mijn notities', () => {
  beforeAll(async () => {
    t = await createTestApp();
    w = await createWorld(t.db, t.env, t.clock.now());
  });
  afterAll(() => t.close());

  it('nobody but the author, ever: not other staff, not another admin, not parents, not the access log or audit text', async () => {
    const d = w.dossiers.own.id;
    const secret = 'Vermoeden van thuissituatie, nog niet besproken.';
    const res = await t.app.request(`/api/v1/dossiers/${d}/notes`, withBearer(w.tokens.school, jsonRequest('POST', { body: secret })));
    expect(res.status).toBe(201);
    const note = await res.json();
    const mine = await (await t.app.request(`/api/v1/dossiers/${d}/notes`, withBearer(w.tokens.school))).json();
    expect(mine.map((n: { body: string }) => n.body)).toEqual([secret]);

    const admin2 = await makeUser(t.db, w.orgA.id, 'admin');
    const others = [w.tokens.coordinator, w.tokens.admin, await signIn(t.db, admin2.id, t.clock.now(), t.env)];
    for (const token of others) {
      expect(await (await t.app.request(`/api/v1/dossiers/${d}/notes`, withBearer(token))).json()).toEqual([]);
      expect((await t.app.request(`/api/v1/notes/${note.id}`, withBearer(token, jsonRequest('PATCH', { body: 'overschreven' })))).status).toBe(404);
      expect((await t.app.request(`/api/v1/notes/${note.id}`, withBearer(token, { method: 'DELETE' }))).status).toBe(404);
    }
    for (const token of [w.tokens.parent, w.tokens.unlinkedParent]) {
      expect((await t.app.request(`/api/v1/dossiers/${d}/notes`, withBearer(token))).status).toBe(403);
      expect((await t.app.request(`/api/v1/notes/${note.id}`, withBearer(token, jsonRequest('PATCH', { body: 'x' })))).status).toBe(403);
    }
    const log = await (await t.app.request(`/api/v1/dossiers/${d}/access-log?pageSize=100`, withBearer(w.tokens.parent))).json();
    expect(JSON.stringify(log)).not.toContain('note');
    const audit = await t.db.select().from(auditLog).where(eq(auditLog.dossierId, d));
    expect(JSON.stringify(audit)).not.toContain('thuissituatie');

    const edited = await t.app.request(`/api/v1/notes/${note.id}`, withBearer(w.tokens.school, jsonRequest('PATCH', { body: 'Besproken met ouders.' })));
    expect((await edited.json()).body).toBe('Besproken met ouders.');
    expect((await t.app.request(`/api/v1/notes/${note.id}`, withBearer(w.tokens.school, { method: 'DELETE' }))).status).toBe(204);
    expect(await (await t.app.request(`/api/v1/dossiers/${d}/notes`, withBearer(w.tokens.school))).json()).toEqual([]);
  });

  it('refuses empty notes and notes on dossiers the author cannot see', async () => {
    expect((await t.app.request(`/api/v1/dossiers/${w.dossiers.own.id}/notes`, withBearer(w.tokens.school, jsonRequest('POST', { body: '   ' })))).status).toBe(400);
    expect((await t.app.request(`/api/v1/dossiers/${w.dossiers.otherSchool.id}/notes`, withBearer(w.tokens.school, jsonRequest('POST', { body: 'x' })))).status).toBe(404);
  });
});
