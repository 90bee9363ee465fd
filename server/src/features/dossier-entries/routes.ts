import { createRoute, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import type { EntryKind } from '../../db/schema/index.ts';
import { IdParam, PageQuery, authResponses, bearerSecurity, bodyResponses, json, jsonBody, pageOf, problem, queryResponses } from '../../lib/openapi.ts';
import { createRouter } from '../../lib/router.ts';
import { auditContext, recordAudit } from '../audit/service.ts';
import { receiveUpload, uploadBody, uploadResponses } from '../attachments/routes.ts';
import { streamsItsBody } from '../attachments/streamed-upload.ts';
import { toAttachmentView } from '../hulpvragen/service.ts';
import { afterCommit, automateEntry } from '../automation/hooks.ts';
import { authenticate, authorize, authorizeTarget, findVisibleDossier, loadVisible, refuseIfAnonymised, type AuthEnv } from '../../authz/index.ts';
import { AanpakCreate, AanpakItem, AanpakPatch, OverlegCreate, OverlegItem, OverlegPatch, TlvCreate, TlvItem, TlvPatch, type EntryInput } from './schemas.ts';
import { createEntry, deleteEntry, findVisibleEntry, getEntry, listEntries, setInvited, updateEntry, type EntryView } from './service.ts';
import { entryParticipants } from '../../db/schema/index.ts';
import { eq } from 'drizzle-orm';

const noStore = { 'Cache-Control': 'no-store' };
const readResponses = { ...authResponses, 404: problem('Not found, or not visible to you') };
/** Create and change: a JSON body (so also 413 and 415, from the body limit and the content-type check). */
const writeResponses = { ...readResponses, ...bodyResponses, 403: problem('Not allowed for your role'), 409: problem('conflict: the dossier is anonymised') };

/** The shape of each kind in the API: the shared fields plus its own. */
const shape = {
  aanpak: ({ type: _t, status: _s, startDate: _a, endDate: _b, decisionDate: _d, expired: _e, participants: _p, archivedAt: _r, closed: _c, invited: _i, ...v }: EntryView) => v,
  tlv: ({ participants: _p, closed: _c, invited: _i, ...v }: EntryView) => v,
  overleg: ({ type: _t, status: _s, startDate: _a, endDate: _b, decisionDate: _d, expired: _e, archivedAt: _r, ...v }: EntryView) => v,
};
const ListQuery = PageQuery.extend({
  includeArchived: z.enum(['true', 'false']).optional().openapi({ description: 'TLV only, admins only: also the archived TLVs (gearchiveerd tonen)' }),
});

interface KindSpec<S extends string, I extends z.ZodType> {
  kind: EntryKind;
  /** The path segment, e.g. `aanpak` for `/dossiers/{id}/aanpak` and `/aanpak/{id}`. */
  segment: S;
  label: string;
  /** For operation ids: `Aanpak` → listAanpakItems, createAanpakItem, … */
  name: string;
  item: I;
  create: z.ZodType<EntryInput>;
  patch: z.ZodType<EntryInput>;
  /** Parents may read shared items of this kind (Aanpak and TLV: yes; Overlegronde: staff only). */
  parentsRead: boolean;
}

/**
 * The routes of one tab (Aanpak, TLV, Overlegronde): list and add per dossier, edit, delete and
 * upload attachments per item. Reads are audited (they appear in the parents' access log);
 * writes are staff only and audited in their transaction.
 */
function entryRoutes<S extends string, I extends z.ZodType>(spec: KindSpec<S, I>) {
  const { kind, segment, label } = spec;
  const view = (v: EntryView) => shape[kind](v) as z.infer<I>;
  const audited = (c: Context<AuthEnv>, action: string, subject: { id: string; label: string; dossierId: string }) => ({
    ...auditContext(c), action: `${kind}.${action}`, outcome: 'success' as const, subjectType: kind, subjectId: subject.id, subjectLabel: subject.label || label, dossierId: subject.dossierId,
  });
  const loadEntry = (c: Context<AuthEnv>, id: string, action: string) =>
    loadVisible(c, (db, user, x) => findVisibleEntry(db, user, kind, x), id, { action: `${kind}.${action}`, subjectType: kind });

  return createRouter()
    .openapi(
      createRoute({
        method: 'get', path: `/dossiers/{id}/${segment}`, operationId: `list${spec.name}Items`, tags: ['Dossier tabs'], summary: `${label}: the dossier's items, newest first`,
        middleware: [authenticate(), authorize(spec.parentsRead ? 'entry.read' : 'overleg.read')] as const, security: bearerSecurity,
        request: { params: IdParam, query: ListQuery },
        responses: { ...queryResponses, 200: json(pageOf(spec.item, `${label}Page`), 'A page of items'), ...readResponses, 403: problem('Not for your role') },
      }),
      async (c) => {
        const dossier = await loadVisible(c, findVisibleDossier, c.req.valid('param').id, { action: `${kind}.read`, subjectType: 'dossier' });
        const { includeArchived, ...query } = c.req.valid('query');
        // Gearchiveerd tonen: admins only (the people who may bring an archived TLV back).
        if (includeArchived === 'true' && kind === 'tlv') await authorizeTarget(c, 'tlv.unarchive', {}, { type: 'dossier', id: dossier.id, dossierId: dossier.id });
        const { db, clock } = c.var.deps;
        const page = await listEntries(db, c.var.principal, dossier.id, kind, query, clock.now(), includeArchived === 'true' && kind === 'tlv');
        await recordAudit(db, audited(c, 'read', { id: dossier.id, label: `${label} ${dossier.label}`, dossierId: dossier.id }));
        return c.json({ ...page, items: page.items.map(view) }, 200, noStore);
      },
    )
    .openapi(
      createRoute({
        method: 'post', path: `/dossiers/{id}/${segment}`, operationId: `create${spec.name}Item`, tags: ['Dossier tabs'], summary: `${label}: add an item (staff)`,
        middleware: [authenticate(), authorize('entry.write')] as const, security: bearerSecurity,
        request: { params: IdParam, body: jsonBody(spec.create) },
        responses: { 201: json(spec.item, 'The new item'), ...writeResponses },
      }),
      async (c) => {
        const dossier = await loadVisible(c, findVisibleDossier, c.req.valid('param').id, { action: `${kind}.create`, subjectType: 'dossier' });
        await refuseIfAnonymised(c, dossier, `${kind}.create`);
        const input = c.req.valid('json');
        const { db, clock } = c.var.deps;
        const { created, automation } = await db.transaction(async (tx) => {
          const id = await createEntry(tx, c.var.principal, dossier.id, kind, input, clock.now());
          if (kind === 'overleg') await setInvited(tx, c.var.principal, { id, organisationId: dossier.organisationId, dossierId: dossier.id }, input.invitedIds ?? (input.closed ? [] : undefined));
          await recordAudit(tx, audited(c, 'create', { id, label: input.title ?? '', dossierId: dossier.id }));
          // Workflow: a new Aanpak or TLV can set the status of the dossier's open hulpvragen, in this transaction.
          const automation = await automateEntry(c, tx, dossier.id, kind);
          return { created: await getEntry(tx, id, clock.now()), automation };
        });
        afterCommit(c, automation);
        return c.json(view(created), 201, noStore);
      },
    )
    .openapi(
      createRoute({
        method: 'patch', path: `/${segment}/{id}`, operationId: `update${spec.name}Item`, tags: ['Dossier tabs'], summary: `${label}: edit an item (staff)`,
        middleware: [authenticate(), authorize('entry.write')] as const, security: bearerSecurity,
        request: { params: IdParam, body: jsonBody(spec.patch) },
        responses: { 200: json(spec.item, 'The item'), ...writeResponses },
      }),
      async (c) => {
        const found = await loadEntry(c, c.req.valid('param').id, 'update');
        await refuseIfAnonymised(c, found, `${kind}.update`);
        const { db, clock } = c.var.deps;
        const input = c.req.valid('json');
        const updated = await db.transaction(async (tx) => {
          await updateEntry(tx, found.id, input, clock.now());
          if (kind === 'overleg') {
            // Closing without a list keeps whoever is invited (and adds the one who closes it).
            const keep = input.closed ? (await tx.select({ id: entryParticipants.userId }).from(entryParticipants).where(eq(entryParticipants.entryId, found.id))).map((r) => r.id) : undefined;
            await setInvited(tx, c.var.principal, found, input.invitedIds ?? keep);
          }
          const entry = await getEntry(tx, found.id, clock.now());
          await recordAudit(tx, audited(c, 'update', { id: found.id, label: entry.title, dossierId: found.dossierId }));
          return entry;
        });
        return c.json(view(updated), 200, noStore);
      },
    )
    .openapi(
      createRoute({
        method: 'delete', path: `/${segment}/{id}`, operationId: `delete${spec.name}Item`, tags: ['Dossier tabs'], summary: `${label}: delete an item with its attachments (staff)`,
        middleware: [authenticate(), authorize('entry.write')] as const, security: bearerSecurity,
        request: { params: IdParam },
        responses: { 204: { description: 'Deleted' }, ...readResponses, 403: problem('Not allowed for your role'), 409: problem('conflict: the dossier is anonymised') },
      }),
      async (c) => {
        const found = await loadEntry(c, c.req.valid('param').id, 'delete');
        await refuseIfAnonymised(c, found, `${kind}.delete`);
        await c.var.deps.db.transaction(async (tx) => {
          await deleteEntry(tx, found.id);
          await recordAudit(tx, audited(c, 'delete', { id: found.id, label: found.title, dossierId: found.dossierId }));
        });
        return c.body(null, 204);
      },
    )
    .openapi(
      createRoute({
        method: 'post', path: `/${segment}/{id}/attachments`, operationId: `upload${spec.name}Attachment`, tags: ['Attachments'], summary: `${label}: upload an attachment (staff; multipart field \`file\`)`,
        middleware: [streamsItsBody, authenticate(), authorize('entry.write')] as const, security: bearerSecurity,
        request: { params: IdParam, body: uploadBody },
        responses: uploadResponses,
      }),
      async (c) => {
        const found = await loadEntry(c, c.req.valid('param').id, 'attachment.create');
        await refuseIfAnonymised(c, found, `${kind}.attachment.create`);
        const stored = await receiveUpload(c, { entryId: found.id }, found.dossierId);
        return c.json(toAttachmentView(stored), 201, { ...noStore, Location: `/api/v1/attachments/${stored.id}` });
      },
    );
}

export const aanpakRoutes = entryRoutes({ kind: 'aanpak', segment: 'aanpak', label: 'Aanpak', name: 'Aanpak', item: AanpakItem, create: AanpakCreate, patch: AanpakPatch, parentsRead: true });
export const tlvRoutes = entryRoutes({ kind: 'tlv', segment: 'tlv', label: 'TLV', name: 'Tlv', item: TlvItem, create: TlvCreate, patch: TlvPatch, parentsRead: true });
export const overlegRoutes = entryRoutes({ kind: 'overleg', segment: 'overlegronden', label: 'Overlegronde', name: 'Overlegronde', item: OverlegItem, create: OverlegCreate, patch: OverlegPatch, parentsRead: false });

