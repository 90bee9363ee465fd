import { createRoute } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { IdParam, authResponses, bearerSecurity, json, problem } from '../../lib/openapi.ts';
import { AppError } from '../../lib/errors.ts';
import { createRouter } from '../../lib/router.ts';
import { auditContext, recordAudit } from '../audit/service.ts';
import { authenticate, authorize, findVisibleDossier, loadVisible, refuseIfAnonymised, type AuthEnv } from '../../authz/index.ts';
import { OverlegCandidates, TlvItem } from './schemas.ts';
import { findVisibleEntry, getEntry, listInviteCandidates, setArchived } from './service.ts';

const noStore = { 'Cache-Control': 'no-store' };
const responses = { ...authResponses, 404: problem('Not found, or not visible to you'), 409: problem('conflict: archived (or back) already, or the dossier is anonymised') };

/** TLV archiveren and terugzetten: one transaction with its audit entry; doing it twice is a 409. */
async function archive(c: Context<AuthEnv>, id: string, archived: boolean) {
  const action = archived ? 'tlv.archive' : 'tlv.unarchive';
  const found = await loadVisible(c, (db, p, x) => findVisibleEntry(db, p, 'tlv', x), id, { action, subjectType: 'tlv' });
  await refuseIfAnonymised(c, found, action);
  if (found.archived === archived) throw new AppError('conflict', archived ? 'This TLV is archived already.' : 'This TLV is not archived.');
  const { db, clock } = c.var.deps;
  const now = clock.now();
  const entry = await db.transaction(async (tx) => {
    await setArchived(tx, found.id, archived ? now : null, now);
    await recordAudit(tx, { ...auditContext(c), action, outcome: 'success', subjectType: 'tlv', subjectId: found.id, subjectLabel: found.title || 'TLV', dossierId: found.dossierId });
    return getEntry(tx, found.id, now);
  });
  const { participants: _p, closed: _c, invited: _i, ...tlv } = entry;
  return c.json(tlv, 200, noStore);
}

export const entryExtraRoutes = createRouter()
  .openapi(
    createRoute({
      method: 'post', path: '/tlv/{id}/archive', tags: ['Dossier tabs'], operationId: 'archiveTlvItem',
      summary: 'TLV archiveren: take a TLV out of every list (coordinators, admins); admins still find it',
      middleware: [authenticate(), authorize('tlv.archive')] as const, security: bearerSecurity,
      request: { params: IdParam },
      responses: { 200: json(TlvItem, 'The archived TLV'), ...responses },
    }),
    async (c) => archive(c, c.req.valid('param').id, true),
  )
  .openapi(
    createRoute({
      method: 'post', path: '/tlv/{id}/unarchive', tags: ['Dossier tabs'], operationId: 'unarchiveTlvItem',
      summary: 'Put an archived TLV back in the lists (admins)',
      middleware: [authenticate(), authorize('tlv.unarchive')] as const, security: bearerSecurity,
      request: { params: IdParam },
      responses: { 200: json(TlvItem, 'The TLV, back in the lists'), ...responses },
    }),
    async (c) => archive(c, c.req.valid('param').id, false),
  )
  .openapi(
    createRoute({
      method: 'get', path: '/dossiers/{id}/overlegronden/candidates', tags: ['Dossier tabs'], operationId: 'listOverlegCandidates',
      summary: 'Who may be invited to a closed Overlegronde: staff who may see the dossier, and its guardians (staff)',
      middleware: [authenticate(), authorize('entry.write')] as const, security: bearerSecurity,
      request: { params: IdParam },
      responses: { 200: json(OverlegCandidates, 'Staff and guardians, by role and name'), ...authResponses, 404: problem('No such dossier, or not visible to you') },
    }),
    async (c) => {
      const dossier = await loadVisible(c, findVisibleDossier, c.req.valid('param').id, { action: 'overleg.candidates.read', subjectType: 'dossier' });
      const { db } = c.var.deps;
      const candidates = await listInviteCandidates(db, dossier.organisationId, dossier.id);
      await recordAudit(db, { ...auditContext(c), action: 'overleg.candidates.read', outcome: 'success', subjectType: 'dossier', subjectId: dossier.id, subjectLabel: dossier.label, dossierId: dossier.id, detail: { count: candidates.length } });
      return c.json(candidates, 200, noStore);
    },
  );
