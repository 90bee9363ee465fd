import { connect, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestContext } from '../../test/app.ts';
import { BOUNDARY, createWorld, type World } from '../authz/test-world.ts';

let t: TestContext;
let w: World;
let server: ServerType;
let port: number;

/** A raw connection that collects what the server sends and whether it closed. */
function open() {
  const socket: Socket = connect(port, '127.0.0.1');
  let received = '';
  let closed = false;
  socket.setEncoding('latin1');
  socket.on('data', (d: string) => (received += d));
  socket.on('error', () => {});
  socket.on('close', () => (closed = true));
  const waitFor = async (test: () => boolean, ms = 10_000) => {
    const until = Date.now() + ms;
    while (!test()) {
      if (Date.now() > until) throw new Error(`timed out; received so far:\n${received.slice(0, 2000)}`);
      await new Promise((r) => setTimeout(r, 10));
    }
  };
  return { socket, received: () => received, closed: () => closed, waitFor };
}

const responses = (text: string) => text.match(/HTTP\/1\.1 \d{3}[^\r]*\r\n[\s\S]*?\r\n\r\n/g) ?? [];
const statusOf = (head: string) => Number(head.slice(9, 12));

describe('an answer sent before the request body was read leaves the connection usable', () => {
  beforeAll(async () => {
    t = await createTestApp({ env: { UPLOAD_MAX_MB: '1' } });
    w = await createWorld(t.db, t.env, t.clock.now());
    server = serve({ fetch: t.app.fetch, port: 0, hostname: '127.0.0.1' });
    await new Promise((r) => server.once('listening', r));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    await new Promise((r) => server.close(r));
    await t.close();
  });

  const filler = Buffer.alloc(200 * 1024, 'a');
  const exe = () => Buffer.concat([Buffer.from(`--${BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="setup.exe"\r\n\r\n`), filler]);
  const uploadPath = () => `/api/v1/hulpvragen/${w.hulpvraag.own}/attachments`;
  const multipart = `Content-Type: multipart/form-data; boundary=${BOUNDARY}`;
  // name, request head, body sent, whether the connection must stay usable (small untouched body) or be closed
  const cases: [string, () => string, () => Buffer, 'keep-alive' | 'close'][] = [
    ['401 to an upload without a token', () => `POST ${uploadPath()} HTTP/1.1\r\nHost: x\r\n${multipart}\r\nContent-Length: ${filler.length}\r\n\r\n`, () => filler, 'keep-alive'],
    ['415 to an upload that is no multipart', () => `POST ${uploadPath()} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${w.tokens.school}\r\nContent-Type: text/plain\r\nContent-Length: ${filler.length}\r\n\r\n`, () => filler, 'keep-alive'],
    ['401 to a form post of 200 KB to a route that needs a token', () => `POST /api/v1/dossiers HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: ${filler.length}\r\n\r\n`, () => filler, 'keep-alive'],
    ['413 to an upload declared too large', () => `POST ${uploadPath()} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${w.tokens.school}\r\n${multipart}\r\nContent-Length: ${5 * 1024 * 1024}\r\n\r\n`, () => filler, 'close'],
    ['415 to an upload refused by its name after the route began to read', () => `POST ${uploadPath()} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${w.tokens.school}\r\n${multipart}\r\nContent-Length: ${exe().length + 100}\r\n\r\n`, exe, 'close'],
  ];

  it.each(cases)('%s: the next request on the same connection gets its answer, or the server said Connection: close and closed it', async (_name, head, body, expected) => {
    const c = open();
    await new Promise((r) => c.socket.once('connect', r));
    const request = head();
    c.socket.write(request);
    const declared = Number(/Content-Length: (\d+)/.exec(request)![1]);
    // The client sends its body at its own pace (half, a pause longer than the server's own 500 ms drain, the rest;
    // for the 413 only part of what it declared), whatever the server answers meanwhile.
    const sent = body().subarray(0, declared);
    c.socket.write(sent.subarray(0, sent.length / 2));
    await new Promise((r) => setTimeout(r, 800));
    if (!c.closed()) c.socket.write(sent.subarray(sent.length / 2));
    await c.waitFor(() => responses(c.received()).length >= 1);
    const first = responses(c.received())[0]!;
    expect([401, 413, 415]).toContain(statusOf(first));
    if (/\r\nconnection: close\r\n/i.test(first)) {
      expect(expected).toBe('close');
      await c.waitFor(() => c.closed());
      return;
    }
    expect(expected).toBe('keep-alive');
    c.socket.write('GET /health HTTP/1.1\r\nHost: x\r\n\r\n');
    await c.waitFor(() => responses(c.received()).length >= 2 || c.closed());
    const second = responses(c.received())[1];
    expect(second && statusOf(second)).toBe(200);
    c.socket.destroy();
  });
});
