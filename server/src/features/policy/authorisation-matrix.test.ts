import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createTestApp, jsonRequest, type TestContext } from '../../../test/app.ts';
import { randomUUID } from 'node:crypto';
import { automationRules, dossierEntries, guardians, hulpvraagStatuses, mailTemplates, news, privateNotes, type EntryKind } from '../../db/schema/index.ts';
import { actors, addAttachment, createWorld, multipartBody, multipartHeaders, targets, type Actor, type Target, type World } from './test-world.ts';

/**
 * The authorisation matrix: route × caller × target → status.
 * Targets: own = the parent's child at the school of the `school` user; otherSchool = another school
 * of the same organisation; otherOrg = another organisation; otherChild = another parent's child at
 * the same school. `unlinkedParent` is a parent of the organisation linked to no dossier.
 * Columns in every row: [own, otherSchool, otherOrg, otherChild].
 */
type Row = Record<Actor, [number, number, number, number]>;
const read: Row = {
  parent: [200, 404, 404, 404],
  unlinkedParent: [404, 404, 404, 404],
  school: [200, 404, 404, 200],
  coordinator: [200, 200, 404, 200],
  admin: [200, 200, 404, 200],
};
const everyone = (s: number): Row => ({ parent: [s, s, s, s], unlinkedParent: [s, s, s, s], school: [s, s, s, s], coordinator: [s, s, s, s], admin: [s, s, s, s] });
const staffOnly = (s: number): Row => ({ parent: [403, 403, 403, 403], unlinkedParent: [403, 403, 403, 403], school: [s, s, s, s], coordinator: [s, s, s, s], admin: [s, s, s, s] });
const write = (ok: number): Row => ({
  parent: [403, 403, 403, 403],
  unlinkedParent: [403, 403, 403, 403],
  school: [ok, 404, 404, ok],
  coordinator: [ok, ok, 404, ok],
  admin: [ok, ok, 404, ok],
});

const matrix: Record<string, Row> = {
  'GET /api/v1/news': everyone(200),
  'GET /api/v1/dossiers': everyone(200),
  'GET /api/v1/dossiers/{id}': read,
  'GET /api/v1/dossiers/{id}/hulpvragen': read,
  'GET /api/v1/dossiers/{id}/access-log': read,
  'GET /api/v1/hulpvragen/{id}': read,
  'GET /api/v1/attachments/{id}': read,
  'GET /api/v1/attachments/{id}/content': read,
  'GET /api/v1/schools': staffOnly(200),
  // The target is the school in `schoolBrin`: another organisation's BRIN is unknown here (400);
  // school staff may not create at another school of their organisation (403: visible, not theirs).
  // Coordinators manage hulpvragen, not dossiers or guardians (DESIGN, roles): 403 whatever the target.
  'POST /api/v1/dossiers': { ...staffOnly(201), school: [201, 403, 400, 201], coordinator: [403, 403, 403, 403], admin: [201, 201, 400, 201] },
  'PATCH /api/v1/dossiers/{id}': { ...write(200), coordinator: [403, 403, 403, 403] },
  'POST /api/v1/dossiers/{id}/guardians': { ...write(204), coordinator: [403, 403, 403, 403] },
  'DELETE /api/v1/dossiers/{id}/guardians/{userId}': { ...write(204), coordinator: [403, 403, 403, 403] },
  'POST /api/v1/dossiers/{id}/hulpvragen': write(201),
  'PATCH /api/v1/hulpvragen/{id}': write(200),
  'POST /api/v1/hulpvragen/{id}/attachments': write(201),
  'DELETE /api/v1/attachments/{id}': write(204),
  'GET /api/v1/hulpvragen/{id}/status-history': write(200),
  'GET /api/v1/hulpvragen': staffOnly(200),
  // The dossier tabs: parents read the shared Aanpak and TLV items of their own child; Overlegronde is staff only.
  'GET /api/v1/dossiers/{id}/aanpak': read,
  'POST /api/v1/dossiers/{id}/aanpak': write(201),
  'PATCH /api/v1/aanpak/{id}': write(200),
  'DELETE /api/v1/aanpak/{id}': write(204),
  'POST /api/v1/aanpak/{id}/attachments': write(201),
  'GET /api/v1/dossiers/{id}/tlv': read,
  'POST /api/v1/dossiers/{id}/tlv': write(201),
  'PATCH /api/v1/tlv/{id}': write(200),
  'DELETE /api/v1/tlv/{id}': write(204),
  'POST /api/v1/tlv/{id}/attachments': write(201),
  'GET /api/v1/dossiers/{id}/overlegronden': write(200),
  'POST /api/v1/dossiers/{id}/overlegronden': write(201),
  'PATCH /api/v1/overlegronden/{id}': write(200),
  'DELETE /api/v1/overlegronden/{id}': write(204),
  'POST /api/v1/overlegronden/{id}/attachments': write(201),
  // Mijn notities: every staff member has their own (list and write on what they may see) …
  'GET /api/v1/dossiers/{id}/notes': write(200),
  'POST /api/v1/dossiers/{id}/notes': write(201),
  // … and a note is the author's alone: these notes were written by the admin (otherOrg's by
  // coordinatorB). Nobody but the author, ever: not other staff, not parents (403 before looking).
  'PATCH /api/v1/notes/{id}': { ...staffOnly(404), admin: [200, 200, 404, 200] },
  'DELETE /api/v1/notes/{id}': { ...staffOnly(404), admin: [204, 204, 404, 204] },
  // News management is for admins, within their organisation (otherOrg: another organisation's item).
  'GET /api/v1/news/manage': { ...staffOnly(403), admin: [200, 200, 200, 200] },
  'POST /api/v1/news': { ...staffOnly(403), admin: [201, 201, 201, 201] },
  'PATCH /api/v1/news/{id}': { ...staffOnly(403), admin: [200, 200, 404, 200] },
  'POST /api/v1/news/{id}/publish': { ...staffOnly(403), admin: [200, 200, 404, 200] },
  'POST /api/v1/news/{id}/withdraw': { ...staffOnly(403), admin: [200, 200, 404, 200] },
  // Finding a parent to link as guardian: those who link guardians.
  'GET /api/v1/parents': { ...staffOnly(200), coordinator: [403, 403, 403, 403] },
  // Workflow (Beheer): staff read the statuses; admins keep them, within their organisation.
  'GET /api/v1/hulpvraag-statuses': staffOnly(200),
  'POST /api/v1/hulpvraag-statuses': { ...staffOnly(403), admin: [201, 201, 201, 201] },
  'PATCH /api/v1/hulpvraag-statuses/{id}': { ...staffOnly(403), admin: [200, 200, 404, 200] },
  'DELETE /api/v1/hulpvraag-statuses/{id}': { ...staffOnly(403), admin: [204, 204, 404, 204] },
  'GET /api/v1/automation-rules': { ...staffOnly(403), admin: [200, 200, 200, 200] },
  'POST /api/v1/automation-rules': { ...staffOnly(403), admin: [201, 201, 201, 201] },
  'PATCH /api/v1/automation-rules/{id}': { ...staffOnly(403), admin: [200, 200, 404, 200] },
  'DELETE /api/v1/automation-rules/{id}': { ...staffOnly(403), admin: [204, 204, 404, 204] },
  'GET /api/v1/mail-templates': { ...staffOnly(403), admin: [200, 200, 200, 200] },
  'POST /api/v1/mail-templates': { ...staffOnly(403), admin: [201, 201, 201, 201] },
  'PATCH /api/v1/mail-templates/{id}': { ...staffOnly(403), admin: [200, 200, 404, 200] },
  'DELETE /api/v1/mail-templates/{id}': { ...staffOnly(403), admin: [204, 204, 404, 204] },
  'POST /api/v1/mail-templates/preview': { ...staffOnly(403), admin: [200, 200, 200, 200] },
  'GET /api/v1/mail-settings': { ...staffOnly(403), admin: [200, 200, 200, 200] },
  'PUT /api/v1/mail-settings': { ...staffOnly(403), admin: [200, 200, 200, 200] },
};

/**
 * Authenticated routes owned by the accounts feature (their own tests cover their rules).
 * Anything else that needs a token must have a row above, or the coverage test fails.
 */
const exempt = [
  /^(GET|POST|DELETE) \/api\/v1\/auth\//, // sessions, logout
  /^(GET|PATCH|POST) \/api\/v1\/me\b/, // the caller's own account
  /^(GET|POST|PATCH|DELETE) \/api\/v1\/users\b/, // account management
];

let t: TestContext;
let w: World;

/** A fresh item of a dossier tab for the target (fresh, so that a DELETE has something to delete). */
async function entryOf(target: Target, kind: EntryKind) {
  const d = w.dossiers[target];
  const [row] = await t.db.insert(dossierEntries).values({
    organisationId: d.organisationId, dossierId: d.id, kind, date: '2024-09-01', title: `${kind} ${target}`,
    ...(kind === 'tlv' ? { tlvType: 'sbo' as const, tlvStatus: 'toegekend' as const } : {}),
  }).returning();
  return row!.id;
}

/** A fresh private note on the target's dossier, written by the admin (otherOrg: by coordinatorB). */
async function noteOf(target: Target) {
  const d = w.dossiers[target];
  const authorId = target === 'otherOrg' ? w.users.coordinatorB.id : w.users.admin.id;
  const [row] = await t.db.insert(privateNotes).values({ organisationId: d.organisationId, dossierId: d.id, authorId, body: 'Privé.' }).returning();
  return row!.id;
}

/** A news item of the target's organisation (a draft, or published when it is to be withdrawn). */
async function newsOf(target: Target, published = false) {
  const organisationId = target === 'otherOrg' ? w.orgB.id : w.orgA.id;
  const [row] = await t.db.insert(news).values({ organisationId, title: 'Nieuws', body: 'Tekst.', publishedAt: published ? new Date() : null }).returning();
  return row!.id;
}

/** A fresh, unused status of the target's organisation. */
async function statusOf(target: Target) {
  const organisationId = target === 'otherOrg' ? w.orgB.id : w.orgA.id;
  const [row] = await t.db.insert(hulpvraagStatuses).values({ organisationId, name: `status ${randomUUID()}`, position: 100 }).returning();
  return row!.id;
}

/** A fresh (disabled) rule of the target's organisation. */
async function ruleOf(target: Target) {
  const organisationId = target === 'otherOrg' ? w.orgB.id : w.orgA.id;
  const [row] = await t.db.insert(automationRules).values({ organisationId, name: 'Regel', position: 100, enabled: false, kind: 'attachment_status', setStatus: 'advies' }).returning();
  return row!.id;
}

/** A fresh mail template of the target's organisation. */
async function templateOf(target: Target) {
  const organisationId = target === 'otherOrg' ? w.orgB.id : w.orgA.id;
  const [row] = await t.db.insert(mailTemplates).values({ organisationId, name: `Sjabloon ${randomUUID()}`, subject: 'Onderwerp', body: 'Tekst' }).returning();
  return row!.id;
}

/** The request for one cell; some cells first set up what they consume (a link, an attachment). */
async function requestFor(route: string, target: Target): Promise<[string, RequestInit]> {
  const d = w.dossiers[target].id;
  const h = w.hulpvraag[target];
  const a = w.attachment[target];
  switch (route) {
    case 'GET /api/v1/news': return ['/api/v1/news', {}];
    case 'GET /api/v1/dossiers': return ['/api/v1/dossiers?q=a', {}];
    case 'GET /api/v1/dossiers/{id}': return [`/api/v1/dossiers/${d}`, {}];
    case 'GET /api/v1/dossiers/{id}/hulpvragen': return [`/api/v1/dossiers/${d}/hulpvragen`, {}];
    case 'GET /api/v1/dossiers/{id}/access-log': return [`/api/v1/dossiers/${d}/access-log`, {}];
    case 'GET /api/v1/hulpvragen/{id}': return [`/api/v1/hulpvragen/${h}`, {}];
    case 'GET /api/v1/attachments/{id}': return [`/api/v1/attachments/${a}`, {}];
    case 'GET /api/v1/attachments/{id}/content': return [`/api/v1/attachments/${a}/content`, {}];
    case 'GET /api/v1/schools': return ['/api/v1/schools', {}];
    case 'POST /api/v1/dossiers':
      return ['/api/v1/dossiers', jsonRequest('POST', { firstName: 'Nieuw', lastName: 'Kind', birthDate: '2016-01-02', schoolBrin: w.brin[target] })];
    case 'PATCH /api/v1/dossiers/{id}': return [`/api/v1/dossiers/${d}`, jsonRequest('PATCH', { firstName: 'Gewijzigd' })];
    case 'POST /api/v1/dossiers/{id}/guardians': return [`/api/v1/dossiers/${d}/guardians`, jsonRequest('POST', { userId: w.users.spareParent.id })];
    case 'DELETE /api/v1/dossiers/{id}/guardians/{userId}':
      await t.db.insert(guardians).values({ dossierId: d, userId: w.users.spareParent.id }).onConflictDoNothing();
      return [`/api/v1/dossiers/${d}/guardians/${w.users.spareParent.id}`, { method: 'DELETE' }];
    case 'POST /api/v1/dossiers/{id}/hulpvragen': return [`/api/v1/dossiers/${d}/hulpvragen`, jsonRequest('POST', { title: 'Nieuwe hulpvraag' })];
    case 'PATCH /api/v1/hulpvragen/{id}': return [`/api/v1/hulpvragen/${h}`, jsonRequest('PATCH', { status: 'in behandeling' })];
    case 'POST /api/v1/hulpvragen/{id}/attachments':
      return [`/api/v1/hulpvragen/${h}/attachments`, { method: 'POST', headers: multipartHeaders(), body: multipartBody(Buffer.from('tekst\n'), 'notitie.txt') }];
    case 'DELETE /api/v1/attachments/{id}': {
      const fresh = await addAttachment(t.db, w.staffOf(target), h);
      return [`/api/v1/attachments/${fresh.id}`, { method: 'DELETE' }];
    }
    case 'GET /api/v1/hulpvragen': return ['/api/v1/hulpvragen?status=aanmelding', {}];
    case 'GET /api/v1/hulpvragen/{id}/status-history': return [`/api/v1/hulpvragen/${h}/status-history`, {}];
    case 'GET /api/v1/dossiers/{id}/notes': return [`/api/v1/dossiers/${d}/notes`, {}];
    case 'POST /api/v1/dossiers/{id}/notes': return [`/api/v1/dossiers/${d}/notes`, jsonRequest('POST', { body: 'Alleen voor mij.' })];
    case 'PATCH /api/v1/notes/{id}': return [`/api/v1/notes/${await noteOf(target)}`, jsonRequest('PATCH', { body: 'Gewijzigd.' })];
    case 'DELETE /api/v1/notes/{id}': return [`/api/v1/notes/${await noteOf(target)}`, { method: 'DELETE' }];
    case 'GET /api/v1/news/manage': return ['/api/v1/news/manage', {}];
    case 'POST /api/v1/news': return ['/api/v1/news', jsonRequest('POST', { title: 'Studiedag', body: 'Op 1 oktober.' })];
    case 'PATCH /api/v1/news/{id}': return [`/api/v1/news/${await newsOf(target)}`, jsonRequest('PATCH', { title: 'Gewijzigd' })];
    case 'POST /api/v1/news/{id}/publish': return [`/api/v1/news/${await newsOf(target)}/publish`, { method: 'POST' }];
    case 'POST /api/v1/news/{id}/withdraw': return [`/api/v1/news/${await newsOf(target, true)}/withdraw`, { method: 'POST' }];
    case 'GET /api/v1/parents': return ['/api/v1/parents?q=parent', {}];
    case 'GET /api/v1/hulpvraag-statuses': return ['/api/v1/hulpvraag-statuses', {}];
    case 'POST /api/v1/hulpvraag-statuses': return ['/api/v1/hulpvraag-statuses', jsonRequest('POST', { name: `nieuw ${randomUUID().slice(0, 8)}` })];
    case 'PATCH /api/v1/hulpvraag-statuses/{id}': return [`/api/v1/hulpvraag-statuses/${await statusOf(target)}`, jsonRequest('PATCH', { closes: true })];
    case 'DELETE /api/v1/hulpvraag-statuses/{id}': return [`/api/v1/hulpvraag-statuses/${await statusOf(target)}`, { method: 'DELETE' }];
    case 'GET /api/v1/automation-rules': return ['/api/v1/automation-rules', {}];
    case 'GET /api/v1/mail-templates': return ['/api/v1/mail-templates', {}];
    case 'POST /api/v1/mail-templates': return ['/api/v1/mail-templates', jsonRequest('POST', { name: `Nieuw ${randomUUID()}`, subject: 'Over {kind}', body: 'Kijk op {link}' })];
    case 'PATCH /api/v1/mail-templates/{id}': return [`/api/v1/mail-templates/${await templateOf(target)}`, jsonRequest('PATCH', { subject: 'Anders' })];
    case 'DELETE /api/v1/mail-templates/{id}': return [`/api/v1/mail-templates/${await templateOf(target)}`, { method: 'DELETE' }];
    case 'POST /api/v1/mail-templates/preview': return ['/api/v1/mail-templates/preview', jsonRequest('POST', { subject: 'Over {kind}', body: 'Kijk op {link}' })];
    case 'GET /api/v1/mail-settings': return ['/api/v1/mail-settings', {}];
    case 'PUT /api/v1/mail-settings': return ['/api/v1/mail-settings', jsonRequest('PUT', { closing: 'Groet' })];
    case 'POST /api/v1/automation-rules': return ['/api/v1/automation-rules', jsonRequest('POST', { name: 'Nieuw', kind: 'attachment_status', setStatus: 'advies', enabled: false })];
    case 'PATCH /api/v1/automation-rules/{id}': return [`/api/v1/automation-rules/${await ruleOf(target)}`, jsonRequest('PATCH', { name: 'Anders' })];
    case 'DELETE /api/v1/automation-rules/{id}': return [`/api/v1/automation-rules/${await ruleOf(target)}`, { method: 'DELETE' }];
  }
  const tab = /^(GET|POST|PATCH|DELETE) \/api\/v1\/(?:dossiers\/\{id\}\/)?(aanpak|tlv|overlegronden)(\/\{id\})?(\/attachments)?$/.exec(route);
  if (tab) {
    const [, method, segment, item, files] = tab;
    const kind = segment === 'overlegronden' ? 'overleg' : (segment as 'aanpak' | 'tlv');
    const body = { aanpak: { title: 'Extra leesbegeleiding' }, tlv: { type: 'so-midden', startDate: '2024-08-01', endDate: '2026-07-31' }, overleg: { date: '2024-10-01', participants: ['IB', 'ouder'] } }[kind];
    if (!item) return [`/api/v1/dossiers/${d}/${segment}`, method === 'GET' ? {} : jsonRequest('POST', body)];
    const e = await entryOf(target, kind);
    if (files) return [`/api/v1/${segment}/${e}/attachments`, { method: 'POST', headers: multipartHeaders(), body: multipartBody(Buffer.from('tekst\n'), 'plan.txt') }];
    return [`/api/v1/${segment}/${e}`, method === 'DELETE' ? { method: 'DELETE' } : jsonRequest('PATCH', { body: 'Gewijzigd.' })];
  }
  throw new Error(`no request for ${route}`);
}

describe('authorisation matrix', () => {
  beforeAll(async () => {
    t = await createTestApp();
    w = await createWorld(t.db, t.env, t.clock.now());
  });
  afterAll(() => t.close());

  it('has a row for every authenticated /api/v1 route in the OpenAPI document', () => {
    const doc = t.app.getOpenAPI31Document({ openapi: '3.1.0', info: { title: 'Kindkans', version: '1' } });
    const needed: string[] = [];
    for (const [path, item] of Object.entries(doc.paths ?? {})) {
      for (const [method, op] of Object.entries(item as Record<string, { security?: unknown[] }>)) {
        if (!path.startsWith('/api/v1/') || !op?.security?.length) continue;
        needed.push(`${method.toUpperCase()} ${path}`);
      }
    }
    const missing = needed.filter((r) => !(r in matrix) && !exempt.some((re) => re.test(r)));
    expect(missing).toEqual([]);
    expect(Object.keys(matrix).filter((r) => !needed.includes(r))).toEqual([]); // no stale rows
  });

  it('has a row for every /api/v1 route that answers 401 without a token, declared or not', async () => {
    const doc = t.app.getOpenAPI31Document({ openapi: '3.1.0', info: { title: 'Kindkans', version: '1' } });
    const unlisted: string[] = [];
    for (const [path, item] of Object.entries(doc.paths ?? {})) {
      for (const method of Object.keys(item as object)) {
        const route = `${method.toUpperCase()} ${path}`;
        if (!path.startsWith('/api/v1/') || route in matrix || exempt.some((re) => re.test(route))) continue;
        const url = path.replace(/\{[^}]+\}/g, '00000000-0000-4000-8000-000000000000');
        const res = await t.app.request(url, method === 'get' ? {} : jsonRequest(method.toUpperCase(), {}));
        if (res.status === 401) unlisted.push(route);
      }
    }
    expect(unlisted).toEqual([]);
  });

  for (const route of Object.keys(matrix)) {
    it(route, async () => {
      const got: string[] = [];
      const want: string[] = [];
      for (const actor of actors) {
        for (const [i, target] of targets.entries()) {
          const [url, init] = await requestFor(route, target);
          const res = await t.app.request(url, { ...init, headers: { ...(init.headers as Record<string, string>), ...bearer(w.tokens[actor]) } });
          await res.arrayBuffer();
          got.push(`${actor} ${target} ${res.status}`);
          want.push(`${actor} ${target} ${matrix[route]![actor][i]}`);
        }
      }
      expect(got).toEqual(want);
    });
  }

  it('answers 401 without a token on every row', async () => {
    for (const route of Object.keys(matrix)) {
      const [url, init] = await requestFor(route, 'own');
      const res = await t.app.request(url, init);
      expect([route, res.status]).toEqual([route, 401]);
    }
  });

  it('answers 404 for a malformed id, never 500', async () => {
    const token = bearer(w.tokens.admin);
    for (const url of ['/api/v1/dossiers/nope', '/api/v1/hulpvragen/1%27%20or%201=1', '/api/v1/attachments/../x/content', '/api/v1/attachments/123/content', '/api/v1/dossiers/zzz/access-log']) {
      const res = await t.app.request(url, { headers: token });
      expect([url, res.status]).toEqual([url, 404]);
    }
  });
});
