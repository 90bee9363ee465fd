import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createTestApp, type TestContext } from '../../../test/app.ts';
import { makeOrganisation, makeUser, signIn } from '../../../test/fixtures.ts';
import { mailOutbox } from '../../db/schema/index.ts';

describe('GET /health details (admins only)', () => {
  let t: TestContext;
  let admin: string;
  let coordinator: string;
  let orgId: string;
  beforeAll(async () => {
    t = await createTestApp();
    const org = await makeOrganisation(t.db);
    const other = await makeOrganisation(t.db);
    orgId = org.id;
    admin = await signIn(t.db, (await makeUser(t.db, org.id, 'admin')).id, t.clock.now(), t.env);
    coordinator = await signIn(t.db, (await makeUser(t.db, org.id, 'coordinator')).id, t.clock.now(), t.env);
    const now = t.clock.now();
    const row = { template: 'welcome', subject: 'S', bodyEnc: 'x', createdAt: now, nextAttemptAt: now };
    await t.db.insert(mailOutbox).values([
      { ...row, organisationId: org.id, toAddress: 'a@example.org' },
      { ...row, organisationId: org.id, toAddress: 'b@example.org', attempts: 3, lastError: 'connect ECONNREFUSED 127.0.0.1:25' },
      { ...row, organisationId: org.id, toAddress: 'c@example.org', status: 'failed', attempts: 1, lastError: '550 no such mailbox' },
      { ...row, organisationId: other.id, toAddress: 'x@example.org', attempts: 2, lastError: 'secret of the other organisation' },
    ]);
  });
  afterAll(() => t.close());

  it('stays { status } for the public, a bad token and a non-admin', async () => {
    for (const headers of [{}, bearer('x'.repeat(43)), bearer(coordinator)]) {
      const res = await t.app.request('/health', { headers });
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ status: 'ok' });
    }
  });

  it('shows an admin the outbox of their own organisation, this process and the admission gate', async () => {
    const res = await t.app.request('/health', { headers: bearer(admin) });
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const body = await res.json();
    expect(body.status).toBe('ok');
    expect(body.details.outbox).toMatchObject({ pending: 2, retrying: 1, failed: 1 });
    expect(['connect ECONNREFUSED 127.0.0.1:25', '550 no such mailbox']).toContain(body.details.outbox.lastError);
    expect(JSON.stringify(body)).not.toContain('other organisation');
    expect(body.details.outbox.oldestPendingAt).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect(body.details.database.kind).toBe(t.database.kind);
    expect(body.details.process.rssMb).toBeGreaterThan(10);
    expect(body.details.requests).toMatchObject({ inFlight: 0, waiting: 0, rejected: 0 });
    expect(orgId).toBeTruthy();
  });
});
