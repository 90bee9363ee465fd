// A programmable fake of the Kindkans API for component tests: `route('GET /news', body)`.
import { vi } from 'vitest';
import type { LoginResponse, User } from '../src/lib/server-routes';

export interface FakeReply {
  status?: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export interface FakeCall {
  method: string;
  path: string;
  headers: Record<string, string>;
  body: unknown;
}

export function fakeServer() {
  const routes = new Map<string, FakeReply | ((call: FakeCall) => FakeReply)>();
  const calls: FakeCall[] = [];
  const fetch = vi.fn(async (input: string | URL | Request, init: RequestInit = {}) => {
    const url = new URL(input instanceof Request ? input.url : input);
    const method = init.method ?? 'GET';
    const path = url.pathname.replace(/^\/api\/v1/, '') + url.search;
    const call: FakeCall = {
      method, path, headers: Object.fromEntries([...new Headers(init.headers).entries()].map(([k, v]) => [k.toLowerCase(), v])),
      body: typeof init.body === 'string' ? JSON.parse(init.body) : undefined,
    };
    calls.push(call);
    const found = routes.get(`${method} ${path}`) ?? routes.get(`${method} ${url.pathname.replace(/^\/api\/v1/, '')}`);
    if (!found) return problem(404, 'not_found');
    const reply = typeof found === 'function' ? found(call) : found;
    if (reply.status && reply.status >= 400 && reply.body === undefined) return problem(reply.status, 'x', reply.headers);
    return new Response(reply.body === undefined ? null : JSON.stringify(reply.body), {
      status: reply.status ?? 200,
      headers: { 'Content-Type': 'application/json', ...reply.headers },
    });
  });
  vi.stubGlobal('fetch', fetch);
  return {
    calls,
    fetch,
    route(key: string, reply: FakeReply | ((call: FakeCall) => FakeReply)) {
      routes.set(key, reply);
      return this;
    },
    problemRoute(key: string, status: number, code: string, headers: Record<string, string> = {}) {
      routes.set(key, () => ({ status, body: { type: 'about:blank', title: code, status, code, requestId: 'r1' }, headers: { 'Content-Type': 'application/problem+json', ...headers } }));
      return this;
    },
  };
}

function problem(status: number, code: string, headers: Record<string, string> = {}) {
  return new Response(JSON.stringify({ type: 'about:blank', title: code, status, code, requestId: 'r1' }), {
    status,
    headers: { 'Content-Type': 'application/problem+json', ...headers },
  });
}

export const demoUser: User = {
  id: 'u1', username: 'j.jansen', displayName: 'Jan Jansen', email: 'jan@example.org', role: 'parent',
  organisation: { code: 'PO2507', name: 'Stromenland' },
};

export function demoLogin(overrides: Partial<LoginResponse> = {}): LoginResponse {
  return {
    token: 'tok-123', expiresAt: new Date(Date.now() + 8 * 3600_000).toISOString(),
    idleTimeoutSeconds: 900, user: demoUser, ...overrides,
  };
}

export const demoDossier = {
  id: 'd1', firstName: 'Sam', lastName: 'Jansen', birthDate: '2014-03-02', school: { brin: '12AB00', name: 'De Regenboog' },
};

export const demoHulpvraag = {
  id: 'h1', dossierId: 'd1', date: '2020-06-12', title: 'Preventief SCP observatie', status: 'aanmelding',
  description: 'Observatie in de klas.', coordinator: { id: 'c1', displayName: 'Petra de Vries' },
  labels: ['observatie', 'SCP'],
  attachments: [{ id: 'a1', hulpvraagId: 'h1', entryId: null, filename: 'verslag observatie.pdf', contentType: 'application/pdf', size: 20480, sha256: 'ab', createdAt: '2020-06-12T10:00:00Z' }],
};

/** Routes for a logged-in parent with one child and one hulpvraag. */
export function parentServer() {
  return fakeServer()
    .route('GET /organisations', { body: [{ code: 'PO2507', name: 'Stromenland', label: 'PO2507 Stromenland' }] })
    .route('GET /news', { body: [{ id: 'n1', title: 'Welkom bij Kindkans', body: 'Nieuws van het samenwerkingsverband.', publishedAt: '2024-09-01T08:00:00Z', scope: 'organisation' }] })
    .route('GET /dossiers', { body: { items: [demoDossier], page: 1, pageSize: 100, total: 1 } })
    .route('GET /dossiers/d1/hulpvragen', { body: { items: [{ id: 'h1', date: '2020-06-12', title: 'Preventief SCP observatie', status: 'aanmelding', attachmentCount: 1 }], page: 1, pageSize: 10, total: 1 } })
    .route('GET /hulpvragen/h1', { body: demoHulpvraag })
    .route('GET /dossiers/d1/access-log', { body: { items: [{ at: '2024-09-02T09:30:00Z', actor: { displayName: 'Petra de Vries', role: 'coordinator' }, action: 'bekeken', subject: 'Preventief SCP observatie' }], page: 1, pageSize: 10, total: 1 } })
    .route('POST /auth/logout', { status: 204 });
}
