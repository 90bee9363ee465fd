import { createRoute, z } from '@hono/zod-openapi';
import { and, desc, eq } from 'drizzle-orm';
import type { Context } from 'hono';
import type { DbOrTx } from '../../db/client.ts';
import { privateNotes } from '../../db/schema/index.ts';
import { AppError } from '../../lib/errors.ts';
import { IdParam, authResponses, bearerSecurity, bodyResponses, isUuid, json, jsonBody, problem } from '../../lib/openapi.ts';
import { createRouter } from '../../lib/router.ts';
import { auditContext, recordAudit } from '../audit/service.ts';
import { multiLine } from '../dossiers/schemas.ts';
import { authenticate, authorize, findVisibleDossier, loadVisible, refuseIfAnonymised, type AuthEnv } from '../../authz/index.ts';

// Mijn notities: a staff member's private notes on a dossier. Only the author ever reads or
// changes them — not other staff, not admins, not parents, not the access log or any export.
// Someone else's note answers 404, exactly like one that does not exist.

const Note = z.object({ id: z.uuid(), dossierId: z.uuid(), body: z.string(), createdAt: z.string(), updatedAt: z.string() }).openapi('PrivateNote');
const NoteBody = z.object({ body: multiLine(20_000).trim().min(1) }).openapi('PrivateNoteBody');

type NoteRow = typeof privateNotes.$inferSelect;
const toNote = (n: NoteRow) => ({ id: n.id, dossierId: n.dossierId, body: n.body, createdAt: n.createdAt.toISOString(), updatedAt: n.updatedAt.toISOString() });
const noStore = { 'Cache-Control': 'no-store' };
const errors = { ...authResponses, 403: problem('Parents have no notes'), 404: problem('No such note of yours, or dossier not visible to you') };

/** The caller's own note, locked for the change; anyone else's is 404. */
async function findOwnNote(db: DbOrTx, authorId: string, id: string): Promise<NoteRow> {
  const [row] = isUuid(id) ? await db.select().from(privateNotes).where(and(eq(privateNotes.id, id), eq(privateNotes.authorId, authorId))).for('update') : [];
  if (!row) throw new AppError('not_found', 'No note of yours with this id.');
  return row;
}

/** The audit log records that a note changed, never what it says. */
const audited = (c: Context<AuthEnv>, action: string, note: { id: string; dossierId: string }) => ({
  ...auditContext(c), action, outcome: 'success' as const, subjectType: 'note', subjectId: note.id, dossierId: note.dossierId,
});

export const noteRoutes = createRouter()
  .openapi(
    createRoute({
      method: 'get', path: '/dossiers/{id}/notes', tags: ['Dossier tabs'], summary: 'Mijn notities: my own notes on this dossier, newest first (staff)', operationId: 'listNotes',
      middleware: [authenticate(), authorize('note.manage')] as const, security: bearerSecurity,
      request: { params: IdParam },
      responses: { 200: json(z.array(Note), 'My notes'), ...errors },
    }),
    async (c) => {
      const dossier = await loadVisible(c, findVisibleDossier, c.req.valid('param').id, { action: 'notes.read', subjectType: 'dossier' });
      const rows = await c.var.deps.db.select().from(privateNotes)
        .where(and(eq(privateNotes.dossierId, dossier.id), eq(privateNotes.authorId, c.var.principal.user.id)))
        .orderBy(desc(privateNotes.createdAt), desc(privateNotes.id)).limit(500);
      return c.json(rows.map(toNote), 200, noStore);
    },
  )
  .openapi(
    createRoute({
      method: 'post', path: '/dossiers/{id}/notes', tags: ['Dossier tabs'], summary: 'Mijn notities: write a private note (staff)', operationId: 'createNote',
      middleware: [authenticate(), authorize('note.manage')] as const, security: bearerSecurity,
      request: { params: IdParam, body: jsonBody(NoteBody) },
      responses: { 201: json(Note, 'The note'), ...bodyResponses, 409: problem('conflict: the dossier is anonymised'), ...errors },
    }),
    async (c) => {
      const dossier = await loadVisible(c, findVisibleDossier, c.req.valid('param').id, { action: 'note.create', subjectType: 'dossier' });
      await refuseIfAnonymised(c, dossier, 'note.create');
      const { db, clock } = c.var.deps;
      const now = clock.now();
      const note = await db.transaction(async (tx) => {
        const [row] = await tx.insert(privateNotes).values({ organisationId: c.var.principal.organisationId, dossierId: dossier.id, authorId: c.var.principal.user.id, body: c.req.valid('json').body, createdAt: now, updatedAt: now }).returning();
        await recordAudit(tx, audited(c, 'note.create', row!));
        return row!;
      });
      return c.json(toNote(note), 201, noStore);
    },
  )
  .openapi(
    createRoute({
      method: 'patch', path: '/notes/{id}', tags: ['Dossier tabs'], summary: 'Mijn notities: edit one of my notes', operationId: 'updateNote',
      middleware: [authenticate(), authorize('note.manage')] as const, security: bearerSecurity,
      request: { params: IdParam, body: jsonBody(NoteBody) },
      responses: { 200: json(Note, 'The note'), ...bodyResponses, ...errors },
    }),
    async (c) => {
      const { db, clock } = c.var.deps;
      const note = await db.transaction(async (tx) => {
        const found = await findOwnNote(tx, c.var.principal.user.id, c.req.valid('param').id);
        const [row] = await tx.update(privateNotes).set({ body: c.req.valid('json').body, updatedAt: clock.now() }).where(eq(privateNotes.id, found.id)).returning();
        await recordAudit(tx, audited(c, 'note.update', found));
        return row!;
      });
      return c.json(toNote(note), 200, noStore);
    },
  )
  .openapi(
    createRoute({
      method: 'delete', path: '/notes/{id}', tags: ['Dossier tabs'], summary: 'Mijn notities: delete one of my notes', operationId: 'deleteNote',
      middleware: [authenticate(), authorize('note.manage')] as const, security: bearerSecurity,
      request: { params: IdParam },
      responses: { 204: { description: 'Deleted' }, ...errors },
    }),
    async (c) => {
      await c.var.deps.db.transaction(async (tx) => {
        const found = await findOwnNote(tx, c.var.principal.user.id, c.req.valid('param').id);
        await tx.delete(privateNotes).where(eq(privateNotes.id, found.id));
        await recordAudit(tx, audited(c, 'note.delete', found));
      });
      return c.body(null, 204);
    },
  );
