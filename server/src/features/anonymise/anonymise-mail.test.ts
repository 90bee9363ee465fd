import { eq, inArray } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, jsonRequest, testEnv, type TestContext } from '../../../test/app.ts';
import { createTestDatabase } from '../../../test/db.ts';
import { linkGuardian, makeDossier } from '../../../test/fixtures.ts';
import { startTestSmtp, type TestSmtp } from '../../../test/smtp.ts';
import { createWorld, type World } from '../../../test/world.ts';
import { mailOutbox, mailTemplates } from '../../db/schema/index.ts';
import { silentLogger } from '../../lib/logger.ts';
import { createMailer } from '../../mail/mailer.ts';
import type { Mailer } from '../../mail/types.ts';

let t: TestContext;
let w: World;
let smtp: TestSmtp;
let mailer: Mailer;
/** How far the mailer's clock runs ahead of the app's (to pass the backoff without ending the sessions). */
let skew = 0;

const call = (who: 'admin' | 'school' | 'coordinator', method: string, path: string, body?: unknown) =>
  t.app.request(`/api/v1${path}`, w.as(who, body === undefined ? { method } : jsonRequest(method, body)));

/** A child with a shared hulpvraag; moving it to "in behandeling" mails the guardian (rule below). */
async function child(firstName: string) {
  const d = await makeDossier(t.db, w.orgA.id, w.schoolA1.id, { firstName, lastName: 'Zonnebloem' });
  await linkGuardian(t.db, d.id, w.users.parent.id);
  const h = await (await call('school', 'POST', `/dossiers/${d.id}/hulpvragen`, { title: `Hulpvraag ${firstName}` })).json();
  return { d, h };
}

describe('anonymising cancels the outbox mails about the child', () => {
  beforeAll(async () => {
    smtp = await startTestSmtp();
    const database = await createTestDatabase();
    let now: () => Date = () => new Date();
    mailer = createMailer({ db: database.db, env: testEnv({ SMTP_URL: smtp.url }), logger: silentLogger, clock: { now: () => new Date(now().getTime() + skew) } });
    t = await createTestApp({ database, mailer, env: { SMTP_URL: smtp.url } });
    now = () => t.clock.now();
    w = await createWorld(t.db, t.env, t.clock.now());
    const [template] = await t.db.insert(mailTemplates).values({ organisationId: w.orgA.id, name: 'Status', subject: 'Nieuws over {kind}', body: 'De hulpvraag van {kind} is {status}.' }).returning();
    const rule = await call('admin', 'POST', '/automation-rules', { name: 'Mail ouders', kind: 'status_mail', whenStatus: 'in behandeling', mailTemplateId: template!.id, mailToGuardians: true });
    expect(rule.status).toBe(201);
  });
  afterAll(async () => {
    await mailer.close();
    await smtp.close();
    await t.close();
  });

  it('a mail queued for a dossier or hulpvraag before anonymising is never delivered; a mail about another child still is', async () => {
    const whole = await child('Petra');
    const oneHulpvraag = await child('Quinten');
    const other = await child('Roos');
    // The mail server refuses the first attempts (451): the three mails stay in the outbox, to be retried.
    smtp.failNext(3);
    for (const { h } of [whole, oneHulpvraag, other]) expect((await call('coordinator', 'PATCH', `/hulpvragen/${h.id}`, { status: 'in behandeling' })).status).toBe(200);
    await mailer.flush();
    const queued = await t.db.select().from(mailOutbox).where(inArray(mailOutbox.dossierId, [whole.d.id, oneHulpvraag.d.id, other.d.id]));
    expect(queued.map((m) => [m.subject, m.status, m.sentAt])).toEqual(expect.arrayContaining([
      ['Nieuws over Petra', 'pending', null], ['Nieuws over Quinten', 'pending', null], ['Nieuws over Roos', 'pending', null],
    ]));
    expect(queued).toHaveLength(3);
    expect(smtp.mails.filter((m) => /Petra|Quinten|Roos/.test(m.subject))).toEqual([]);

    expect((await call('admin', 'POST', `/dossiers/${whole.d.id}/anonymise`, { confirm: 'Petra Zonnebloem' })).status).toBe(200);
    expect((await call('admin', 'POST', `/hulpvragen/${oneHulpvraag.h.id}/anonymise`, { confirm: 'Quinten Zonnebloem' })).status).toBe(200);
    expect(await t.db.select().from(mailOutbox).where(inArray(mailOutbox.dossierId, [whole.d.id, oneHulpvraag.d.id]))).toEqual([]);

    // Past every backoff: the retry delivers what is left, and only that.
    skew = 60 * 60_000;
    await mailer.flush();
    await smtp.waitFor((m) => m.subject === 'Nieuws over Roos');
    expect(smtp.mails.map((m) => m.subject).filter((s) => /Petra|Quinten|Roos/.test(s))).toEqual(['Nieuws over Roos']);
    const [sent] = await t.db.select().from(mailOutbox).where(eq(mailOutbox.dossierId, other.d.id));
    expect(sent).toMatchObject({ status: 'sent', hulpvraagId: other.h.id });

    // A mail sent before anonymising keeps no name in its subject.
    expect((await call('admin', 'POST', `/dossiers/${other.d.id}/anonymise`, { confirm: 'Roos Zonnebloem' })).status).toBe(200);
    const [scrubbed] = await t.db.select().from(mailOutbox).where(eq(mailOutbox.dossierId, other.d.id));
    expect(scrubbed).toMatchObject({ status: 'sent', subject: 'Geanonimiseerd', bodyEnc: null });
  });
});
