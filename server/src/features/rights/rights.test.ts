import { and, desc, eq, ne } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createTestApp, type TestContext } from '../../../test/app.ts';
import { makeUser, signIn } from '../../../test/fixtures.ts';
import { auditLog, users } from '../../db/schema/index.ts';
import { scopes } from '../../authz/principal.ts';
import { createWorld, targets, type World } from '../../../test/world.ts';

let t: TestContext;
let w: World;
/** A session for every person of both organisations, and every API token, by id. */
const sessionOf = new Map<string, string>();
const tokenOf = new Map<string, string>();

interface Right { kind: 'user' | 'token'; id: string; displayName: string; role: string; grant: string; school: { brin: string } | null; scopes: string[] | null; onlyShared: boolean }

const rightsOf = async (dossierId: string) => {
  const res = await t.app.request(`/api/v1/dossiers/${dossierId}/rights`, { headers: bearer(w.tokens.admin) });
  expect(res.status).toBe(200);
  return (await res.json()) as { dossier: { id: string; name: string }; items: Right[] };
};

describe('Rechten inzien: who sees a dossier and why, what an account sees and why', () => {
  beforeAll(async () => {
    t = await createTestApp();
    w = await createWorld(t.db, t.env, t.clock.now());
    // Accounts that cannot sign in see nothing and are not listed.
    const invited = await makeUser(t.db, w.orgA.id, 'coordinator', { status: 'invited' });
    const gone = await makeUser(t.db, w.orgA.id, 'admin', { status: 'deactivated' });
    const people = await t.db.select().from(users).where(ne(users.role, 'service'));
    for (const u of people) sessionOf.set(u.id, await signIn(t.db, u.id, t.clock.now(), t.env));
    expect(sessionOf.has(invited.id) && sessionOf.has(gone.id)).toBe(true);
    const listed = await t.app.request('/api/v1/api-tokens', { headers: bearer(w.tokens.admin) });
    for (const tok of (await listed.json()).items as { id: string; name: string }[]) {
      const scope = scopes.find((s) => tok.name === `Koppeling ${s}`);
      if (scope) tokenOf.set(tok.id, w.apiTokens[scope]);
    }
    expect(tokenOf.size).toBe(scopes.length);
  });
  afterAll(() => t.close());

  it('names each guardian, the staff of the school, the organisation roles and the tokens by scope, with the reason', async () => {
    const { dossier, items } = await rightsOf(w.dossiers.own.id);
    expect(dossier.name).toBe('Sam Eigen');
    const by = (id: string) => items.find((i) => i.id === id);
    expect(by(w.users.parent.id)).toMatchObject({ kind: 'user', role: 'parent', grant: 'guardian', onlyShared: true });
    expect(by(w.users.school.id)).toMatchObject({ role: 'school', grant: 'school', school: { brin: w.schoolA1.brin }, onlyShared: false });
    expect(by(w.users.coordinator.id)).toMatchObject({ grant: 'organisation', role: 'coordinator' });
    expect(by(w.users.admin.id)).toMatchObject({ grant: 'organisation', role: 'admin' });
    const tokens = items.filter((i) => i.kind === 'token');
    expect(tokens.map((i) => i.scopes)).toEqual([['dossiers:read']]);
    for (const who of [w.users.unlinkedParent, w.users.otherParent, w.users.coordinatorB, w.users.parentB]) expect(by(who.id)).toBeUndefined();
  });

  it('agrees with actual access: every listed principal gets the dossier (200), every other one does not (404)', async () => {
    for (const target of targets) {
      const dossierId = w.dossiers[target].id;
      const listed = new Set((target === 'otherOrg'
        ? await (async () => {
          // Organisation B's dossier: asked by B's own coordinator… who is no admin. Its rights come from the service directly.
          const { dossierRights } = await import('./service.ts');
          return (await dossierRights(t.db, w.orgB.id, dossierId, t.clock.now()))!.items;
        })()
        : (await rightsOf(dossierId)).items).map((i) => i.id));
      const got: string[] = [];
      const want: string[] = [];
      for (const [id, token] of [...sessionOf, ...tokenOf]) {
        const res = await t.app.request(`/api/v1/dossiers/${dossierId}`, { headers: bearer(token) });
        await res.arrayBuffer();
        const sees = res.status === 200;
        if (!sees) expect([404, 403, 401]).toContain(res.status); // 403: a token without dossiers:read; 401: a deactivated account
        got.push(`${target} ${id} ${sees}`);
        want.push(`${target} ${id} ${listed.has(id)}`);
      }
      expect(got).toEqual(want);
      expect(listed.size).toBeGreaterThanOrEqual(2);
    }
  });

  it('an account: what it sees and why, agreeing with what its dossier search returns', async () => {
    for (const who of ['parent', 'school', 'coordinator', 'unlinkedParent'] as const) {
      const res = await t.app.request(`/api/v1/users/${w.users[who].id}/rights`, { headers: bearer(w.tokens.admin) });
      expect(res.status).toBe(200);
      const r = await res.json();
      const search = await (await t.app.request('/api/v1/dossiers?pageSize=100', { headers: bearer(w.tokens[who]) })).json();
      expect([who, r.dossierCount]).toEqual([who, search.total]);
      if (r.grant !== 'organisation') expect(r.dossiers.map((d: { id: string }) => d.id).sort()).toEqual(search.items.map((d: { id: string }) => d.id).sort());
    }
    const parent = await (await t.app.request(`/api/v1/users/${w.users.parent.id}/rights`, { headers: bearer(w.tokens.admin) })).json();
    expect(parent).toMatchObject({ grant: 'guardian', onlyShared: true, canSignIn: true, dossiers: [{ id: w.dossiers.own.id, name: 'Sam Eigen' }] });
    expect(parent.actions).toContain('dossier.read');
    expect(parent.actions).not.toContain('dossier.update');
    const school = await (await t.app.request(`/api/v1/users/${w.users.school.id}/rights`, { headers: bearer(w.tokens.admin) })).json();
    expect(school).toMatchObject({ grant: 'school', schools: [{ brin: w.schoolA1.brin }] });
    expect(school.actions).toContain('dossier.update');
    expect(school.actions).not.toContain('audit.read');
  });

  it('exports both as CSV for a spreadsheet, and logs every look', async () => {
    const res = await t.app.request(`/api/v1/dossiers/${w.dossiers.own.id}/rights/export`, { headers: bearer(w.tokens.admin) });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    const text = Buffer.from(await res.arrayBuffer()).toString('utf8');
    expect(text.startsWith('\uFEFFSoort;Naam;Rol;Waarom;School;Scopes;Alleen gedeelde items;Id\r\n')).toBe(true);
    expect(text).toContain(`gekoppeld als ouder/verzorger van dit kind;;;ja;${w.users.parent.id}\r\n`);
    expect(text).toContain(`medewerker van ${w.schoolA1.name} (${w.schoolA1.brin})`);
    expect(text).toContain('API-token;Koppeling dossiers:read;API-token;API-token met scope dossiers:read');
    const user = await t.app.request(`/api/v1/users/${w.users.school.id}/rights/export`, { headers: bearer(w.tokens.admin) });
    const lines = Buffer.from(await user.arrayBuffer()).toString('utf8').split('\r\n');
    expect(lines[0]).toBe('\uFEFFDossier-id;Kind;Geboortedatum;School;Waarom');
    expect(lines.filter((l) => l.includes('Eigen') || l.includes('Anderkind'))).toHaveLength(2);
    const logged = await t.db.select().from(auditLog).where(and(eq(auditLog.actorUserId, w.users.admin.id))).orderBy(desc(auditLog.id)).limit(2);
    expect(logged.map((e) => [e.action, e.subjectId])).toEqual([['rights.user.export', w.users.school.id], ['rights.dossier.export', w.dossiers.own.id]]);
  });

  it('another organisation’s dossier or account is 404, and the refusal is logged', async () => {
    for (const url of [`/api/v1/dossiers/${w.dossiers.otherOrg.id}/rights`, `/api/v1/users/${w.users.parentB.id}/rights`, '/api/v1/users/nope/rights/export']) {
      const res = await t.app.request(url, { headers: bearer(w.tokens.admin) });
      expect([url, res.status]).toEqual([url, 404]);
    }
    const [last] = await t.db.select().from(auditLog).where(eq(auditLog.actorUserId, w.users.admin.id)).orderBy(desc(auditLog.id)).limit(1);
    expect(last).toMatchObject({ action: 'rights.user.export', outcome: 'denied' });
  });
});
