import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, jsonRequest, type TestContext } from '../../../test/app.ts';
import { createWorld, type World } from '../../../test/world.ts';

let t: TestContext;
let w: World;
const parentSees = async () => ((await (await t.app.request('/api/v1/news', w.as('parent'))).json()) as { title: string }[]).map((n) => n.title);

describe('news management (admins)', () => {
  beforeAll(async () => {
    t = await createTestApp();
    w = await createWorld(t.db, t.env, t.clock.now());
  });
  afterAll(() => t.close());

  it('write a draft, edit, publish, withdraw: parents see it only while published', async () => {
    t.clock.set(new Date('2025-05-01T08:00:00Z'));
    const res = await t.app.request('/api/v1/news', w.as('admin', jsonRequest('POST', { title: 'Studiedag', body: 'Op 1 oktober is er geen school.' })));
    expect(res.status).toBe(201);
    const draft = await res.json();
    expect(draft).toMatchObject({ title: 'Studiedag', status: 'draft', publishedAt: null, withdrawnAt: null });
    expect(await parentSees()).not.toContain('Studiedag');
    const edited = await (await t.app.request(`/api/v1/news/${draft.id}`, w.as('admin', jsonRequest('PATCH', { title: 'Studiedag 1 oktober' })))).json();
    expect(edited).toMatchObject({ title: 'Studiedag 1 oktober', body: 'Op 1 oktober is er geen school.', status: 'draft' });
    expect((await t.app.request(`/api/v1/news/${draft.id}/withdraw`, w.as('admin', { method: 'POST' }))).status).toBe(409);
    const published = await (await t.app.request(`/api/v1/news/${draft.id}/publish`, w.as('admin', { method: 'POST' }))).json();
    expect(published).toMatchObject({ status: 'published', publishedAt: '2025-05-01T08:00:00.000Z' });
    expect(await parentSees()).toContain('Studiedag 1 oktober');
    const withdrawn = await (await t.app.request(`/api/v1/news/${draft.id}/withdraw`, w.as('admin', { method: 'POST' }))).json();
    expect(withdrawn.status).toBe('withdrawn');
    expect(await parentSees()).not.toContain('Studiedag 1 oktober');
    const all = await (await t.app.request('/api/v1/news/manage', w.as('admin'))).json();
    expect(all.map((n: { id: string; status: string }) => [n.id, n.status])).toContainEqual([draft.id, 'withdrawn']);
  });

  it('refuses bad input and other roles, and changes nothing', async () => {
    expect((await t.app.request('/api/v1/news', w.as('admin', jsonRequest('POST', { title: '', body: 'x' })))).status).toBe(400);
    expect((await t.app.request('/api/v1/news', w.as('school', jsonRequest('POST', { title: 'x', body: 'y' })))).status).toBe(403);
    expect((await t.app.request('/api/v1/news', w.as('admin', jsonRequest('POST', { title: 'Direct', body: 'Meteen zichtbaar.', publish: true })))).status).toBe(201);
    expect(await parentSees()).toContain('Direct');
  });
});
