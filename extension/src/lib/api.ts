// The Kindkans API client (the contract is the server's `/openapi.json`), typed from the
// server's routes through hono/client (lib/server-routes.ts). It reads the server address from the settings and the
// token from session storage on every call, records activity after each authenticated call,
// and turns every failure into an ApiError whose `code` is the problem+json code (or
// `network_error`).
import { getSession, getSettings, setSession } from './storage';
import { sendToBackground } from './messages';
import {
  serverClient, success,
  type AccessLogPage, type Attachment, type DossierPage, type Hulpvraag, type HulpvraagPage, type LoginRequest,
  type LoginResponse, type NewsItem, type Organisation, type PasswordResetRequest, type Problem, type SessionInfo, type User,
} from './server-routes';

export class ApiError extends Error {
  constructor(
    readonly code: string,
    readonly status: number,
    /** Seconds to wait, from `Retry-After`, when throttled. */
    readonly retryAfter?: number,
    /** The problem's `detail` and per-field `errors`, when the server gave them (validation_failed, conflict). */
    readonly problem?: { detail?: string; errors?: { path: string; message: string; unknownPlaceholders?: string[] }[] },
  ) {
    super(code);
    this.name = 'ApiError';
  }
}

export async function serverUrl(): Promise<string> {
  return (await getSettings()).serverUrl.replace(/\/+$/, '');
}

/**
 * The one `fetch` under every call: adds the token, never sends cookies, maps failures to
 * ApiError (a dead session also wipes the local one), and records activity.
 */
async function request(input: RequestInfo | URL, init: RequestInit = {}, token = ''): Promise<Response> {
  const headers = new Headers(init.headers);
  headers.set('Accept', 'application/json');
  if (token) headers.set('Authorization', `Bearer ${token}`);
  let response: Response;
  try {
    response = await fetch(input, { ...init, headers, credentials: 'omit', cache: 'no-store' });
  } catch {
    throw new ApiError('network_error', 0);
  }
  if (!response.ok) throw await toError(response, Boolean(token));
  if (token) await setSession({ lastActivity: Date.now() });
  return response;
}

async function toError(response: Response, auth: boolean): Promise<ApiError> {
  let problem: Partial<Problem> & { errors?: unknown } = {};
  try {
    problem = (await response.json()) as Problem;
  } catch {
    // not JSON: keep the status only
  }
  const retry = Number(response.headers.get('Retry-After'));
  const code = problem.code ?? (response.status >= 500 ? 'internal_error' : `http_${response.status}`);
  if (auth && response.status === 401) {
    // The server says the session is dead: wipe it locally too.
    await sendToBackground({ type: 'logout', reason: 'expired' }).catch(() => undefined);
    return new ApiError('session_expired', 401);
  }
  const errors = Array.isArray(problem.errors) ? (problem.errors as NonNullable<NonNullable<ApiError['problem']>['errors']>) : undefined;
  const details = { ...(typeof problem.detail === 'string' ? { detail: problem.detail } : {}), ...(errors ? { errors } : {}) };
  return new ApiError(code, response.status, Number.isFinite(retry) && retry > 0 ? retry : undefined, details);
}

/** The typed clients, with the token (when `auth`) and the error handling of `request`. */
export async function clients(auth = true) {
  let token = '';
  if (auth) {
    token = (await getSession('session'))?.token ?? '';
    if (!token) throw new ApiError('session_expired', 401);
  }
  return serverClient(await serverUrl(), (input, init) => request(input, init, token)).api.v1;
}

const page = (n: number, size: number) => ({ page: String(n), pageSize: String(size) });

// Each answer's type is read off the server's route (server-routes.ts): one definition, the
// server's zod schema.
export const api = {
  organisations: async (): Promise<Organisation[]> =>
    success((await clients(false)).organisations.$get()),
  login: async (json: LoginRequest): Promise<LoginResponse> =>
    success((await clients(false)).auth.login.$post({ json })),
  requestPasswordReset: async (json: PasswordResetRequest): Promise<void> => {
    await (await clients(false)).auth['password-reset'].$post({ json });
  },
  session: async (): Promise<SessionInfo> => success((await clients()).auth.session.$get()),
  me: async (): Promise<User> => success((await clients()).me.$get()),
  news: async (): Promise<NewsItem[]> => success((await clients()).news.$get()),
  dossiers: async (n = 1): Promise<DossierPage> =>
    success((await clients()).dossiers.$get({ query: page(n, 100) })),
  hulpvragen: async (id: string, n = 1, size = 10): Promise<HulpvraagPage> =>
    success((await clients()).dossiers[':id'].hulpvragen.$get({ param: { id }, query: page(n, size) })),
  hulpvraag: async (id: string): Promise<Hulpvraag> =>
    success((await clients()).hulpvragen[':id'].$get({ param: { id } })),
  attachment: async (id: string): Promise<Attachment> =>
    success((await clients()).attachments[':id'].$get({ param: { id } })),
  /** The Aanpak and TLV items staff shared with parents (read-only; the reads are in the access log). */
  sharedAanpak: async (id: string) => success((await clients()).dossiers[':id'].aanpak.$get({ param: { id }, query: page(1, 50) })),
  sharedTlv: async (id: string) => success((await clients()).dossiers[':id'].tlv.$get({ param: { id }, query: page(1, 50) })),
  accessLog: async (id: string, n = 1, size = 10): Promise<AccessLogPage> =>
    success((await clients()).dossiers[':id']['access-log'].$get({ param: { id }, query: page(n, size) })),
};

/** Where the bytes of an attachment live (fetched with the Bearer header, never a token in the URL). */
export async function attachmentContentUrl(id: string): Promise<string> {
  return serverClient(await serverUrl(), fetch).api.v1.attachments[':id'].content.$url({ param: { id } }).href;
}

/** Log out at the server; failures do not matter, the local wipe happens anyway. */
export async function logoutAtServer(base: string, token: string): Promise<void> {
  const v1 = serverClient(base.replace(/\/+$/, ''), (input, init) => fetch(input, { ...init, credentials: 'omit', cache: 'no-store' })).api.v1;
  await v1.auth.logout.$post(undefined, { headers: { Authorization: `Bearer ${token}` } }).catch(() => undefined);
}
