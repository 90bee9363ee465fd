import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JSON_BODY_LIMIT } from '../../app.ts';
import { createTestApp, jsonRequest, type TestContext } from '../../../test/app.ts';
import { createWorld, type World } from '../../../test/world.ts';
import { multipartBody, multipartHeaders } from '../../../test/multipart.ts';

// The upload routes mark themselves (`streamsItsBody`); app.ts keeps no list of their paths. Every
// operation of the document that takes multipart/form-data must then accept a file larger than
// the JSON body limit, and a JSON body that large is still refused everywhere else.
let t: TestContext;
let w: World;

describe('streamed uploads are recognised by their route, not by a path pattern', () => {
  beforeAll(async () => {
    t = await createTestApp();
    w = await createWorld(t.db, t.env, t.clock.now());
  });
  afterAll(() => t.close());

  it('every multipart operation in /openapi.json takes a file above the JSON body limit; JSON that large is 413', async () => {
    const doc = (await (await t.app.request('/openapi.json')).json()) as { paths: Record<string, Record<string, { requestBody?: { content: Record<string, unknown> } }>> };
    const uploads = Object.entries(doc.paths)
      .filter(([, ops]) => ops.post?.requestBody?.content['multipart/form-data'])
      .map(([path]) => path);
    expect(uploads.sort()).toEqual(['/api/v1/aanpak/{id}/attachments', '/api/v1/hulpvragen/{id}/attachments', '/api/v1/overlegronden/{id}/attachments', '/api/v1/tlv/{id}/attachments']);

    const d = w.dossiers.own.id;
    const create = async (segment: string, body: unknown) => {
      const res = await t.app.request(`/api/v1/dossiers/${d}/${segment}`, w.as('admin', jsonRequest('POST', body)));
      expect(res.status, segment).toBe(201);
      return ((await res.json()) as { id: string }).id;
    };
    const owners: Record<string, string> = {
      hulpvragen: w.hulpvraag.own,
      aanpak: await create('aanpak', { title: 'Groot verslag', body: 'Bijlage volgt.' }),
      tlv: await create('tlv', { date: '2025-06-15', type: 'sbo', startDate: '2025-08-01', endDate: '2027-07-31', decisionDate: '2025-06-15', status: 'toegekend' }),
      overlegronden: await create('overlegronden', { date: '2025-03-03', participants: ['ouder'], body: 'Afspraken.' }),
    };
    const file = Buffer.concat([Buffer.from('%PDF-1.7\n'), randomBytes(JSON_BODY_LIMIT + 256 * 1024)]);
    for (const path of uploads) {
      const segment = path.split('/')[3]!;
      const res = await t.app.request(path.replace('{id}', owners[segment]!), w.as('admin', { method: 'POST', headers: multipartHeaders(), body: multipartBody(file, 'groot.pdf') }));
      expect(res.status, `${path}: ${await res.clone().text()}`).toBe(201);
      expect(((await res.json()) as { size: number }).size).toBe(file.length);
    }

    const tooLarge = await t.app.request(`/api/v1/dossiers/${d}/aanpak`, w.as('admin', jsonRequest('POST', { title: 'Te groot', body: 'x'.repeat(JSON_BODY_LIMIT + 1) })));
    expect(tooLarge.status).toBe(413);
  });
});
