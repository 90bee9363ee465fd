import { createRoute, z } from '@hono/zod-openapi';
import { eq, sql } from 'drizzle-orm';
import { attachments, dossiers } from '../../db/schema/index.ts';
import type { Db } from '../../db/client.ts';
import { runPrepared } from '../../db/prepared.ts';
import { AppError } from '../../lib/errors.ts';
import { IdParam, authResponses, bearerSecurity, isUuid, json, problem } from '../../lib/openapi.ts';
import { createRouter } from '../../lib/router.ts';
import { auditContext, completeAuditDetail, recordAudit } from '../audit/service.ts';
import { Attachment } from '../hulpvragen/schemas.ts';
import { attachmentColumns, toAttachmentView } from '../hulpvragen/service.ts';
import { authenticate, authorize, denyInvisible, findVisibleAttachment, findVisibleHulpvraag, loadVisible, onlyVisibleAttachment, refuseIfAnonymised, type AuthEnv, type Principal, type VisibleAttachment } from '../../authz/index.ts';
import { etagMatches, parseRange } from './download.ts';
import { forgetBytes, readBytes, type StoredFile } from './storage.ts';
import { contentDisposition } from './filename.ts';
import { boundaryOf } from './multipart.ts';
import { streamsItsBody } from './streamed-upload.ts';
import { MULTIPART_OVERHEAD, storeUpload, type AttachmentOwner } from './upload.ts';
import type { Context } from 'hono';
import { afterCommit, automate } from '../automation/hooks.ts';
import type { AutomationResult } from '../automation/engine.ts';

const readResponses = { ...authResponses, 404: problem('No such attachment, or not visible to you') };

// The upload body is described with a plain schema (not zod) on purpose: a zod form schema would make
// the validator read the whole body into memory before the handler runs. The handler streams it.
export const uploadBody = {
  required: true,
  content: { 'multipart/form-data': { schema: { type: 'object' as const, required: ['file'], properties: { file: { type: 'string' as const, format: 'binary' } } } } },
};

/** The responses of every upload route (hulpvraag, Aanpak, TLV, Overlegronde). */
export const uploadResponses = {
  201: json(Attachment, 'The stored attachment'),
  400: problem('No file, an empty file, or a broken body'),
  413: problem('Larger than UPLOAD_MAX_MB'),
  415: problem('Not an accepted type (decided on the bytes)'),
  ...authResponses,
  404: problem('No such item, or not visible to you'),
  409: problem('conflict: the dossier is anonymised'),
};

/** Streams the multipart body of the request into an attachment of `owner` (one pipeline for every owner). */
export async function receiveUpload(c: Context<AuthEnv>, owner: AttachmentOwner, dossierId: string) {
  const { db, env, clock, attachmentCache } = c.var.deps;
  const maxBytes = Math.floor(env.UPLOAD_MAX_MB * 1024 * 1024);
  const boundary = boundaryOf(c.req.header('content-type'));
  if (!boundary) throw new AppError('unsupported_media_type', 'Send the file as multipart/form-data with a field named "file".');
  const declared = Number(c.req.header('content-length'));
  if (declared > maxBytes + MULTIPART_OVERHEAD) throw new AppError('payload_too_large', `The file is larger than ${env.UPLOAD_MAX_MB} MB.`);
  const body = c.req.raw.body;
  if (!body) throw new AppError('validation_failed', 'file: send the file in a multipart field named "file".');
  let automation: AutomationResult | undefined;
  const stored = await storeUpload(db, {
    cache: attachmentCache, user: c.var.principal.user, owner, body: body as unknown as AsyncIterable<Uint8Array>, boundary, maxBytes, now: clock.now(),
    audit: { ...auditContext(c), action: 'attachment.create', outcome: 'success', dossierId },
    // Workflow: an attachment added to a hulpvraag can set off the organisation's rules, in the same transaction.
    inTransaction: owner.hulpvraagId ? async (tx) => { automation = await automate(c, tx, [{ type: 'attachment', hulpvraagId: owner.hulpvraagId }]); } : undefined,
  });
  afterCommit(c, automation);
  return stored;
}

/** An attachment the principal sees, with what a download needs of its row. */
interface DownloadableAttachment extends VisibleAttachment, StoredFile { contentType: string }

type DownloadableRow = { id: string; hulpvraag_id: string | null; entry_id: string | null; dossier_id: string; filename: string; content_type: string; size: string | number; sha256: string; chunk_size: number };

/**
 * The attachment and the columns a download needs, when `principal` sees it (else null): the
 * filter of `findVisibleAttachment` (`visibleAttachments`, authz/visibility.ts) and the file's
 * row in ONE statement, run prepared (issue 12: on PGlite, which runs in the server's own thread,
 * the two drizzle statements a download made were planned on every call: ≈ 2.5 ms against ≈ 0.7 ms;
 * bench/README.md). The joins and the filter are `onlyVisibleAttachment`'s.
 */
async function findDownloadableAttachment(db: Db, principal: Principal, id: string): Promise<DownloadableAttachment | null> {
  if (!isUuid(id)) return null;
  const query = db
    .select({
      id: attachments.id, hulpvraagId: attachments.hulpvraagId, entryId: attachments.entryId, dossierId: sql<string>`${dossiers.id}`.as('dossier_id'),
      filename: attachments.filename, contentType: attachments.contentType, size: attachments.size, sha256: attachments.sha256, chunkSize: attachments.chunkSize,
    })
    .from(attachments)
    .$dynamic();
  const [row] = await runPrepared<DownloadableRow>(db, onlyVisibleAttachment(query, principal, id));
  if (!row) return null;
  return {
    id: row.id, hulpvraagId: row.hulpvraag_id, entryId: row.entry_id, dossierId: row.dossier_id, filename: row.filename,
    contentType: row.content_type, size: Number(row.size), sha256: row.sha256, chunkSize: row.chunk_size,
  };
}

export const attachmentRoutes = createRouter()
  .openapi(
    createRoute({
      method: 'get', path: '/attachments/{id}', tags: ['Attachments'], operationId: 'getAttachment', summary: "An attachment's metadata",
      middleware: [authenticate(), authorize('dossier.read')] as const, security: bearerSecurity,
      request: { params: IdParam },
      responses: { 200: json(Attachment, 'The attachment'), ...readResponses },
    }),
    async (c) => {
      const found = await loadVisible(c, findVisibleAttachment, c.req.valid('param').id, { action: 'attachment.read', subjectType: 'attachment' });
      const { db } = c.var.deps;
      const [row] = await db.select(attachmentColumns).from(attachments).where(eq(attachments.id, found.id));
      if (!row) throw new AppError('not_found', 'No attachment with this id.');
      await recordAudit(db, { ...auditContext(c), action: 'attachment.read', outcome: 'success', subjectType: 'attachment', subjectId: found.id, subjectLabel: found.filename, dossierId: found.dossierId });
      return c.json(toAttachmentView(row), 200, { 'Cache-Control': 'no-store' });
    },
  )
  .openapi(
    createRoute({
      method: 'get', path: '/attachments/{id}/content', tags: ['Attachments'], operationId: 'downloadAttachment', summary: 'Download the bytes (Range and If-None-Match supported)',
      middleware: [authenticate(), authorize('dossier.read')] as const, security: bearerSecurity,
      request: { params: IdParam },
      responses: {
        200: { description: 'The whole file', content: { 'application/octet-stream': { schema: z.string().openapi({ format: 'binary' }) } } },
        206: { description: 'The requested range', content: { 'application/octet-stream': { schema: z.string().openapi({ format: 'binary' }) } } },
        304: { description: 'Not modified (If-None-Match)' },
        416: problem('Range not satisfiable'),
        ...readResponses,
      },
    }),
    async (c) => {
      const { db } = c.var.deps;
      const id = c.req.valid('param').id;
      const file = (await findDownloadableAttachment(db, c.var.principal, id)) ?? (await denyInvisible(c, id, { action: 'attachment.download', subjectType: 'attachment' }));
      const etag = `"${file.sha256}"`;
      const common = { ETag: etag, 'Cache-Control': 'no-store', 'X-Content-Type-Options': 'nosniff', 'Accept-Ranges': 'bytes' };
      const audit = { ...auditContext(c), outcome: 'success' as const, subjectType: 'attachment', subjectId: file.id, subjectLabel: file.filename, dossierId: file.dossierId };
      if (etagMatches(c.req.header('if-none-match'), etag)) {
        // The client shows the copy it has: a look at the file, but no bytes went out (no download).
        await recordAudit(db, { ...audit, action: 'attachment.read', detail: { status: 304, notModified: true } });
        return c.body(null, 304, common);
      }

      const ifRange = c.req.header('if-range');
      const range = ifRange && ifRange !== etag ? null : parseRange(c.req.header('range'), file.size);
      if (range === 'unsatisfiable') {
        throw new AppError('range_not_satisfiable', `The file has ${file.size} bytes.`, {}, { 'Content-Range': `bytes */${file.size}`, ...common });
      }
      const bytes = range ?? { start: 0, end: file.size - 1 };
      // HEAD shows the metadata only (Hono answers it with this GET handler): logged as a read, no bytes read.
      const head = c.req.method === 'HEAD';
      const rangeDetail = range ? { range: `${range.start}-${range.end}` } : {};
      const auditId = await recordAudit(db, {
        ...audit, action: head ? 'attachment.read' : 'attachment.download',
        detail: head ? { ...rangeDetail, method: 'HEAD' } : { ...rangeDetail, transfer: 'started' },
      });
      const headers: Record<string, string> = {
        ...common,
        'Content-Type': file.contentType,
        'Content-Length': String(bytes.end - bytes.start + 1),
        'Content-Disposition': contentDisposition(file.filename),
        ...(range ? { 'Content-Range': `bytes ${range.start}-${range.end}/${file.size}` } : {}),
      };
      if (head) return c.body(null, range ? 206 : 200, headers);
      // The entry says whether every byte went out: `complete`, or `aborted` when the client left (or a read failed).
      // Written after the answer, as the app's background work (awaited at shutdown and by tests).
      const { logger, background } = c.var.deps;
      const stream = await readBytes(db, c.var.deps.attachmentCache, file, bytes, (end) => {
        background.track(completeAuditDetail(db, auditId, { ...end }).catch((err) => logger.error('recording the end of a download failed', { auditId, err })));
      });
      return c.body(stream, range ? 206 : 200, headers);
    },
  )
  .openapi(
    createRoute({
      method: 'post', path: '/hulpvragen/{id}/attachments', tags: ['Attachments'], operationId: 'uploadAttachment', summary: 'Upload an attachment (staff; multipart field `file`)',
      middleware: [streamsItsBody, authenticate(), authorize('attachment.upload')] as const, security: bearerSecurity,
      request: { params: IdParam, body: uploadBody },
      responses: uploadResponses,
    }),
    async (c) => {
      const hulpvraag = await loadVisible(c, findVisibleHulpvraag, c.req.valid('param').id, { action: 'attachment.create', subjectType: 'hulpvraag' });
      await refuseIfAnonymised(c, hulpvraag, 'attachment.create');
      const stored = await receiveUpload(c, { hulpvraagId: hulpvraag.id }, hulpvraag.dossierId);
      return c.json(toAttachmentView(stored), 201, { 'Cache-Control': 'no-store', Location: `/api/v1/attachments/${stored.id}` });
    },
  )
  .openapi(
    createRoute({
      method: 'delete', path: '/attachments/{id}', tags: ['Attachments'], operationId: 'deleteAttachment', summary: 'Delete an attachment (staff)',
      middleware: [authenticate(), authorize('attachment.delete')] as const, security: bearerSecurity,
      request: { params: IdParam },
      responses: { 204: { description: 'Deleted, with its bytes' }, ...readResponses },
    }),
    async (c) => {
      const found = await loadVisible(c, findVisibleAttachment, c.req.valid('param').id, { action: 'attachment.delete', subjectType: 'attachment' });
      await c.var.deps.db.transaction(async (tx) => {
        await tx.delete(attachments).where(eq(attachments.id, found.id));
        await recordAudit(tx, { ...auditContext(c), action: 'attachment.delete', outcome: 'success', subjectType: 'attachment', subjectId: found.id, subjectLabel: found.filename, dossierId: found.dossierId });
      });
      forgetBytes(c.var.deps.attachmentCache, [found.id]);
      return c.body(null, 204);
    },
  );
