// Beheer → Auditlog and Rechten: the calls (typed by the server's AppType) and the CSV downloads.
import type { InferRequestType, InferResponseType } from 'hono/client';
import { ApiError, clients, serverUrl } from '../lib/api';
import { sendToBackground } from '../lib/messages';
import { getSession, setSession } from '../lib/storage';
import { success, type ServerClient } from '../lib/server-routes';

type V1 = ServerClient['api']['v1'];
type AuditQuery = NonNullable<InferRequestType<V1['audit-log']['$get']>['query']>;
export type AuditFilters = Omit<AuditQuery, 'cursor' | 'pageSize'>;
type AuditPage = InferResponseType<V1['audit-log']['$get'], 200>;
export type AuditItem = AuditPage['items'][number];
export type DossierRights = InferResponseType<V1['dossiers'][':id']['rights']['$get'], 200>;
export type UserRights = InferResponseType<V1['users'][':id']['rights']['$get'], 200>;

const present = (o: Record<string, string | undefined>) => Object.fromEntries(Object.entries(o).filter(([, v]) => v)) as Record<string, string>;

export const auditApi = {
  auditLog: async (filters: AuditFilters, cursor?: string) =>
    success((await clients())['audit-log'].$get({ query: { ...present(filters as Record<string, string | undefined>), ...(cursor ? { cursor } : {}), pageSize: '50' } })),
  dossierRights: async (id: string) => success((await clients()).dossiers[':id'].rights.$get({ param: { id } })),
  userRights: async (id: string) => success((await clients()).users[':id'].rights.$get({ param: { id } })),
};

/**
 * Downloads a CSV route as a file: fetched with the session's Bearer token (a plain link cannot
 * carry it), then saved from a blob under the name the server gives (returned). Counts as activity.
 */
export async function downloadCsv(path: string, query: Record<string, string | undefined> = {}): Promise<string> {
  const token = (await getSession('session'))?.token;
  if (!token) throw new ApiError('session_expired', 401);
  const params = new URLSearchParams(present(query));
  const url = `${await serverUrl()}/api/v1/${path}${params.size ? `?${params}` : ''}`;
  let res: Response;
  try {
    res = await fetch(url, { headers: { Authorization: `Bearer ${token}`, Accept: 'text/csv' }, credentials: 'omit', cache: 'no-store' });
  } catch {
    throw new ApiError('network_error', 0);
  }
  if (res.status === 401) {
    await sendToBackground({ type: 'logout', reason: 'expired' }).catch(() => undefined);
    throw new ApiError('session_expired', 401);
  }
  if (!res.ok) {
    const problem = (await res.json().catch(() => ({}))) as { code?: string };
    throw new ApiError(problem.code ?? `http_${res.status}`, res.status);
  }
  const name = /filename="([^"]+)"/.exec(res.headers.get('content-disposition') ?? '')?.[1] ?? 'export.csv';
  const blob = await res.blob();
  await setSession({ lastActivity: Date.now() });
  const href = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = href;
  a.download = name;
  a.hidden = true;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(href), 10_000);
  return name;
}
