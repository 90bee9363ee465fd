import { randomBytes } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { and, desc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createTestApp, type TestContext } from '../../../test/app.ts';
import { auditLog } from '../../db/schema/index.ts';
import { createWorld, multipartBody, multipartHeaders, type World } from '../../authz/test-world.ts';

let t: TestContext;
let w: World;

/** The newest audit entries of an action by a user. */
async function entries(action: string, userId: string) {
  return t.db.select().from(auditLog).where(and(eq(auditLog.action, action), eq(auditLog.actorUserId, userId))).orderBy(desc(auditLog.id));
}

describe('audit log (NEN 7513): what each read leaves behind', () => {
  beforeAll(async () => {
    t = await createTestApp();
    w = await createWorld(t.db, t.env, t.clock.now());
  });
  afterAll(() => t.close());

  it('a 304 (If-None-Match) is logged as a read of the file, not as a download', async () => {
    const url = `/api/v1/attachments/${w.attachment.own}/content`;
    const first = await t.app.request(url, { headers: bearer(w.tokens.parent) });
    const etag = first.headers.get('etag')!;
    await first.arrayBuffer();
    const downloadsBefore = (await entries('attachment.download', w.users.parent.id)).length;
    const res = await t.app.request(url, { headers: { ...bearer(w.tokens.parent), 'if-none-match': etag } });
    expect(res.status).toBe(304);
    expect((await entries('attachment.download', w.users.parent.id)).length).toBe(downloadsBefore);
    const [read] = await entries('attachment.read', w.users.parent.id);
    expect(read).toMatchObject({ subjectId: w.attachment.own, dossierId: w.dossiers.own.id, outcome: 'success', detail: { status: 304, notModified: true } });
  });

  it('a dossier search logs the ids it returned', async () => {
    const res = await t.app.request('/api/v1/dossiers?q=', { headers: bearer(w.tokens.coordinator) });
    const page = await res.json();
    expect(page.items.length).toBeGreaterThan(0);
    const [entry] = await entries('dossiers.search', w.users.coordinator.id);
    expect(entry!.detail).toMatchObject({ total: page.total, ids: page.items.map((d: { id: string }) => d.id) });
  });

  it('GET /users is logged, with the accounts it showed', async () => {
    const res = await t.app.request('/api/v1/users?role=parent', { headers: bearer(w.tokens.admin) });
    expect(res.status).toBe(200);
    const page = await res.json();
    const [entry] = await entries('users.list', w.users.admin.id);
    expect(entry).toMatchObject({ outcome: 'success', detail: { role: 'parent', total: page.total, ids: page.items.map((u: { id: string }) => u.id) } });
  });

  it('a successful read of the access log is logged (a refused one already was)', async () => {
    const res = await t.app.request(`/api/v1/dossiers/${w.dossiers.own.id}/access-log`, { headers: bearer(w.tokens.parent) });
    expect(res.status).toBe(200);
    const [entry] = await entries('access-log.read', w.users.parent.id);
    expect(entry).toMatchObject({ outcome: 'success', dossierId: w.dossiers.own.id, subjectId: w.dossiers.own.id });
  });

  it('a download records whether every byte went out: complete, or aborted when the client leaves mid-way (real socket)', async () => {
    const file = Buffer.concat([Buffer.from('%PDF-1.7\n'), randomBytes(16 * 1024 * 1024)]);
    const up = await t.app.request(`/api/v1/hulpvragen/${w.hulpvraag.own}/attachments`, { method: 'POST', headers: { ...multipartHeaders(), ...bearer(w.tokens.school) }, body: multipartBody(file, 'groot.pdf') });
    expect(up.status).toBe(201);
    const { id } = await up.json();
    const server = serve({ fetch: t.app.fetch, port: 0, hostname: '127.0.0.1' });
    await new Promise((r) => server.once('listening', r));
    const { port } = server.address() as AddressInfo;
    const path = `/api/v1/attachments/${id}/content`;
    const downloads = async () => (await entries('attachment.download', w.users.parent.id)).filter((e) => e.subjectId === id);
    const settled = async () => {
      for (let i = 0; i < 100; i++) {
        const [last] = await downloads();
        if (last && (last.detail as { transfer?: string }).transfer !== 'started') return last;
        await new Promise((r) => setTimeout(r, 50));
      }
      throw new Error('the download entry never left "started"');
    };
    try {
      const whole = await fetch(`http://127.0.0.1:${port}${path}`, { headers: bearer(w.tokens.parent) });
      expect((await whole.arrayBuffer()).byteLength).toBe(file.length);
      expect((await settled()).detail).toEqual({ transfer: 'complete', bytes: file.length });

      // A client that takes the first bytes, stops reading, and goes away.
      await new Promise<void>((resolve, reject) => {
        const req = httpRequest({ host: '127.0.0.1', port, path, headers: bearer(w.tokens.parent) }, (res) => {
          res.once('data', () => {
            res.pause();
            setTimeout(() => {
              req.destroy();
              resolve();
            }, 200);
          });
        });
        req.on('error', (err) => ((err as NodeJS.ErrnoException).code === 'ECONNRESET' ? resolve() : reject(err)));
        req.end();
      });
      const aborted = await settled();
      expect(aborted.detail).toMatchObject({ transfer: 'aborted' });
      expect((aborted.detail as { bytes: number }).bytes).toBeLessThan(file.length);
      expect(await downloads()).toHaveLength(2);
    } finally {
      await new Promise((r) => server.close(r));
    }
  });
});
