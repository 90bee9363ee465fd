import { createRoute, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { IdParam, authResponses, bearerSecurity, bodyResponses, json, jsonBody, problem } from '../../lib/openapi.ts';
import { AppError } from '../../lib/errors.ts';
import { createRouter } from '../../lib/router.ts';
import type { DbOrTx } from '../../db/client.ts';
import { auditContext, recordAudit } from '../audit/service.ts';
import { authenticate, authorize, findVisibleDossier, findVisibleHulpvraag, loadVisible, type AuthEnv } from '../../authz/index.ts';
import { singleLine } from '../dossiers/schemas.ts';
import { Dossier } from '../dossiers/schemas.ts';
import { getDossier } from '../dossiers/service.ts';
import { Hulpvraag } from '../hulpvragen/schemas.ts';
import { getHulpvraag } from '../hulpvragen/service.ts';
import { forgetBytes } from '../attachments/storage.ts';
import { ANONYMISED, anonymiseDossier, anonymiseHulpvraag, checkConfirmation, lockDossier, type AnonymiseResult } from './service.ts';

const noStore = { 'Cache-Control': 'no-store' };
const AnonymiseBody = z
  .object({ confirm: singleLine(250).openapi({ description: "The child's first and last name, typed by the person who anonymises (any case)", example: 'Sam de Vries' }) })
  .openapi('AnonymiseConfirmation');
const responses = {
  ...bodyResponses,
  ...authResponses,
  404: problem('No such dossier or hulpvraag, or not visible to you'),
  409: problem('conflict: anonymised already'),
  422: problem("confirmation_mismatch: `confirm` is not the child's name; nothing changed"),
};

type Subject = { type: 'dossier' | 'hulpvraag'; id: string; dossierId: string };

/**
 * Runs one anonymisation in one transaction: lock the dossier, refuse when it (or the hulpvraag) is
 * anonymised already (409) or the confirmation is not the child's name (422, audited as a failure,
 * nothing changed), then scrub and audit — the entry names no child, only what was removed.
 */
async function runAnonymise(c: Context<AuthEnv>, subject: Subject, confirm: string, work: (tx: DbOrTx) => Promise<AnonymiseResult>) {
  const { db } = c.var.deps;
  const entry = { ...auditContext(c), action: `${subject.type}.anonymise`, subjectType: subject.type, subjectId: subject.id, subjectLabel: ANONYMISED, dossierId: subject.dossierId };
  try {
    const removed = await db.transaction(async (tx) => {
      const dossier = await lockDossier(tx, subject.dossierId);
      if (dossier.anonymised) throw new AppError('conflict', subject.type === 'dossier' ? 'This dossier is anonymised already.' : 'This hulpvraag belongs to an anonymised dossier.');
      checkConfirmation(dossier.name, confirm);
      const { counts, removedAttachmentIds } = await work(tx);
      await recordAudit(tx, { ...entry, outcome: 'success', detail: { removed: counts } });
      return removedAttachmentIds;
    });
    forgetBytes(c.var.deps.attachmentCache, removed);
  } catch (err) {
    if (err instanceof AppError && (err.code === 'confirmation_mismatch' || err.code === 'conflict')) await recordAudit(db, { ...entry, outcome: 'failure', detail: { reason: err.code } });
    throw err;
  }
}

export const anonymiseRoutes = createRouter()
  .openapi(
    createRoute({
      method: 'post', path: '/dossiers/{id}/anonymise', tags: ['Dossiers'], operationId: 'anonymiseDossier',
      summary: "Anonymise a dossier, irreversibly (admins; `confirm` must be the child's name)",
      description: 'Replaces the personal fields, deletes attachments, Mijn notities and the personal content of hulpvragen, Aanpak, TLV and Overlegronde items, unlinks the guardians, and keeps Status informatie and the audit log without personal data. The dossier cannot be changed afterwards.',
      middleware: [authenticate(), authorize('dossier.anonymise')] as const, security: bearerSecurity,
      request: { params: IdParam, body: jsonBody(AnonymiseBody) },
      responses: { 200: json(Dossier, 'The anonymised dossier'), ...responses },
    }),
    async (c) => {
      const found = await loadVisible(c, findVisibleDossier, c.req.valid('param').id, { action: 'dossier.anonymise', subjectType: 'dossier' });
      const { db, clock } = c.var.deps;
      await runAnonymise(c, { type: 'dossier', id: found.id, dossierId: found.id }, c.req.valid('json').confirm, (tx) => anonymiseDossier(tx, found.organisationId, found.id, clock.now()));
      return c.json(await getDossier(db, found.id), 200, noStore);
    },
  )
  .openapi(
    createRoute({
      method: 'post', path: '/hulpvragen/{id}/anonymise', tags: ['Hulpvragen'], operationId: 'anonymiseHulpvraag',
      summary: "Anonymise one hulpvraag, irreversibly (admins; `confirm` must be the child's name)",
      description: 'Replaces title and description, deletes labels, attachments and the notes people wrote in its Status informatie; the statuses, dates and the audit log stay, without personal data. The hulpvraag cannot be changed afterwards.',
      middleware: [authenticate(), authorize('dossier.anonymise')] as const, security: bearerSecurity,
      request: { params: IdParam, body: jsonBody(AnonymiseBody) },
      responses: { 200: json(Hulpvraag, 'The anonymised hulpvraag'), ...responses },
    }),
    async (c) => {
      const found = await loadVisible(c, findVisibleHulpvraag, c.req.valid('param').id, { action: 'hulpvraag.anonymise', subjectType: 'hulpvraag' });
      const { db, clock } = c.var.deps;
      await runAnonymise(c, { type: 'hulpvraag', id: found.id, dossierId: found.dossierId }, c.req.valid('json').confirm, (tx) => anonymiseHulpvraag(tx, found.organisationId, found.id, clock.now()));
      return c.json(await getHulpvraag(db, found.id), 200, noStore);
    },
  );
