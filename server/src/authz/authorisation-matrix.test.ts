import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createTestApp, jsonRequest, withBearer, type TestContext } from '../../test/app.ts';
import { linkGuardian, makeDossier, makeUser } from '../../test/fixtures.ts';
import { eq } from 'drizzle-orm';
import { automationRules, dossierEntries, guardians, hulpvraagStatuses, hulpvragen, mailTemplates, news, privateNotes, type EntryKind, type UserStatus } from '../db/schema/index.ts';
import { createApiToken } from '../features/api-tokens/service.ts';
import { createSession, sessionPolicy } from '../features/auth/session.ts';
import { scopes, type Scope } from './principal.ts';
import { actions, scopeOf, type Action } from './rules.ts';
import { actors, addAttachment, createWorld, targets, type Actor, type Target, type World } from '../../test/world.ts';
import { multipartBody, multipartHeaders } from '../../test/multipart.ts';

/**
 * The authorisation matrix: route (and its authz action) × principal × target → status.
 * Principals: a session of each role (`unlinkedParent`: a parent linked to no dossier), and an API
 * token of organisation A for each scope, holding that scope only.
 * Targets: own = the parent's child at the school of the `school` user; otherSchool = another
 * school of the same organisation; otherOrg = another organisation; otherChild = another parent's
 * child at the same school. Columns in every cell list: [own, otherSchool, otherOrg, otherChild].
 * `token`: the scope a token needs and what a token with it gets (every other token: 403
 * insufficient_scope); null: no token ever (403 forbidden).
 */
type Cells = [number, number, number, number];
interface Row {
  action: Action;
  sessions: Record<Actor, Cells>;
  token: { scope: Scope; cells: Cells } | null;
}

const all = (s: number): Cells => [s, s, s, s];
const everyone = (s: number): Record<Actor, Cells> => ({ parent: all(s), unlinkedParent: all(s), school: all(s), coordinator: all(s), admin: all(s) });
const staffOnly = (s: number): Record<Actor, Cells> => ({ parent: all(403), unlinkedParent: all(403), school: all(s), coordinator: all(s), admin: all(s) });
const read: Record<Actor, Cells> = {
  parent: [200, 404, 404, 404],
  unlinkedParent: [404, 404, 404, 404],
  school: [200, 404, 404, 200],
  coordinator: [200, 200, 404, 200],
  admin: [200, 200, 404, 200],
};
const write = (ok: number): Record<Actor, Cells> => ({
  parent: all(403),
  unlinkedParent: all(403),
  school: [ok, 404, 404, ok],
  coordinator: [ok, ok, 404, ok],
  admin: [ok, ok, 404, ok],
});
/** Coordinators manage hulpvragen, not dossiers or guardians (DESIGN, roles): 403 whatever the target. */
const dossierWrite = (ok: number) => ({ ...write(ok), coordinator: all(403) });
/** Accounts: admins every person, school staff the parents of their schools' children, coordinators none. */
const accounts = (ok: number): Record<Actor, Cells> => ({ ...write(ok), coordinator: all(403) });
const adminsOnly = (cells: Cells): Record<Actor, Cells> => ({ parent: all(403), unlinkedParent: all(403), school: all(403), coordinator: all(403), admin: cells });
const orgWide = (ok: number): Cells => [ok, ok, 404, ok];

const matrix: Record<string, Row> = {
  'GET /api/v1/me': { action: 'account.read', sessions: everyone(200), token: null },
  'GET /api/v1/auth/session': { action: 'session.manage', sessions: everyone(200), token: null },
  'GET /api/v1/auth/sessions': { action: 'session.manage', sessions: everyone(200), token: null },
  'DELETE /api/v1/auth/sessions/{id}': { action: 'session.manage', sessions: everyone(204), token: null },
  'POST /api/v1/auth/logout': { action: 'session.manage', sessions: everyone(204), token: null },
  'GET /api/v1/news': { action: 'news.read', sessions: everyone(200), token: { scope: 'dossiers:read', cells: all(200) } },
  'GET /api/v1/dossiers': { action: 'dossier.read', sessions: everyone(200), token: { scope: 'dossiers:read', cells: all(200) } },
  'GET /api/v1/dossiers/{id}': { action: 'dossier.read', sessions: read, token: { scope: 'dossiers:read', cells: orgWide(200) } },
  'GET /api/v1/dossiers/{id}/hulpvragen': { action: 'dossier.read', sessions: read, token: { scope: 'dossiers:read', cells: orgWide(200) } },
  'GET /api/v1/dossiers/{id}/access-log': { action: 'accessLog.read', sessions: read, token: { scope: 'audit:read', cells: orgWide(200) } },
  'GET /api/v1/hulpvragen/{id}': { action: 'dossier.read', sessions: read, token: { scope: 'dossiers:read', cells: orgWide(200) } },
  'GET /api/v1/attachments/{id}': { action: 'dossier.read', sessions: read, token: { scope: 'dossiers:read', cells: orgWide(200) } },
  'GET /api/v1/attachments/{id}/content': { action: 'dossier.read', sessions: read, token: { scope: 'dossiers:read', cells: orgWide(200) } },
  'GET /api/v1/schools': { action: 'school.search', sessions: staffOnly(200), token: { scope: 'dossiers:read', cells: all(200) } },
  // The target is the school in `schoolBrin`: another organisation's BRIN is unknown here (400);
  // school staff may not create at another school of their organisation (403: visible, not theirs).
  'POST /api/v1/dossiers': {
    action: 'dossier.create',
    sessions: { ...staffOnly(201), school: [201, 403, 400, 201], coordinator: all(403), admin: [201, 201, 400, 201] },
    token: { scope: 'dossiers:write', cells: [201, 201, 400, 201] },
  },
  'PATCH /api/v1/dossiers/{id}': { action: 'dossier.update', sessions: dossierWrite(200), token: { scope: 'dossiers:write', cells: orgWide(200) } },
  'POST /api/v1/dossiers/{id}/guardians': { action: 'guardian.link', sessions: dossierWrite(204), token: { scope: 'dossiers:write', cells: orgWide(204) } },
  'DELETE /api/v1/dossiers/{id}/guardians/{userId}': { action: 'guardian.unlink', sessions: dossierWrite(204), token: { scope: 'dossiers:write', cells: orgWide(204) } },
  'POST /api/v1/dossiers/{id}/hulpvragen': { action: 'hulpvraag.create', sessions: write(201), token: { scope: 'dossiers:write', cells: orgWide(201) } },
  'PATCH /api/v1/hulpvragen/{id}': { action: 'hulpvraag.update', sessions: write(200), token: { scope: 'dossiers:write', cells: orgWide(200) } },
  'POST /api/v1/hulpvragen/{id}/attachments': { action: 'attachment.upload', sessions: write(201), token: { scope: 'dossiers:write', cells: orgWide(201) } },
  'DELETE /api/v1/attachments/{id}': { action: 'attachment.delete', sessions: write(204), token: { scope: 'dossiers:write', cells: orgWide(204) } },
  'GET /api/v1/users': { action: 'user.list', sessions: staffOnly(200), token: { scope: 'users:read', cells: all(200) } },
  // Invites a parent for the target's dossier (school staff: only their own schools' children).
  'POST /api/v1/users': { action: 'user.invite', sessions: accounts(201), token: { scope: 'users:write', cells: orgWide(201) } },
  // The target is a parent of the target's dossier.
  'POST /api/v1/users/{id}/resend-invitation': { action: 'user.resendInvitation', sessions: accounts(204), token: { scope: 'users:write', cells: orgWide(204) } },
  'POST /api/v1/users/{id}/deactivate': { action: 'user.deactivate', sessions: accounts(204), token: { scope: 'users:write', cells: orgWide(204) } },
  'POST /api/v1/users/{id}/reactivate': { action: 'user.reactivate', sessions: accounts(204), token: { scope: 'users:write', cells: orgWide(204) } },
  'POST /api/v1/users/{id}/reset-2fa': { action: 'user.reset2fa', sessions: accounts(204), token: null },
  // Lifting a lock after wrong codes: admins, school staff for their schools' parents; never a token.
  'POST /api/v1/users/{id}/unlock': { action: 'user.unlock', sessions: accounts(204), token: null },
  'GET /api/v1/api-tokens': { action: 'token.list', sessions: adminsOnly(all(200)), token: null },
  'POST /api/v1/api-tokens': { action: 'token.create', sessions: adminsOnly(all(201)), token: null },
  // The target: a token of the admin's organisation, or (otherOrg) of another.
  'DELETE /api/v1/api-tokens/{id}': { action: 'token.revoke', sessions: adminsOnly(orgWide(204)), token: null },
  // The staff panel (issue 10).
  'GET /api/v1/hulpvragen': { action: 'hulpvraag.list', sessions: staffOnly(200), token: { scope: 'dossiers:read', cells: all(200) } },
  'GET /api/v1/hulpvragen/{id}/status-history': { action: 'hulpvraag.history.read', sessions: write(200), token: { scope: 'dossiers:read', cells: orgWide(200) } },
  // The dossier tabs: parents read the shared Aanpak and TLV items of their own child; Overlegronde is staff only.
  'GET /api/v1/dossiers/{id}/aanpak': { action: 'entry.read', sessions: read, token: { scope: 'dossiers:read', cells: orgWide(200) } },
  'POST /api/v1/dossiers/{id}/aanpak': { action: 'entry.write', sessions: write(201), token: { scope: 'dossiers:write', cells: orgWide(201) } },
  'PATCH /api/v1/aanpak/{id}': { action: 'entry.write', sessions: write(200), token: { scope: 'dossiers:write', cells: orgWide(200) } },
  'DELETE /api/v1/aanpak/{id}': { action: 'entry.write', sessions: write(204), token: { scope: 'dossiers:write', cells: orgWide(204) } },
  'POST /api/v1/aanpak/{id}/attachments': { action: 'entry.write', sessions: write(201), token: { scope: 'dossiers:write', cells: orgWide(201) } },
  'GET /api/v1/dossiers/{id}/tlv': { action: 'entry.read', sessions: read, token: { scope: 'dossiers:read', cells: orgWide(200) } },
  'POST /api/v1/dossiers/{id}/tlv': { action: 'entry.write', sessions: write(201), token: { scope: 'dossiers:write', cells: orgWide(201) } },
  'PATCH /api/v1/tlv/{id}': { action: 'entry.write', sessions: write(200), token: { scope: 'dossiers:write', cells: orgWide(200) } },
  'DELETE /api/v1/tlv/{id}': { action: 'entry.write', sessions: write(204), token: { scope: 'dossiers:write', cells: orgWide(204) } },
  'POST /api/v1/tlv/{id}/attachments': { action: 'entry.write', sessions: write(201), token: { scope: 'dossiers:write', cells: orgWide(201) } },
  // Parents reach the list too, but see only a closed meeting they are invited to (visibleEntries).
  'GET /api/v1/dossiers/{id}/overlegronden': { action: 'overleg.read', sessions: read, token: { scope: 'dossiers:read', cells: orgWide(200) } },
  'POST /api/v1/dossiers/{id}/overlegronden': { action: 'entry.write', sessions: write(201), token: { scope: 'dossiers:write', cells: orgWide(201) } },
  'PATCH /api/v1/overlegronden/{id}': { action: 'entry.write', sessions: write(200), token: { scope: 'dossiers:write', cells: orgWide(200) } },
  'DELETE /api/v1/overlegronden/{id}': { action: 'entry.write', sessions: write(204), token: { scope: 'dossiers:write', cells: orgWide(204) } },
  'POST /api/v1/overlegronden/{id}/attachments': { action: 'entry.write', sessions: write(201), token: { scope: 'dossiers:write', cells: orgWide(201) } },
  // Mijn notities: every staff member has their own; a note written by the admin (otherOrg's by
  // coordinatorB) is the admin's alone. Nobody but the author, ever; never an API token.
  'GET /api/v1/dossiers/{id}/notes': { action: 'note.manage', sessions: write(200), token: null },
  'POST /api/v1/dossiers/{id}/notes': { action: 'note.manage', sessions: write(201), token: null },
  'PATCH /api/v1/notes/{id}': { action: 'note.manage', sessions: { ...staffOnly(404), admin: orgWide(200) }, token: null },
  'DELETE /api/v1/notes/{id}': { action: 'note.manage', sessions: { ...staffOnly(404), admin: orgWide(204) }, token: null },
  // News management: admins, within their organisation (otherOrg: another organisation's item).
  'GET /api/v1/news/manage': { action: 'news.manage', sessions: adminsOnly(all(200)), token: null },
  'POST /api/v1/news': { action: 'news.manage', sessions: adminsOnly(all(201)), token: null },
  'PATCH /api/v1/news/{id}': { action: 'news.manage', sessions: adminsOnly(orgWide(200)), token: null },
  'POST /api/v1/news/{id}/publish': { action: 'news.manage', sessions: adminsOnly(orgWide(200)), token: null },
  'POST /api/v1/news/{id}/withdraw': { action: 'news.manage', sessions: adminsOnly(orgWide(200)), token: null },
  // Workflow (Beheer): staff read the statuses; admins keep statuses, rules and mail templates, within their organisation.
  'GET /api/v1/hulpvraag-statuses': { action: 'status.read', sessions: staffOnly(200), token: null },
  'POST /api/v1/hulpvraag-statuses': { action: 'workflow.manage', sessions: adminsOnly(all(201)), token: null },
  'PATCH /api/v1/hulpvraag-statuses/{id}': { action: 'workflow.manage', sessions: adminsOnly(orgWide(200)), token: null },
  'DELETE /api/v1/hulpvraag-statuses/{id}': { action: 'workflow.manage', sessions: adminsOnly(orgWide(204)), token: null },
  'GET /api/v1/automation-rules': { action: 'workflow.manage', sessions: adminsOnly(all(200)), token: null },
  'POST /api/v1/automation-rules': { action: 'workflow.manage', sessions: adminsOnly(all(201)), token: null },
  'PATCH /api/v1/automation-rules/{id}': { action: 'workflow.manage', sessions: adminsOnly(orgWide(200)), token: null },
  'DELETE /api/v1/automation-rules/{id}': { action: 'workflow.manage', sessions: adminsOnly(orgWide(204)), token: null },
  'GET /api/v1/mail-templates': { action: 'workflow.manage', sessions: adminsOnly(all(200)), token: null },
  'POST /api/v1/mail-templates': { action: 'workflow.manage', sessions: adminsOnly(all(201)), token: null },
  'PATCH /api/v1/mail-templates/{id}': { action: 'workflow.manage', sessions: adminsOnly(orgWide(200)), token: null },
  'DELETE /api/v1/mail-templates/{id}': { action: 'workflow.manage', sessions: adminsOnly(orgWide(204)), token: null },
  'POST /api/v1/mail-templates/preview': { action: 'workflow.manage', sessions: adminsOnly(all(200)), token: null },
  'GET /api/v1/mail-settings': { action: 'workflow.manage', sessions: adminsOnly(all(200)), token: null },
  'PUT /api/v1/mail-settings': { action: 'workflow.manage', sessions: adminsOnly(all(200)), token: null },
  // Kengetallen: the organisation's figures, for coordinators and admins (not school staff). The
  // target is the school filter: another organisation's BRIN is unknown here (400).
  'GET /api/v1/kengetallen': { action: 'kengetallen.read', sessions: { ...adminsOnly([200, 200, 400, 200]), coordinator: [200, 200, 400, 200] }, token: { scope: 'dossiers:read', cells: [200, 200, 400, 200] } },
  'GET /api/v1/kengetallen/{table}/csv': { action: 'kengetallen.read', sessions: { ...adminsOnly([200, 200, 400, 200]), coordinator: [200, 200, 400, 200] }, token: { scope: 'dossiers:read', cells: [200, 200, 400, 200] } },
  // Issue 11: anonymising (admins, never a token), TLV archiveren, closed Overlegronden.
  'POST /api/v1/dossiers/{id}/anonymise': { action: 'dossier.anonymise', sessions: adminsOnly(orgWide(200)), token: null },
  'POST /api/v1/hulpvragen/{id}/anonymise': { action: 'dossier.anonymise', sessions: adminsOnly(orgWide(200)), token: null },
  'POST /api/v1/tlv/{id}/archive': { action: 'tlv.archive', sessions: { ...adminsOnly(orgWide(200)), coordinator: orgWide(200) }, token: null },
  'POST /api/v1/tlv/{id}/unarchive': { action: 'tlv.unarchive', sessions: adminsOnly(orgWide(200)), token: null },
  'GET /api/v1/dossiers/{id}/overlegronden/candidates': { action: 'entry.write', sessions: write(200), token: { scope: 'dossiers:write', cells: orgWide(200) } },
  'GET /api/v1/parents': { action: 'parent.search', sessions: { ...staffOnly(200), coordinator: all(403) }, token: { scope: 'users:read', cells: all(200) } },
  'POST /api/v1/users/{id}/end-sessions': { action: 'user.endSessions', sessions: accounts(204), token: { scope: 'users:write', cells: orgWide(204) } },
  // Beheer → Auditlog and Rechten (issue 11): admins and audit:read tokens, within their
  // organisation. The account routes' target is the guardian of the target's dossier (a token
  // sees no admins, but a parent is a person it sees).
  'GET /api/v1/audit-log': { action: 'audit.read', sessions: adminsOnly(all(200)), token: { scope: 'audit:read', cells: all(200) } },
  'GET /api/v1/audit-log/export': { action: 'audit.read', sessions: adminsOnly(all(200)), token: { scope: 'audit:read', cells: all(200) } },
  'GET /api/v1/dossiers/{id}/rights': { action: 'audit.read', sessions: adminsOnly(orgWide(200)), token: { scope: 'audit:read', cells: orgWide(200) } },
  'GET /api/v1/dossiers/{id}/rights/export': { action: 'audit.read', sessions: adminsOnly(orgWide(200)), token: { scope: 'audit:read', cells: orgWide(200) } },
  'GET /api/v1/users/{id}/rights': { action: 'audit.read', sessions: adminsOnly(orgWide(200)), token: { scope: 'audit:read', cells: orgWide(200) } },
  'GET /api/v1/users/{id}/rights/export': { action: 'audit.read', sessions: adminsOnly(orgWide(200)), token: { scope: 'audit:read', cells: orgWide(200) } },
  // Slapende accounts: listed like the accounts; deactivated in one step by those who manage them (the target: a sleeping parent of the target's dossier), never by a token; the setting is the admins'.
  'GET /api/v1/sleeping-accounts': { action: 'user.list', sessions: staffOnly(200), token: { scope: 'users:read', cells: all(200) } },
  'POST /api/v1/sleeping-accounts/deactivate': { action: 'user.deactivateSleeping', sessions: accounts(200), token: null },
  'GET /api/v1/sleeping-accounts/settings': { action: 'sleeping.manage', sessions: adminsOnly(all(200)), token: null },
  'PUT /api/v1/sleeping-accounts/settings': { action: 'sleeping.manage', sessions: adminsOnly(all(200)), token: null },
};

/** A fresh item of a dossier tab for the target (fresh, so that a DELETE has something to delete). */
async function entryOf(target: Target, kind: EntryKind) {
  const d = w.dossiers[target];
  const [row] = await t.db.insert(dossierEntries).values({
    organisationId: d.organisationId, dossierId: d.id, kind, date: '2024-09-01', title: `${kind} ${target}`,
    ...(kind === 'tlv' ? { tlvType: 'sbo' as const, tlvStatus: 'toegekend' as const } : {}),
  }).returning();
  return row!.id;
}

/** A fresh dossier seen exactly like the target's (same school; the target's guardian linked), to be anonymised. */
async function freshDossierLike(target: Target) {
  const like = w.dossiers[target];
  const fresh = await makeDossier(t.db, like.organisationId, like.schoolId, { firstName: 'Anoniem', lastName: `Kind ${randomUUID().slice(0, 6)}` });
  await linkGuardian(t.db, fresh.id, w.guardianOf[target].id);
  return fresh;
}

/** A fresh private note on the target's dossier, written by the admin (otherOrg: by coordinatorB). */
async function noteOf(target: Target) {
  const d = w.dossiers[target];
  const authorId = target === 'otherOrg' ? w.users.coordinatorB.id : w.users.admin.id;
  const [row] = await t.db.insert(privateNotes).values({ organisationId: d.organisationId, dossierId: d.id, authorId, body: 'Privé.' }).returning();
  return row!.id;
}

/** A fresh, unused status of the target's organisation. */
async function statusOf(target: Target) {
  const [row] = await t.db.insert(hulpvraagStatuses).values({ organisationId: orgOf(target), name: `status ${randomUUID()}`, position: 100 }).returning();
  return row!.id;
}

/** A fresh (disabled) rule of the target's organisation. */
async function ruleOf(target: Target) {
  const [row] = await t.db.insert(automationRules).values({ organisationId: orgOf(target), name: 'Regel', position: 100, enabled: false, kind: 'attachment_status', setStatus: 'advies' }).returning();
  return row!.id;
}

/** A fresh mail template of the target's organisation. */
async function templateOf(target: Target) {
  const [row] = await t.db.insert(mailTemplates).values({ organisationId: orgOf(target), name: `Sjabloon ${randomUUID()}`, subject: 'Onderwerp', body: 'Tekst' }).returning();
  return row!.id;
}

/** A news item of the target's organisation (a draft, or published when it is to be withdrawn). */
async function newsOf(target: Target, published = false) {
  const [row] = await t.db.insert(news).values({ organisationId: orgOf(target), title: 'Nieuws', body: 'Tekst.', publishedAt: published ? new Date() : null }).returning();
  return row!.id;
}

let t: TestContext;
let w: World;

const orgOf = (target: Target) => (target === 'otherOrg' ? w.orgB.id : w.orgA.id);

/** A fresh parent of the target's dossier, in the given state. */
async function parentOf(target: Target, status: UserStatus) {
  const parent = await makeUser(t.db, orgOf(target), 'parent', { status });
  await linkGuardian(t.db, w.dossiers[target].id, parent.id);
  return parent.id;
}

/** A fresh parent of the target's dossier, invited years ago and never logged in: sleeping. */
async function sleepingParentOf(target: Target) {
  const parent = await makeUser(t.db, orgOf(target), 'parent', { status: 'active', createdAt: new Date('2020-01-01T00:00:00Z') });
  await linkGuardian(t.db, w.dossiers[target].id, parent.id);
  return parent.id;
}

/**
 * The request for one cell; some cells first set up what they consume (a link, an attachment, a
 * session to end). A third element replaces the caller's token (logout ends a fresh session).
 */
async function requestFor(route: string, target: Target, actor: Actor | Scope): Promise<[string, RequestInit, string?]> {
  const d = w.dossiers[target].id;
  const h = w.hulpvraag[target];
  const a = w.attachment[target];
  const isSession = (actors as string[]).includes(actor);
  switch (route) {
    case 'GET /api/v1/me': return ['/api/v1/me', {}];
    case 'GET /api/v1/auth/session': return ['/api/v1/auth/session', {}];
    case 'GET /api/v1/auth/sessions': return ['/api/v1/auth/sessions', {}];
    case 'DELETE /api/v1/auth/sessions/{id}': {
      const owner = isSession ? w.users[actor as Actor].id : w.users.admin.id;
      const { session } = await createSession(t.db, owner, t.clock.now(), sessionPolicy(t.env));
      return [`/api/v1/auth/sessions/${session.id}`, { method: 'DELETE' }];
    }
    case 'POST /api/v1/auth/logout': {
      if (!isSession) return ['/api/v1/auth/logout', { method: 'POST' }];
      const { token } = await createSession(t.db, w.users[actor as Actor].id, t.clock.now(), sessionPolicy(t.env));
      return ['/api/v1/auth/logout', { method: 'POST' }, token];
    }
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
    case 'GET /api/v1/users': return ['/api/v1/users', {}];
    case 'POST /api/v1/users':
      return ['/api/v1/users', jsonRequest('POST', { role: 'parent', email: 'ouder@example.org', displayName: 'Nieuwe Ouder', dossierIds: [d] })];
    case 'POST /api/v1/users/{id}/resend-invitation': return [`/api/v1/users/${await parentOf(target, 'invited')}/resend-invitation`, { method: 'POST' }];
    case 'POST /api/v1/users/{id}/deactivate': return [`/api/v1/users/${await parentOf(target, 'active')}/deactivate`, { method: 'POST' }];
    case 'POST /api/v1/users/{id}/reactivate': return [`/api/v1/users/${await parentOf(target, 'deactivated')}/reactivate`, { method: 'POST' }];
    case 'POST /api/v1/users/{id}/unlock': return [`/api/v1/users/${await parentOf(target, 'active')}/unlock`, { method: 'POST' }];
    case 'POST /api/v1/users/{id}/reset-2fa': return [`/api/v1/users/${await parentOf(target, 'active')}/reset-2fa`, { method: 'POST' }];
    case 'GET /api/v1/api-tokens': return ['/api/v1/api-tokens', {}];
    case 'POST /api/v1/api-tokens': return ['/api/v1/api-tokens', jsonRequest('POST', { name: 'Rapportage', scopes: ['dossiers:read'] })];
    case 'DELETE /api/v1/api-tokens/{id}': {
      const made = await createApiToken(t.db, orgOf(target), { name: 'Weg ermee', scopes: ['audit:read'], expiresInDays: 1 }, { now: t.clock.now(), createdBy: { id: null, displayName: 'Test' }, audit: {} });
      return [`/api/v1/api-tokens/${made.id}`, { method: 'DELETE' }];
    }
  }
  switch (route) {
    case 'GET /api/v1/hulpvragen': return ['/api/v1/hulpvragen?status=aanmelding', {}];
    case 'GET /api/v1/hulpvragen/{id}/status-history': return [`/api/v1/hulpvragen/${h}/status-history`, {}];
    case 'GET /api/v1/dossiers/{id}/notes': return [`/api/v1/dossiers/${d}/notes`, {}];
    case 'POST /api/v1/dossiers/{id}/notes': return [`/api/v1/dossiers/${d}/notes`, jsonRequest('POST', { body: 'Alleen voor mij.' })];
    case 'PATCH /api/v1/notes/{id}': return [`/api/v1/notes/${await noteOf(target)}`, jsonRequest('PATCH', { body: 'Gewijzigd.' })];
    case 'DELETE /api/v1/notes/{id}': return [`/api/v1/notes/${await noteOf(target)}`, { method: 'DELETE' }];
    case 'GET /api/v1/news/manage': return ['/api/v1/news/manage', {}];
    case 'GET /api/v1/hulpvraag-statuses': return ['/api/v1/hulpvraag-statuses', {}];
    case 'POST /api/v1/hulpvraag-statuses': return ['/api/v1/hulpvraag-statuses', jsonRequest('POST', { name: `nieuw ${randomUUID().slice(0, 8)}` })];
    case 'PATCH /api/v1/hulpvraag-statuses/{id}': return [`/api/v1/hulpvraag-statuses/${await statusOf(target)}`, jsonRequest('PATCH', { closes: true })];
    case 'DELETE /api/v1/hulpvraag-statuses/{id}': return [`/api/v1/hulpvraag-statuses/${await statusOf(target)}`, { method: 'DELETE' }];
    case 'GET /api/v1/automation-rules': return ['/api/v1/automation-rules', {}];
    case 'POST /api/v1/automation-rules': return ['/api/v1/automation-rules', jsonRequest('POST', { name: 'Nieuw', kind: 'attachment_status', setStatus: 'advies', enabled: false })];
    case 'PATCH /api/v1/automation-rules/{id}': return [`/api/v1/automation-rules/${await ruleOf(target)}`, jsonRequest('PATCH', { name: 'Anders' })];
    case 'DELETE /api/v1/automation-rules/{id}': return [`/api/v1/automation-rules/${await ruleOf(target)}`, { method: 'DELETE' }];
    case 'GET /api/v1/mail-templates': return ['/api/v1/mail-templates', {}];
    case 'POST /api/v1/mail-templates': return ['/api/v1/mail-templates', jsonRequest('POST', { name: `Nieuw ${randomUUID()}`, subject: 'Over {kind}', body: 'Kijk op {link}' })];
    case 'PATCH /api/v1/mail-templates/{id}': return [`/api/v1/mail-templates/${await templateOf(target)}`, jsonRequest('PATCH', { subject: 'Anders' })];
    case 'DELETE /api/v1/mail-templates/{id}': return [`/api/v1/mail-templates/${await templateOf(target)}`, { method: 'DELETE' }];
    case 'POST /api/v1/mail-templates/preview': return ['/api/v1/mail-templates/preview', jsonRequest('POST', { subject: 'Over {kind}', body: 'Kijk op {link}' })];
    case 'GET /api/v1/mail-settings': return ['/api/v1/mail-settings', {}];
    case 'PUT /api/v1/mail-settings': return ['/api/v1/mail-settings', jsonRequest('PUT', { closing: 'Groet' })];
    case 'POST /api/v1/news': return ['/api/v1/news', jsonRequest('POST', { title: 'Studiedag', body: 'Op 1 oktober.' })];
    case 'PATCH /api/v1/news/{id}': return [`/api/v1/news/${await newsOf(target)}`, jsonRequest('PATCH', { title: 'Gewijzigd' })];
    case 'POST /api/v1/news/{id}/publish': return [`/api/v1/news/${await newsOf(target)}/publish`, { method: 'POST' }];
    case 'POST /api/v1/news/{id}/withdraw': return [`/api/v1/news/${await newsOf(target, true)}/withdraw`, { method: 'POST' }];
    case 'GET /api/v1/parents': return ['/api/v1/parents?q=parent', {}];
    case 'GET /api/v1/kengetallen': return [`/api/v1/kengetallen?school=${w.brin[target]}`, {}];
    case 'GET /api/v1/kengetallen/{table}/csv': return [`/api/v1/kengetallen/tlvExpiring/csv?school=${w.brin[target]}`, {}];
    case 'POST /api/v1/dossiers/{id}/anonymise': {
      const fresh = await freshDossierLike(target);
      return [`/api/v1/dossiers/${fresh.id}/anonymise`, jsonRequest('POST', { confirm: `${fresh.firstName} ${fresh.lastName}` })];
    }
    case 'POST /api/v1/hulpvragen/{id}/anonymise': {
      const fresh = await freshDossierLike(target);
      const [row] = await t.db.insert(hulpvragen).values({ organisationId: fresh.organisationId, dossierId: fresh.id, date: '2024-01-15', title: 'Weg ermee' }).returning();
      return [`/api/v1/hulpvragen/${row!.id}/anonymise`, jsonRequest('POST', { confirm: `${fresh.firstName} ${fresh.lastName}` })];
    }
    case 'POST /api/v1/tlv/{id}/archive': return [`/api/v1/tlv/${await entryOf(target, 'tlv')}/archive`, { method: 'POST' }];
    case 'POST /api/v1/tlv/{id}/unarchive': {
      const e = await entryOf(target, 'tlv');
      await t.db.update(dossierEntries).set({ archivedAt: new Date() }).where(eq(dossierEntries.id, e));
      return [`/api/v1/tlv/${e}/unarchive`, { method: 'POST' }];
    }
    case 'GET /api/v1/dossiers/{id}/overlegronden/candidates': return [`/api/v1/dossiers/${d}/overlegronden/candidates`, {}];
    case 'POST /api/v1/users/{id}/end-sessions': return [`/api/v1/users/${await parentOf(target, 'active')}/end-sessions`, { method: 'POST' }];
    case 'GET /api/v1/audit-log': return ['/api/v1/audit-log?outcome=denied&pageSize=5', {}];
    case 'GET /api/v1/audit-log/export': return ['/api/v1/audit-log/export?action=dossier.*', {}];
    case 'GET /api/v1/dossiers/{id}/rights': return [`/api/v1/dossiers/${d}/rights`, {}];
    case 'GET /api/v1/dossiers/{id}/rights/export': return [`/api/v1/dossiers/${d}/rights/export`, {}];
    case 'GET /api/v1/users/{id}/rights': return [`/api/v1/users/${w.guardianOf[target].id}/rights`, {}];
    case 'GET /api/v1/users/{id}/rights/export': return [`/api/v1/users/${w.guardianOf[target].id}/rights/export`, {}];
    case 'GET /api/v1/sleeping-accounts': return ['/api/v1/sleeping-accounts', {}];
    case 'POST /api/v1/sleeping-accounts/deactivate': return ['/api/v1/sleeping-accounts/deactivate', jsonRequest('POST', { ids: [await sleepingParentOf(target)] })];
    case 'GET /api/v1/sleeping-accounts/settings': return ['/api/v1/sleeping-accounts/settings', {}];
    case 'PUT /api/v1/sleeping-accounts/settings': return ['/api/v1/sleeping-accounts/settings', jsonRequest('PUT', { enabled: false, months: 12 })];
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

/** What one request answered: the status, and for a 403 its problem code. */
async function outcome(res: Response): Promise<string> {
  if (res.status !== 403) {
    await res.arrayBuffer();
    return String(res.status);
  }
  return `403 ${(await res.json()).code}`;
}

const expected = (status: number, tokenCode?: string) => (status === 403 ? `403 ${tokenCode ?? 'forbidden'}` : String(status));

describe('authorisation matrix', () => {
  beforeAll(async () => {
    t = await createTestApp();
    w = await createWorld(t.db, t.env, t.clock.now());
  });
  afterAll(() => t.close());

  const authenticatedRoutes = () => {
    const doc = t.app.getOpenAPI31Document({ openapi: '3.1.0', info: { title: 'Kindkans', version: '1' } });
    const needed: string[] = [];
    for (const [path, item] of Object.entries(doc.paths ?? {})) {
      for (const [method, op] of Object.entries(item as Record<string, { security?: unknown[] }>)) {
        if (op?.security?.length) needed.push(`${method.toUpperCase()} ${path}`);
      }
    }
    return needed;
  };

  it('has a row for every authenticated route in the OpenAPI document, and no stale rows', () => {
    const needed = authenticatedRoutes();
    expect(needed.filter((r) => !(r in matrix))).toEqual([]);
    expect(Object.keys(matrix).filter((r) => !needed.includes(r))).toEqual([]);
  });

  it('has a row for every route that answers 401 without a token, declared or not', async () => {
    const doc = t.app.getOpenAPI31Document({ openapi: '3.1.0', info: { title: 'Kindkans', version: '1' } });
    const unlisted: string[] = [];
    for (const [path, item] of Object.entries(doc.paths ?? {})) {
      for (const method of Object.keys(item)) {
        const route = `${method.toUpperCase()} ${path}`;
        if (route in matrix) continue;
        const url = path.replace(/\{[^}]+\}/g, '00000000-0000-4000-8000-000000000000');
        const res = await t.app.request(url, method === 'get' ? {} : jsonRequest(method.toUpperCase(), {}));
        if (res.status === 401) unlisted.push(route);
      }
    }
    expect(unlisted).toEqual([]);
  });

  it('uses every action of the rules, each row with the scope the rules give it', () => {
    const used = new Set(Object.values(matrix).map((r) => r.action));
    expect(actions.filter((a) => !used.has(a))).toEqual([]);
    const disagree = Object.entries(matrix).filter(([, r]) => scopeOf(r.action) !== (r.token?.scope ?? null)).map(([route]) => route);
    expect(disagree).toEqual([]);
  });

  for (const [route, row] of Object.entries(matrix)) {
    it(`${route} (${row.action})`, async () => {
      const got: string[] = [];
      const want: string[] = [];
      for (const actor of actors) {
        for (const [i, target] of targets.entries()) {
          const [url, init, token] = await requestFor(route, target, actor);
          const res = await t.app.request(url, withBearer(token ?? w.tokens[actor], init));
          got.push(`${actor} ${target} ${await outcome(res)}`);
          want.push(`${actor} ${target} ${expected(row.sessions[actor][i]!)}`);
        }
      }
      for (const scope of scopes) {
        for (const [i, target] of targets.entries()) {
          const [url, init] = await requestFor(route, target, scope);
          const res = await t.app.request(url, withBearer(w.apiTokens[scope], init));
          got.push(`token(${scope}) ${target} ${await outcome(res)}`);
          const status = row.token?.scope === scope ? row.token.cells[i]! : 403;
          want.push(`token(${scope}) ${target} ${expected(status, row.token && row.token.scope !== scope ? 'insufficient_scope' : undefined)}`);
        }
      }
      expect(got).toEqual(want);
    });
  }

  it('answers 401 without a token on every row', async () => {
    for (const route of Object.keys(matrix)) {
      const [url, init] = await requestFor(route, 'own', 'admin');
      const res = await t.app.request(url, init);
      expect([route, res.status]).toEqual([route, 401]);
    }
  });

  it('answers 404 for a malformed id, never 500', async () => {
    for (const token of [w.tokens.admin, w.apiTokens['dossiers:read']]) {
      for (const url of ['/api/v1/dossiers/nope', '/api/v1/hulpvragen/1%27%20or%201=1', '/api/v1/attachments/../x/content', '/api/v1/attachments/123/content', '/api/v1/dossiers/zzz/hulpvragen']) {
        const res = await t.app.request(url, { headers: bearer(token) });
        expect([url, res.status]).toEqual([url, 404]);
      }
    }
  });
});
