import { and, asc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { linkGuardian, makeDossier, makeOrganisation, makeSchool, makeUser } from '../../../test/fixtures.ts';
import { createTestDatabase } from '../../../test/db.ts';
import type { Database } from '../../db/client.ts';
import { auditLog, automationRules, hulpvraagStatusHistory, hulpvragen, mailOutbox, mailTemplates, organisations } from '../../db/schema/index.ts';
import { mailBox } from '../../mail/outbox.ts';
import { runChain } from './chain.ts';
import { entryEvents, runAutomation, type WorkflowEvent } from './engine.ts';

const SECRET = 'test-secret-test-secret-test-secret-0123456789';
let database: Database;
let db: Database['db'];
let org: Awaited<ReturnType<typeof makeOrganisation>>;
let otherOrg: Awaited<ReturnType<typeof makeOrganisation>>;
let dossierId: string;
let people: Record<'parent' | 'coordinator' | 'gone', { id: string; email: string; displayName: string }>;
let position = 0;
const now = new Date('2025-10-01T10:00:00Z');

const ctx = (organisationId = org.id) => ({ organisationId, now, appSecret: SECRET, publicUrl: 'https://kindkans.test' });
const run = (events: WorkflowEvent[], organisationId?: string) => db.transaction((tx) => runAutomation(tx, ctx(organisationId), events));
const rule = async (values: Partial<typeof automationRules.$inferInsert> & Pick<typeof automationRules.$inferInsert, 'kind'>) =>
  (await db.insert(automationRules).values({ organisationId: org.id, name: `Regel ${++position}`, position, ...values }).returning())[0]!;
const hulpvraag = async (values: Partial<typeof hulpvragen.$inferInsert> = {}) =>
  (await db.insert(hulpvragen).values({ organisationId: org.id, dossierId, date: '2025-09-01', title: 'Hulpvraag', ...values }).returning())[0]!;
const current = async (id: string) => (await db.select().from(hulpvragen).where(eq(hulpvragen.id, id)))[0]!;
const history = (id: string) => db.select().from(hulpvraagStatusHistory).where(eq(hulpvraagStatusHistory.hulpvraagId, id)).orderBy(asc(hulpvraagStatusHistory.changedAt), asc(hulpvraagStatusHistory.seq));
const template = async (values: Partial<typeof mailTemplates.$inferInsert> = {}) =>
  (await db.insert(mailTemplates).values({ organisationId: org.id, name: `Sjabloon ${++position}`, subject: 'Nieuws over {kind}', body: 'De hulpvraag van {kind} op {school} is nu {status}.\n\nKijk in Kindkans: {link}', ...values }).returning())[0]!;
const mailsTo = async (address: string) =>
  (await db.select().from(mailOutbox).where(eq(mailOutbox.toAddress, address))).map((m) => ({ subject: m.subject, ...(JSON.parse(mailBox(SECRET).decrypt(m.bodyEnc!)) as { text: string; html: string }) }));

describe('automation engine', () => {
  beforeAll(async () => {
    database = await createTestDatabase();
    db = database.db;
    org = await makeOrganisation(db);
    otherOrg = await makeOrganisation(db);
    await db.update(organisations).set({ mailClosing: 'Met vriendelijke groet,\nhet zorgteam' }).where(eq(organisations.id, org.id));
    const school = await makeSchool(db, org.id, { name: 'De Regenboog' });
    dossierId = (await makeDossier(db, org.id, school.id, { firstName: 'Sam' })).id;
    people = {
      parent: await makeUser(db, org.id, 'parent', { email: 'ouder@example.org' }),
      coordinator: await makeUser(db, org.id, 'coordinator', { email: 'coord@example.org', displayName: 'Jet Coördinator' }),
      gone: await makeUser(db, org.id, 'coordinator', { status: 'deactivated' }),
    };
    await linkGuardian(db, dossierId, people.parent.id);
  });
  afterAll(() => database.close());
  beforeEach(async () => {
    await db.delete(automationRules);
    await db.delete(mailOutbox);
  });

  it('title contains a keyword → status (any case); another title changes nothing', async () => {
    const r = await rule({ kind: 'title_keyword', keyword: 'dyslexie', setStatus: 'in behandeling', name: 'Dyslexie direct in behandeling' });
    const match = await hulpvraag({ title: 'Onderzoek DYSLEXIE groep 5' });
    const other = await hulpvraag({ title: 'Gedrag' });
    expect(await run([{ type: 'created', hulpvraagId: match.id }, { type: 'created', hulpvraagId: other.id }])).toEqual({ steps: 1, stopped: false, mails: 0 });
    expect((await current(match.id)).status).toBe('in behandeling');
    expect((await current(other.id)).status).toBe('aanmelding');
    expect(await history(match.id)).toMatchObject([{ fromStatus: 'aanmelding', toStatus: 'in behandeling', kind: 'status', automatic: true, ruleId: r.id, ruleName: 'Dyslexie direct in behandeling', changedBy: null }]);
    const [audit] = await db.select().from(auditLog).where(and(eq(auditLog.action, 'automation.status'), eq(auditLog.subjectId, match.id)));
    expect(audit).toMatchObject({ organisationId: org.id, actorUserId: null, outcome: 'success', detail: { rule: { id: r.id, name: r.name }, from: 'aanmelding', to: 'in behandeling' } });
  });

  it('an attachment added → status', async () => {
    await rule({ kind: 'attachment_status', setStatus: 'in behandeling' });
    const h = await hulpvraag();
    expect((await run([{ type: 'attachment', hulpvraagId: h.id }])).steps).toBe(1);
    expect((await current(h.id)).status).toBe('in behandeling');
    // Already in that status: nothing to do, no history.
    expect((await run([{ type: 'attachment', hulpvraagId: h.id }])).steps).toBe(0);
    expect(await history(h.id)).toHaveLength(1);
  });

  it('an Aanpak or TLV added → status of the open hulpvragen of the dossier only, and only for its kind', async () => {
    await rule({ kind: 'entry_status', entryKind: 'tlv', setStatus: 'advies' });
    const open = await hulpvraag();
    const closed = await hulpvraag({ status: 'afgerond' });
    expect((await run(await entryEvents(db, dossierId, 'aanpak'))).steps).toBe(0);
    const events = await entryEvents(db, dossierId, 'tlv');
    expect(events.map((e) => e.hulpvraagId)).toContain(open.id);
    expect(events.map((e) => e.hulpvraagId)).not.toContain(closed.id);
    await run(events);
    expect((await current(open.id)).status).toBe('advies');
    expect((await current(closed.id)).status).toBe('afgerond');
  });

  it('status becomes X → coordinator Y (an inactive coordinator is never assigned)', async () => {
    await rule({ kind: 'status_coordinator', whenStatus: 'advies', coordinatorId: people.coordinator.id, name: 'Advies naar Jet' });
    await rule({ kind: 'status_coordinator', whenStatus: 'afgerond', coordinatorId: people.gone.id });
    const h = await hulpvraag({ status: 'advies' });
    expect((await run([{ type: 'status', hulpvraagId: h.id, status: 'in behandeling' }])).steps).toBe(0);
    expect((await run([{ type: 'status', hulpvraagId: h.id, status: 'advies' }])).steps).toBe(1);
    expect((await current(h.id)).coordinatorId).toBe(people.coordinator.id);
    expect(await history(h.id)).toMatchObject([{ kind: 'coordinator', automatic: true, ruleName: 'Advies naar Jet', fromStatus: 'advies', toStatus: 'advies', note: 'Coördinator: Jet Coördinator' }]);
    const other = await hulpvraag({ status: 'afgerond' });
    expect((await run([{ type: 'status', hulpvraagId: other.id, status: 'afgerond' }])).steps).toBe(0);
    expect((await current(other.id)).coordinatorId).toBeNull();
  });

  it('status becomes X → description from a template, only when it is empty', async () => {
    await rule({ kind: 'status_description', whenStatus: 'in behandeling', description: 'Aangemeld op {datum} voor {kind} ({school}).' });
    const empty = await hulpvraag({ status: 'in behandeling' });
    const written = await hulpvraag({ status: 'in behandeling', description: 'Door school ingevuld.' });
    await run([{ type: 'status', hulpvraagId: empty.id, status: 'in behandeling' }, { type: 'status', hulpvraagId: written.id, status: 'in behandeling' }]);
    expect((await current(empty.id)).description).toBe('Aangemeld op 01-10-2025 voor Sam (De Regenboog).');
    expect((await current(written.id)).description).toBe('Door school ingevuld.');
    expect(await history(written.id)).toEqual([]);
  });

  it('status becomes X → mail to the guardians and the coordinator from a template with the closing text; no dossier content beyond it', async () => {
    const t = await template();
    await rule({ kind: 'status_mail', whenStatus: 'in behandeling', mailTemplateId: t.id, mailToGuardians: true, mailToCoordinator: true, name: 'Mail bij in behandeling' });
    const h = await hulpvraag({ status: 'in behandeling', title: 'Vermoeden autisme', description: 'Geheime details', coordinatorId: people.coordinator.id });
    expect(await run([{ type: 'status', hulpvraagId: h.id, status: 'in behandeling' }])).toEqual({ steps: 1, stopped: false, mails: 2 });
    const [mail] = await mailsTo('ouder@example.org');
    expect(mail!.subject).toBe('Nieuws over Sam');
    expect(mail!.text).toContain('De hulpvraag van Sam op De Regenboog is nu in behandeling.');
    expect(mail!.text).toContain('Kijk in Kindkans: https://kindkans.test');
    expect(mail!.text).toContain('het zorgteam');
    for (const secret of ['Vermoeden autisme', 'Geheime details']) expect(mail!.text + mail!.html + mail!.subject).not.toContain(secret);
    expect(await mailsTo('coord@example.org')).toHaveLength(1);
    expect(await history(h.id)).toMatchObject([{ kind: 'mail', automatic: true, ruleName: 'Mail bij in behandeling', note: 'E-mail verstuurd aan 2 ontvangers' }]);

    // A hulpvraag not shared with parents: no mail to the guardians.
    const hidden = await hulpvraag({ status: 'in behandeling', visibleToParents: false });
    expect((await run([{ type: 'status', hulpvraagId: hidden.id, status: 'in behandeling' }])).mails).toBe(0);
    expect(await mailsTo('ouder@example.org')).toHaveLength(1);
  });

  it('rules set each other off: attachment → in behandeling → coordinator, description and mail, in one chain', async () => {
    const t = await template();
    await rule({ kind: 'attachment_status', setStatus: 'in behandeling' });
    await rule({ kind: 'status_coordinator', whenStatus: 'in behandeling', coordinatorId: people.coordinator.id });
    await rule({ kind: 'status_description', whenStatus: 'in behandeling', description: 'In behandeling genomen.' });
    await rule({ kind: 'status_mail', whenStatus: 'in behandeling', mailTemplateId: t.id, mailToCoordinator: true });
    const h = await hulpvraag();
    expect(await run([{ type: 'attachment', hulpvraagId: h.id }])).toEqual({ steps: 4, stopped: false, mails: 1 });
    expect(await current(h.id)).toMatchObject({ status: 'in behandeling', coordinatorId: people.coordinator.id, description: 'In behandeling genomen.' });
    expect((await history(h.id)).map((r) => [r.kind, r.automatic])).toEqual([['status', true], ['coordinator', true], ['description', true], ['mail', true]]);
    // The mail was rendered after the coordinator rule ran: it went to the newly assigned coordinator.
    expect(await mailsTo('coord@example.org')).toHaveLength(1);
  });

  it('a chain stops after 5 steps: the sixth rule does not run, and the stop is in the audit log', async () => {
    const t = await template();
    await rule({ kind: 'attachment_status', setStatus: 'advies' });
    await rule({ kind: 'status_coordinator', whenStatus: 'advies', coordinatorId: people.coordinator.id });
    await rule({ kind: 'status_description', whenStatus: 'advies', description: 'Advies.' });
    await rule({ kind: 'status_mail', whenStatus: 'advies', mailTemplateId: t.id, mailToGuardians: true });
    await rule({ kind: 'status_mail', whenStatus: 'advies', mailTemplateId: t.id, mailToCoordinator: true });
    const sixth = await rule({ kind: 'status_mail', whenStatus: 'advies', mailTemplateId: (await template({ subject: 'Zesde' })).id, mailToCoordinator: true });
    const h = await hulpvraag();
    expect(await run([{ type: 'attachment', hulpvraagId: h.id }])).toEqual({ steps: 5, stopped: true, mails: 2 });
    expect(await history(h.id)).toHaveLength(5);
    expect((await history(h.id)).map((r) => r.ruleId)).not.toContain(sixth.id);
    expect((await mailsTo('coord@example.org')).map((m) => m.subject)).not.toContain('Zesde');
    const stops = await db.select().from(auditLog).where(and(eq(auditLog.action, 'automation.stopped'), eq(auditLog.subjectId, h.id)));
    expect(stops).toHaveLength(1);
  });

  it('never loops: a rule changes one hulpvraag at most once per chain, even when rules would undo each other', async () => {
    // The runner on its own, with two rules that would flip a status back and forth for ever.
    const state = { status: 'a', flips: 0 };
    const flip = (from: string, to: string) => ({ id: `${from}->${to}`, matches: (e: { hulpvraagId: string; status: string }) => e.status === from, to });
    const result = await runChain([flip('a', 'b'), flip('b', 'a')], [{ hulpvraagId: 'h', status: 'a' }], async (r, e) => {
      if (state.status !== e.status) return null;
      state.status = r.to;
      state.flips++;
      return [{ hulpvraagId: 'h', status: r.to }];
    });
    expect(result).toEqual({ steps: 2, stopped: false });
    expect(state).toEqual({ status: 'a', flips: 2 });
    // In the database: two rules on one attachment, each applied once, the chain ends.
    await rule({ kind: 'attachment_status', setStatus: 'in behandeling' });
    await rule({ kind: 'attachment_status', setStatus: 'advies' });
    const h = await hulpvraag();
    expect(await run([{ type: 'attachment', hulpvraagId: h.id }, { type: 'attachment', hulpvraagId: h.id }])).toEqual({ steps: 2, stopped: false, mails: 0 });
    expect((await history(h.id)).map((r) => r.toStatus)).toEqual(['in behandeling', 'advies']);
  });

  it('a disabled rule does nothing', async () => {
    await rule({ kind: 'attachment_status', setStatus: 'advies', enabled: false });
    const h = await hulpvraag();
    expect((await run([{ type: 'attachment', hulpvraagId: h.id }])).steps).toBe(0);
    expect((await current(h.id)).status).toBe('aanmelding');
  });

  it("another organisation's rule never touches this organisation's hulpvragen", async () => {
    await db.insert(automationRules).values({ organisationId: otherOrg.id, name: 'Vreemd', position: 1, kind: 'attachment_status', setStatus: 'advies' });
    const h = await hulpvraag();
    expect((await run([{ type: 'attachment', hulpvraagId: h.id }])).steps).toBe(0);
    // Even run as the other organisation, its rules do not reach across.
    expect((await run([{ type: 'attachment', hulpvraagId: h.id }], otherOrg.id)).steps).toBe(0);
    expect((await current(h.id)).status).toBe('aanmelding');
  });

  it('runs in the caller\'s transaction: when the triggering change rolls back, so does every rule-made change and mail', async () => {
    const t = await template();
    await rule({ kind: 'attachment_status', setStatus: 'in behandeling' });
    await rule({ kind: 'status_mail', whenStatus: 'in behandeling', mailTemplateId: t.id, mailToGuardians: true });
    const h = await hulpvraag();
    await expect(db.transaction(async (tx) => {
      await runAutomation(tx, ctx(), [{ type: 'attachment', hulpvraagId: h.id }]);
      throw new Error('the upload failed after all');
    })).rejects.toThrow('the upload failed');
    expect((await current(h.id)).status).toBe('aanmelding');
    expect(await mailsTo('ouder@example.org')).toEqual([]);
    expect(await history(h.id)).toEqual([]);
  });
});
