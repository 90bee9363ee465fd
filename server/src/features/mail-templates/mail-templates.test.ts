import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, jsonRequest, type TestContext } from '../../../test/app.ts';
import { automationRules, mailTemplates } from '../../db/schema/index.ts';
import { createWorld, type World } from '../../../test/world.ts';

let t: TestContext;
let w: World;
const template = { name: 'Status gewijzigd', subject: 'Nieuws over {kind}', body: 'De hulpvraag van {kind} op {school} is nu {status}.\n\nKijk in Kindkans: {link}' };

describe('mail templates (Beheer → Mailsjablonen)', () => {
  beforeAll(async () => {
    t = await createTestApp();
    w = await createWorld(t.db, t.env, t.clock.now());
  });
  afterAll(() => t.close());

  it('admins add, list, change and delete templates', async () => {
    const created = await t.app.request('/api/v1/mail-templates', w.as('admin', jsonRequest('POST', template)));
    expect(created.status).toBe(201);
    const { id } = await created.json();
    expect(await (await t.app.request('/api/v1/mail-templates', w.as('admin'))).json()).toEqual([{ id, ...template, usedBy: 0 }]);
    const patched = await t.app.request(`/api/v1/mail-templates/${id}`, w.as('admin', jsonRequest('PATCH', { subject: 'Update over {kind}' })));
    expect(await patched.json()).toMatchObject({ subject: 'Update over {kind}', body: template.body });
    expect((await t.app.request('/api/v1/mail-templates', w.as('admin', jsonRequest('POST', template)))).status).toBe(400); // the name exists
    expect((await t.app.request(`/api/v1/mail-templates/${id}`, w.as('admin', { method: 'DELETE' }))).status).toBe(204);
    expect(await t.db.select().from(mailTemplates).where(eq(mailTemplates.id, id))).toEqual([]);
  });

  it('unknown placeholders are refused on save (400, naming the field), and nothing is stored', async () => {
    const res = await t.app.request('/api/v1/mail-templates', w.as('admin', jsonRequest('POST', { ...template, name: 'Fout', body: 'Beste {ouder}, zie {titel}.' })));
    expect(res.status).toBe(400);
    const problem = await res.json();
    expect(problem.code).toBe('validation_failed');
    expect(problem.errors).toEqual([{ path: 'body', message: expect.stringContaining('{ouder}, {titel}'), unknownPlaceholders: ['ouder', 'titel'] }]);
    expect(await t.db.select().from(mailTemplates).where(eq(mailTemplates.name, 'Fout'))).toEqual([]);
    const closing = await t.app.request('/api/v1/mail-settings', w.as('admin', jsonRequest('PUT', { closing: 'Groet, {afzender}' })));
    expect(closing.status).toBe(400);
    expect((await closing.json()).errors).toEqual([{ path: 'closing', message: expect.stringContaining('{afzender}'), unknownPlaceholders: ['afzender'] }]);
    const preview = await t.app.request('/api/v1/mail-templates/preview', w.as('admin', jsonRequest('POST', { subject: 'Over {naam}', body: 'Zie {link}' })));
    expect(preview.status).toBe(400);
    expect((await preview.json()).errors).toEqual([{ path: 'subject', message: expect.stringContaining('{naam}'), unknownPlaceholders: ['naam'] }]);
  });

  it('the closing text and the placeholders; the preview shows the mail with example values and the closing', async () => {
    const put = await t.app.request('/api/v1/mail-settings', w.as('admin', jsonRequest('PUT', { closing: 'Met vriendelijke groet,\nhet zorgteam van {organisatie}' })));
    expect(put.status).toBe(200);
    const settings = await (await t.app.request('/api/v1/mail-settings', w.as('admin'))).json();
    expect(settings.closing).toBe('Met vriendelijke groet,\nhet zorgteam van {organisatie}');
    expect(settings.placeholders.map((p: { name: string }) => p.name)).toEqual(['kind', 'status', 'school', 'link', 'organisatie', 'datum', 'coordinator']);
    const preview = await (await t.app.request('/api/v1/mail-templates/preview', w.as('admin', jsonRequest('POST', { subject: template.subject, body: template.body })))).json();
    expect(preview.subject).toBe('Nieuws over Sam');
    expect(preview.text).toContain('De hulpvraag van Sam op De Regenboog is nu in behandeling.');
    expect(preview.text).toContain(`het zorgteam van ${w.orgA.code} ${w.orgA.name}`);
    expect(preview.html).toContain('<p>De hulpvraag van Sam op De Regenboog is nu in behandeling.</p>');
    // The closing text is the mail's sign-off: not followed by Kindkans' own one as well.
    expect(preview.text.match(/Met vriendelijke groet/g)).toHaveLength(1);
    expect(preview.html.match(/Met vriendelijke groet/g)).toHaveLength(1);
    expect(preview.text.trimEnd().endsWith(`het zorgteam van ${w.orgA.code} ${w.orgA.name}`)).toBe(true);
    // Without a closing text, Kindkans signs.
    await t.app.request('/api/v1/mail-settings', w.as('admin', jsonRequest('PUT', { closing: '' })));
    const plain = await (await t.app.request('/api/v1/mail-templates/preview', w.as('admin', jsonRequest('POST', { subject: template.subject, body: template.body })))).json();
    expect(plain.text.trimEnd().endsWith(`Met vriendelijke groet,\nKindkans — ${w.orgA.code} ${w.orgA.name}`)).toBe(true);
    // HTML in a template is text, never markup.
    const hostile = await (await t.app.request('/api/v1/mail-templates/preview', w.as('admin', jsonRequest('POST', { subject: 'x', body: '<script>alert(1)</script>' })))).json();
    expect(hostile.html).not.toContain('<script>');
    expect((await t.app.request('/api/v1/mail-templates/preview', w.as('admin', jsonRequest('POST', { subject: '{x}', body: 'b' })))).status).toBe(400);
  });

  it('a template a rule sends cannot be deleted (409); other organisations and other roles are kept out', async () => {
    const { id } = await (await t.app.request('/api/v1/mail-templates', w.as('admin', jsonRequest('POST', { ...template, name: 'In gebruik' })))).json();
    await t.db.insert(automationRules).values({ organisationId: w.orgA.id, name: 'Mail', position: 1, kind: 'status_mail', whenStatus: 'advies', mailTemplateId: id, mailToGuardians: true });
    expect((await t.app.request(`/api/v1/mail-templates/${id}`, w.as('admin', { method: 'DELETE' }))).status).toBe(409);
    expect((await (await t.app.request('/api/v1/mail-templates', w.as('admin'))).json()).find((x: { id: string }) => x.id === id).usedBy).toBe(1);
    const [foreign] = await t.db.insert(mailTemplates).values({ organisationId: w.orgB.id, name: 'B', subject: 's', body: 'b' }).returning();
    expect((await t.app.request(`/api/v1/mail-templates/${foreign!.id}`, w.as('admin', jsonRequest('PATCH', { subject: 'gekaapt' })))).status).toBe(404);
    for (const who of ['school', 'coordinator', 'parent'] as const) {
      expect((await t.app.request('/api/v1/mail-templates', w.as(who))).status).toBe(403);
      expect((await t.app.request('/api/v1/mail-settings', w.as(who, jsonRequest('PUT', { closing: 'x' })))).status).toBe(403);
    }
  });
});
