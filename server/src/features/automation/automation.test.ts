import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, jsonRequest, testEnv, type TestContext } from '../../../test/app.ts';
import { createTestDatabase } from '../../../test/db.ts';
import { startTestSmtp, type TestSmtp } from '../../../test/smtp.ts';
import { automationRules, hulpvragen, mailTemplates, organisations } from '../../db/schema/index.ts';
import { makePdf } from '../../lib/demo-pdf.ts';
import { silentLogger } from '../../lib/logger.ts';
import { createMailer } from '../../mail/mailer.ts';
import type { Mailer } from '../../mail/types.ts';
import { createWorld, type World } from '../../../test/world.ts';
import { multipartBody, multipartHeaders } from '../../../test/multipart.ts';

let t: TestContext;
let w: World;
let smtp: TestSmtp;
let mailer: Mailer;
let templateId: string;
const post = (body: unknown, who: keyof World['tokens'] = 'admin') => t.app.request('/api/v1/automation-rules', w.as(who, jsonRequest('POST', body)));

describe('automation rules API', () => {
  beforeAll(async () => {
    smtp = await startTestSmtp();
    const database = await createTestDatabase();
    let now: () => Date = () => new Date();
    mailer = createMailer({ db: database.db, env: testEnv({ SMTP_URL: smtp.url }), logger: silentLogger, clock: { now: () => now() } });
    t = await createTestApp({ database, mailer, env: { SMTP_URL: smtp.url } });
    now = () => t.clock.now();
    w = await createWorld(t.db, t.env, t.clock.now());
    await t.db.update(organisations).set({ mailClosing: 'Groet van het zorgteam' }).where(eq(organisations.id, w.orgA.id));
    templateId = (await t.db.insert(mailTemplates).values({ organisationId: w.orgA.id, name: 'In behandeling', subject: 'Hulpvraag van {kind}: {status}', body: 'Er is iets veranderd in de hulpvraag van {kind}. Kijk in Kindkans: {link}' }).returning())[0]!.id;
  });
  afterAll(async () => {
    await mailer.close();
    await smtp.close();
    await t.close();
  });

  it('admins add rules; the list is in order with names of coordinator and template', async () => {
    const first = await post({ name: 'Bijlage → in behandeling', kind: 'attachment_status', setStatus: 'in behandeling', keyword: 'genegeerd' });
    expect(first.status).toBe(201);
    expect(await first.json()).toMatchObject({ name: 'Bijlage → in behandeling', position: 1, enabled: true, kind: 'attachment_status', setStatus: 'in behandeling', keyword: null });
    const mail = await post({ name: 'Mail ouders', kind: 'status_mail', whenStatus: 'in behandeling', mailTemplateId: templateId, mailToGuardians: true });
    expect(mail.status).toBe(201);
    const coordinator = await post({ name: 'Coördinator', kind: 'status_coordinator', whenStatus: 'in behandeling', coordinatorId: w.users.coordinator.id, position: 1 });
    expect(await coordinator.json()).toMatchObject({ position: 1, coordinator: { id: w.users.coordinator.id, displayName: w.users.coordinator.displayName } });
    const list = await (await t.app.request('/api/v1/automation-rules', w.as('admin'))).json();
    expect(list.map((r: { name: string; position: number }) => [r.name, r.position])).toEqual([['Coördinator', 1], ['Bijlage → in behandeling', 2], ['Mail ouders', 3]]);
    expect(list[2].mailTemplate).toEqual({ id: templateId, name: 'In behandeling' });
  });

  it('refuses a rule that misses what its kind needs or names what the organisation does not have (400, nothing stored)', async () => {
    const [otherTemplate] = await t.db.insert(mailTemplates).values({ organisationId: w.orgB.id, name: 'Vreemd', subject: 's', body: 'b' }).returning();
    const cases: [unknown, string][] = [
      [{ name: 'x', kind: 'attachment_status' }, 'setStatus'],
      [{ name: 'x', kind: 'attachment_status', setStatus: 'bestaat niet' }, 'setStatus'],
      [{ name: 'x', kind: 'title_keyword', setStatus: 'advies' }, 'keyword'],
      [{ name: 'x', kind: 'status_coordinator', whenStatus: 'advies', coordinatorId: w.users.coordinatorB.id }, 'coordinatorId'],
      [{ name: 'x', kind: 'status_coordinator', whenStatus: 'advies', coordinatorId: w.users.school.id }, 'coordinatorId'],
      [{ name: 'x', kind: 'status_mail', whenStatus: 'advies', mailTemplateId: otherTemplate!.id, mailToGuardians: true }, 'mailTemplateId'],
      [{ name: 'x', kind: 'status_mail', whenStatus: 'advies', mailTemplateId: templateId }, 'mailToGuardians'],
      [{ name: 'x', kind: 'status_description', whenStatus: 'advies', description: 'Beste {ouder}' }, 'description'],
      [{ name: 'x', kind: 'unknown_kind' }, 'kind'],
    ];
    for (const [body, path] of cases) {
      const res = await post(body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      const problem = await res.json();
      expect(problem.code).toBe('validation_failed');
      expect(problem.errors.map((e: { path: string }) => e.path), JSON.stringify(body)).toContain(path);
      if (path === 'description') expect(problem.errors).toEqual([{ path, message: 'unknown placeholders {ouder}', unknownPlaceholders: ['ouder'] }]);
    }
    expect(await t.db.select().from(automationRules).where(eq(automationRules.name, 'x'))).toEqual([]);
  });

  it('only admins keep rules (403, audited); another organisation\'s rule is not found (404)', async () => {
    for (const who of ['school', 'coordinator', 'parent'] as const) {
      expect((await post({ name: 'y', kind: 'attachment_status', setStatus: 'advies' }, who)).status).toBe(403);
      expect((await t.app.request('/api/v1/automation-rules', w.as(who))).status).toBe(403);
    }
    const [foreign] = await t.db.insert(automationRules).values({ organisationId: w.orgB.id, name: 'B', position: 1, kind: 'attachment_status', setStatus: 'advies' }).returning();
    expect((await t.app.request(`/api/v1/automation-rules/${foreign!.id}`, w.as('admin', jsonRequest('PATCH', { enabled: false })))).status).toBe(404);
    expect((await t.app.request(`/api/v1/automation-rules/${foreign!.id}`, w.as('admin', { method: 'DELETE' }))).status).toBe(404);
    expect((await t.db.select().from(automationRules).where(eq(automationRules.id, foreign!.id)))[0]!.enabled).toBe(true);
  });

  it('staff upload a PDF: the status becomes "in behandeling", the coordinator is set, and the guardian\'s mail arrives', async () => {
    const res = await t.app.request(`/api/v1/hulpvragen/${w.hulpvraag.own}/attachments`, w.as('school', {
      method: 'POST', headers: multipartHeaders(), body: multipartBody(makePdf(['Verslag']), 'verslag.pdf'),
    }));
    expect(res.status).toBe(201);
    const h = await (await t.app.request(`/api/v1/hulpvragen/${w.hulpvraag.own}`, w.as('school'))).json();
    expect(h).toMatchObject({ status: 'in behandeling', coordinator: { id: w.users.coordinator.id } });
    const mail = await smtp.waitFor((m) => m.to.includes(w.users.parent.email));
    expect(mail.subject).toBe('Hulpvraag van Sam: in behandeling');
    expect(mail.text).toContain('Er is iets veranderd in de hulpvraag van Sam. Kijk in Kindkans: http://kindkans.test');
    expect(mail.text).toContain('Groet van het zorgteam');
    expect(mail.text).not.toContain('Hulpvraag own'); // the title is dossier content: never in the mail
    const history = await (await t.app.request(`/api/v1/hulpvragen/${w.hulpvraag.own}/status-history`, w.as('school'))).json();
    expect(history.slice(-3)).toMatchObject([
      { kind: 'status', from: 'aanmelding', to: 'in behandeling', automatic: true, by: null, rule: { name: 'Bijlage → in behandeling' } },
      { kind: 'coordinator', automatic: true, rule: { name: 'Coördinator' } },
      { kind: 'mail', automatic: true, rule: { name: 'Mail ouders' }, note: 'E-mail verstuurd aan 1 ontvanger' },
    ]);
  });

  it('a disabled rule is skipped; a moved one runs in its new place', async () => {
    const list = await (await t.app.request('/api/v1/automation-rules', w.as('admin'))).json();
    for (const r of list) expect((await t.app.request(`/api/v1/automation-rules/${r.id}`, w.as('admin', jsonRequest('PATCH', { enabled: false })))).status).toBe(200);
    const res = await t.app.request(`/api/v1/hulpvragen/${w.hulpvraag.otherChild}/attachments`, w.as('school', { method: 'POST', headers: multipartHeaders(), body: multipartBody(makePdf(['x']), 'x.pdf') }));
    expect(res.status).toBe(201);
    expect((await t.db.select().from(hulpvragen).where(eq(hulpvragen.id, w.hulpvraag.otherChild)))[0]!.status).toBe('aanmelding');
  });

  it('title keyword on create and on edit; a new TLV moves the open hulpvragen', async () => {
    expect((await post({ name: 'Dyslexie', kind: 'title_keyword', keyword: 'dyslexie', setStatus: 'advies' })).status).toBe(201);
    expect((await post({ name: 'TLV', kind: 'entry_status', entryKind: 'tlv', setStatus: 'afgerond' })).status).toBe(201);
    const created = await (await t.app.request(`/api/v1/dossiers/${w.dossiers.otherChild.id}/hulpvragen`, w.as('school', jsonRequest('POST', { title: 'Dyslexie-onderzoek' })))).json();
    expect(created.status).toBe('advies');
    const edited = await (await t.app.request(`/api/v1/hulpvragen/${w.hulpvraag.otherChild}`, w.as('school', jsonRequest('PATCH', { title: 'Mogelijk dyslexie' })))).json();
    expect(edited.status).toBe('advies');
    const tlv = await t.app.request(`/api/v1/dossiers/${w.dossiers.otherChild.id}/tlv`, w.as('school', jsonRequest('POST', { type: 'so-midden', startDate: '2025-08-01', endDate: '2027-07-31' })));
    expect(tlv.status).toBe(201);
    const rows = await t.db.select().from(hulpvragen).where(eq(hulpvragen.dossierId, w.dossiers.otherChild.id));
    expect(rows.map((r) => r.status).sort()).toEqual(['afgerond', 'afgerond']);
  });

  it('statuses and rules stay consistent: a status a rule names cannot be deleted (409); a rename follows into the rule', async () => {
    const statuses = await (await t.app.request('/api/v1/hulpvraag-statuses', w.as('admin'))).json();
    const advies = statuses.find((s: { name: string }) => s.name === 'advies');
    await t.db.update(hulpvragen).set({ status: 'aanmelding' }).where(and(eq(hulpvragen.organisationId, w.orgA.id), eq(hulpvragen.status, 'advies')));
    expect((await t.app.request(`/api/v1/hulpvraag-statuses/${advies.id}`, w.as('admin', { method: 'DELETE' }))).status).toBe(409);
    expect((await t.app.request(`/api/v1/hulpvraag-statuses/${advies.id}`, w.as('admin', jsonRequest('PATCH', { name: 'advies gegeven' })))).status).toBe(200);
    const rules = await (await t.app.request('/api/v1/automation-rules', w.as('admin'))).json();
    expect(rules.find((r: { name: string }) => r.name === 'Dyslexie').setStatus).toBe('advies gegeven');
  });

  it('DELETE: the rule goes, the history keeps its name', async () => {
    const rules = await (await t.app.request('/api/v1/automation-rules', w.as('admin'))).json();
    const attachmentRule = rules.find((r: { name: string }) => r.name === 'Bijlage → in behandeling');
    expect((await t.app.request(`/api/v1/automation-rules/${attachmentRule.id}`, w.as('admin', { method: 'DELETE' }))).status).toBe(204);
    const after = await (await t.app.request('/api/v1/automation-rules', w.as('admin'))).json();
    expect(after.map((r: { position: number }) => r.position)).toEqual(after.map((_: unknown, i: number) => i + 1));
    const history = await (await t.app.request(`/api/v1/hulpvragen/${w.hulpvraag.own}/status-history`, w.as('admin'))).json();
    expect(history.find((h: { kind: string; automatic: boolean }) => h.kind === 'status' && h.automatic).rule).toEqual({ id: null, name: 'Bijlage → in behandeling' });
  });
});
