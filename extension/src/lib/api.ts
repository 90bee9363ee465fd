// A small typed client for the Kindkans API (/work/shared/API.md). It reads the server
// address from the settings and the token from session storage on every call, records
// activity after each authenticated call, and turns every failure into an ApiError whose
// `code` is the problem+json code (or `network_error`).
import type {
  AccessLogEntry, DossierSummary, Hulpvraag, HulpvraagSummary, LoginRequest, LoginResponse,
  NewsItem, Organisation, Page, Problem, SessionInfo, User, Attachment,
} from './api-types';
import { getSession, getSettings, setSession } from './storage';
import { send } from './messages';

export class ApiError extends Error {
  constructor(
    readonly code: string,
    readonly status: number,
    /** Seconds to wait, from `Retry-After`, when throttled. */
    readonly retryAfter?: number,
  ) {
    super(code);
    this.name = 'ApiError';
  }
}

interface RequestOptions {
  method?: 'GET' | 'POST' | 'DELETE';
  body?: unknown;
  auth?: boolean;
}

export async function serverUrl(): Promise<string> {
  return (await getSettings()).serverUrl.replace(/\/+$/, '');
}

export async function request<T>(path: string, options: RequestOptions = {}): Promise<T> {
  const { method = 'GET', body, auth = true } = options;
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  let token = '';
  if (auth) {
    token = (await getSession('session'))?.token ?? '';
    if (!token) throw new ApiError('session_expired', 401);
    headers.Authorization = `Bearer ${token}`;
  }
  let response: Response;
  try {
    response = await fetch(`${await serverUrl()}/api/v1${path}`, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: 'omit',
      cache: 'no-store',
    });
  } catch {
    throw new ApiError('network_error', 0);
  }
  if (!response.ok) throw await toError(response, auth);
  if (auth) await setSession({ lastActivity: Date.now() });
  if (response.status === 204 || response.status === 202) return undefined as T;
  return (await response.json()) as T;
}

async function toError(response: Response, auth: boolean): Promise<ApiError> {
  let problem: Partial<Problem> = {};
  try {
    problem = (await response.json()) as Problem;
  } catch {
    // not JSON: keep the status only
  }
  const retry = Number(response.headers.get('Retry-After'));
  const code = problem.code ?? (response.status >= 500 ? 'internal_error' : `http_${response.status}`);
  if (auth && response.status === 401) {
    // The server says the session is dead: wipe it locally too.
    await send({ type: 'logout', reason: 'expired' }).catch(() => undefined);
    return new ApiError('session_expired', 401);
  }
  return new ApiError(code, response.status, Number.isFinite(retry) && retry > 0 ? retry : undefined);
}

const query = (params: Record<string, string | number | undefined>) => {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) if (value !== undefined && value !== '') search.set(key, String(value));
  const text = search.toString();
  return text ? `?${text}` : '';
};

export const api = {
  organisations: () => request<Organisation[]>('/organisations', { auth: false }),
  login: (body: LoginRequest) => request<LoginResponse>('/auth/login', { method: 'POST', body, auth: false }),
  requestPasswordReset: (body: { organisation: string; username: string }) =>
    request<void>('/auth/password-reset', { method: 'POST', body, auth: false }),
  session: () => request<SessionInfo>('/auth/session'),
  me: () => request<User>('/me'),
  news: () => request<NewsItem[]>('/news'),
  dossiers: (page = 1) => request<Page<DossierSummary>>(`/dossiers${query({ page, pageSize: 100 })}`),
  hulpvragen: (dossierId: string, page = 1, pageSize = 10) =>
    request<Page<HulpvraagSummary>>(`/dossiers/${encodeURIComponent(dossierId)}/hulpvragen${query({ page, pageSize })}`),
  hulpvraag: (id: string) => request<Hulpvraag>(`/hulpvragen/${encodeURIComponent(id)}`),
  attachment: (id: string) => request<Attachment>(`/attachments/${encodeURIComponent(id)}`),
  accessLog: (dossierId: string, page = 1, pageSize = 10) =>
    request<Page<AccessLogEntry>>(`/dossiers/${encodeURIComponent(dossierId)}/access-log${query({ page, pageSize })}`),
};

/** Where the bytes of an attachment live (fetched with the Bearer header, never a token in the URL). */
export async function attachmentContentUrl(id: string): Promise<string> {
  return `${await serverUrl()}/api/v1/attachments/${encodeURIComponent(id)}/content`;
}

/** Log out at the server; failures do not matter, the local wipe happens anyway. */
export async function logoutAtServer(base: string, token: string): Promise<void> {
  await fetch(`${base.replace(/\/+$/, '')}/api/v1/auth/logout`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${token}` },
    credentials: 'omit',
  }).catch(() => undefined);
}
