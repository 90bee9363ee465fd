// The staff panel's calls, all through the typed client (hono/client over the server's AppType);
// every answer's type comes from the server's own route declarations via InferResponseType.
import type { InferRequestType, InferResponseType } from 'hono/client';
import { ApiError, clients, serverUrl } from '../lib/api';
import { sendToBackground } from '../lib/messages';
import { getSession, setSession } from '../lib/storage';
import { success, type ServerClient } from '../lib/server-routes';

type V1 = ServerClient['api']['v1'];
export type DossierPage = InferResponseType<V1['dossiers']['$get'], 200>;
export type Dossier = InferResponseType<V1['dossiers'][':id']['$get'], 200>;
export type DossierInput = InferRequestType<V1['dossiers']['$post']>['json'];
export type DossierFilters = { name?: string; birthDate?: string; school?: string };
export type School = InferResponseType<V1['schools']['$get'], 200>['items'][number];
export type Hulpvraag = InferResponseType<V1['hulpvragen'][':id']['$get'], 200>;
export type HulpvraagInput = InferRequestType<V1['hulpvragen'][':id']['$patch']>['json'];
export type Attachment = Hulpvraag['attachments'][number];
export type AanpakItem = InferResponseType<V1['dossiers'][':id']['aanpak']['$get'], 200>['items'][number];
export type TlvItem = InferResponseType<V1['dossiers'][':id']['tlv']['$get'], 200>['items'][number];
export type OverlegItem = InferResponseType<V1['dossiers'][':id']['overlegronden']['$get'], 200>['items'][number];
export type Note = InferResponseType<V1['dossiers'][':id']['notes']['$get'], 200>[number];
export type UserQuery = NonNullable<InferRequestType<V1['users']['$get']>['query']>;
export type UserItem = InferResponseType<V1['users']['$get'], 200>['items'][number];
export type InviteInput = InferRequestType<V1['users']['$post']>['json'];
export type ParentMatch = InferResponseType<V1['parents']['$get'], 200>[number];
export type ManagedNews = InferResponseType<V1['news']['manage']['$get'], 200>[number];
export type HulpvraagStatus = InferResponseType<V1['hulpvraag-statuses']['$get'], 200>[number];
export type AutomationRule = InferResponseType<V1['automation-rules']['$get'], 200>[number];
export type AutomationRuleInput = InferRequestType<V1['automation-rules']['$post']>['json'];
export type MailTemplate = InferResponseType<V1['mail-templates']['$get'], 200>[number];
export type MailSettings = InferResponseType<V1['mail-settings']['$get'], 200>;
export type MailPreview = InferResponseType<V1['mail-templates']['preview']['$post'], 200>;
export type SleepingAccount = InferResponseType<V1['sleeping-accounts']['$get'], 200>['items'][number];
export type SleepingFilters = Pick<NonNullable<InferRequestType<V1['sleeping-accounts']['$get']>['query']>, 'role' | 'school'>;
export type UserAction = 'resend-invitation' | 'deactivate' | 'reactivate' | 'reset-2fa' | 'end-sessions' | 'unlock';

/** The three dossier tabs with dated items, by their path segment. */
export type EntryKind = 'aanpak' | 'tlv' | 'overlegronden';
type EntryOf<K extends EntryKind> = K extends 'aanpak' ? AanpakItem : K extends 'tlv' ? TlvItem : OverlegItem;

const v1 = () => clients();
const page = (n: number, size = 20) => ({ page: String(n), pageSize: String(size) });
/** Drops empty filter fields (the server treats absent and empty differently for some). */
const present = <T extends Record<string, string | undefined>>(o: T) => Object.fromEntries(Object.entries(o).filter(([, v]) => v)) as Partial<T>;

export const adminApi = {
  dossiers: async (filters: DossierFilters, n = 1) => success((await v1()).dossiers.$get({ query: { ...present(filters), ...page(n, 25) } })),
  dossier: async (id: string) => success((await v1()).dossiers[':id'].$get({ param: { id } })),
  createDossier: async (json: DossierInput) => success((await v1()).dossiers.$post({ json })),
  updateDossier: async (id: string, json: Partial<DossierInput>) => success((await v1()).dossiers[':id'].$patch({ param: { id }, json })),
  linkGuardian: async (id: string, userId: string) => void (await (await v1()).dossiers[':id'].guardians.$post({ param: { id }, json: { userId } })),
  unlinkGuardian: async (id: string, userId: string) => void (await (await v1()).dossiers[':id'].guardians[':userId'].$delete({ param: { id, userId } })),
  schools: async (q: string) => success((await v1()).schools.$get({ query: { q, ...page(1, 100) } })),
  hulpvragen: async (dossierId: string, n = 1) => success((await v1()).dossiers[':id'].hulpvragen.$get({ param: { id: dossierId }, query: page(n, 50) })),
  hulpvraag: async (id: string) => success((await v1()).hulpvragen[':id'].$get({ param: { id } })),
  createHulpvraag: async (dossierId: string, json: InferRequestType<V1['dossiers'][':id']['hulpvragen']['$post']>['json']) =>
    success((await v1()).dossiers[':id'].hulpvragen.$post({ param: { id: dossierId }, json })),
  updateHulpvraag: async (id: string, json: HulpvraagInput) => success((await v1()).hulpvragen[':id'].$patch({ param: { id }, json })),
  statusHistory: async (id: string) => success((await v1()).hulpvragen[':id']['status-history'].$get({ param: { id } })),
  allHulpvragen: async (query: { status?: string; mine?: 'true' }, n = 1) => success((await v1()).hulpvragen.$get({ query: { ...present(query), ...page(n, 25) } })),
  entries: async <K extends EntryKind>(kind: K, dossierId: string) => {
    const c = (await v1()).dossiers[':id'];
    const arg = { param: { id: dossierId }, query: page(1, 100) };
    const call = kind === 'aanpak' ? c.aanpak.$get(arg) : kind === 'tlv' ? c.tlv.$get(arg) : c.overlegronden.$get(arg);
    return (await success(call)).items as unknown as EntryOf<K>[];
  },
  createEntry: async (kind: EntryKind, dossierId: string, json: Record<string, unknown>) => {
    const c = (await v1()).dossiers[':id'];
    const arg = { param: { id: dossierId }, json: json as never };
    await success(kind === 'aanpak' ? c.aanpak.$post(arg) : kind === 'tlv' ? c.tlv.$post(arg) : c.overlegronden.$post(arg));
  },
  updateEntry: async (kind: EntryKind, id: string, json: Record<string, unknown>) => {
    const c = await v1();
    const arg = { param: { id }, json: json as never };
    await success(kind === 'aanpak' ? c.aanpak[':id'].$patch(arg) : kind === 'tlv' ? c.tlv[':id'].$patch(arg) : c.overlegronden[':id'].$patch(arg));
  },
  deleteEntry: async (kind: EntryKind, id: string) => {
    const c = await v1();
    const arg = { param: { id } };
    await (kind === 'aanpak' ? c.aanpak[':id'].$delete(arg) : kind === 'tlv' ? c.tlv[':id'].$delete(arg) : c.overlegronden[':id'].$delete(arg));
  },
  notes: async (dossierId: string) => success((await v1()).dossiers[':id'].notes.$get({ param: { id: dossierId } })),
  createNote: async (dossierId: string, body: string) => success((await v1()).dossiers[':id'].notes.$post({ param: { id: dossierId }, json: { body } })),
  updateNote: async (id: string, body: string) => success((await v1()).notes[':id'].$patch({ param: { id }, json: { body } })),
  deleteNote: async (id: string) => void (await (await v1()).notes[':id'].$delete({ param: { id } })),
  deleteAttachment: async (id: string) => void (await (await v1()).attachments[':id'].$delete({ param: { id } })),
  users: async (query: UserQuery) => success((await v1()).users.$get({ query: { ...present(query as Record<string, string | undefined>), pageSize: '50' } })),
  invite: async (json: InviteInput) => success((await v1()).users.$post({ json })),
  userAction: async (id: string, action: UserAction) => {
    const u = (await v1()).users[':id'];
    const arg = { param: { id } };
    const calls = {
      'resend-invitation': () => u['resend-invitation'].$post(arg), deactivate: () => u.deactivate.$post(arg), reactivate: () => u.reactivate.$post(arg),
      'reset-2fa': () => u['reset-2fa'].$post(arg), 'end-sessions': () => u['end-sessions'].$post(arg), unlock: () => u.unlock.$post(arg),
    } satisfies Record<UserAction, unknown>;
    await calls[action]();
  },
  sleeping: async (filters: SleepingFilters, n = 1, size = 50) => success((await v1())['sleeping-accounts'].$get({ query: { ...present(filters), ...page(n, size) } })),
  deactivateSleeping: async (json: { ids: string[] } | { all: true }) => success((await v1())['sleeping-accounts'].deactivate.$post({ json })),
  sleepingSettings: async () => success((await v1())['sleeping-accounts'].settings.$get()),
  saveSleepingSettings: async (json: { enabled: boolean; months: number }) => success((await v1())['sleeping-accounts'].settings.$put({ json })),
  parents: async (q: string) => success((await v1()).parents.$get({ query: { q } })),
  news: async () => success((await v1()).news.manage.$get()),
  statuses: async () => success((await v1())['hulpvraag-statuses'].$get()),
  createStatus: async (json: { name: string; position?: number; closes?: boolean }) => success((await v1())['hulpvraag-statuses'].$post({ json })),
  updateStatus: async (id: string, json: { name?: string; position?: number; closes?: boolean }) => success((await v1())['hulpvraag-statuses'][':id'].$patch({ param: { id }, json })),
  deleteStatus: async (id: string) => void (await (await v1())['hulpvraag-statuses'][':id'].$delete({ param: { id } })),
  createNews: async (json: { title: string; body: string; publish?: boolean }) => success((await v1()).news.$post({ json })),
  updateNews: async (id: string, json: { title?: string; body?: string }) => success((await v1()).news[':id'].$patch({ param: { id }, json })),
  publishNews: async (id: string) => success((await v1()).news[':id'].publish.$post({ param: { id } })),
  withdrawNews: async (id: string) => success((await v1()).news[':id'].withdraw.$post({ param: { id } })),
  // Beheer → Automatisering and Mailsjablonen (admins)
  rules: async () => success((await v1())['automation-rules'].$get()),
  createRule: async (json: AutomationRuleInput) => success((await v1())['automation-rules'].$post({ json })),
  updateRule: async (id: string, json: Partial<AutomationRuleInput>) => success((await v1())['automation-rules'][':id'].$patch({ param: { id }, json })),
  deleteRule: async (id: string) => void (await (await v1())['automation-rules'][':id'].$delete({ param: { id } })),
  mailTemplates: async () => success((await v1())['mail-templates'].$get()),
  createMailTemplate: async (json: { name: string; subject: string; body: string }) => success((await v1())['mail-templates'].$post({ json })),
  updateMailTemplate: async (id: string, json: { name?: string; subject?: string; body?: string }) => success((await v1())['mail-templates'][':id'].$patch({ param: { id }, json })),
  deleteMailTemplate: async (id: string) => void (await (await v1())['mail-templates'][':id'].$delete({ param: { id } })),
  previewMail: async (json: { subject: string; body: string }) => success((await v1())['mail-templates'].preview.$post({ json })),
  mailSettings: async () => success((await v1())['mail-settings'].$get()),
  setMailClosing: async (closing: string) => success((await v1())['mail-settings'].$put({ json: { closing } })),
};

/** Where a file is uploaded: a hulpvraag, or an item of a dossier tab. */
export type UploadTarget = { kind: 'hulpvragen' | EntryKind; id: string };

/**
 * Uploads one file as multipart/form-data with upload progress (fetch cannot report it, so
 * XMLHttpRequest), to the route in /openapi.json for the target. Counts as activity.
 */
export async function uploadFile(target: UploadTarget, file: File, onProgress: (fraction: number) => void): Promise<Attachment> {
  const token = (await getSession('session'))?.token;
  if (!token) throw new ApiError('session_expired', 401);
  const url = `${await serverUrl()}/api/v1/${target.kind}/${encodeURIComponent(target.id)}/attachments`;
  const form = new FormData();
  form.append('file', file, file.name);
  const result = await new Promise<{ status: number; body: string }>((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', url);
    xhr.setRequestHeader('Authorization', `Bearer ${token}`);
    xhr.setRequestHeader('Accept', 'application/json');
    xhr.upload.onprogress = (e) => e.lengthComputable && onProgress(e.loaded / e.total);
    xhr.onload = () => resolve({ status: xhr.status, body: xhr.responseText });
    xhr.onerror = () => reject(new ApiError('network_error', 0));
    xhr.send(form);
  });
  await setSession({ lastActivity: Date.now() });
  let parsed: { code?: string } & Partial<Attachment> = {};
  try {
    parsed = JSON.parse(result.body) as typeof parsed;
  } catch {
    // not JSON
  }
  if (result.status === 401) {
    // The server says the session is dead: end it here too (as every other call does).
    await sendToBackground({ type: 'logout', reason: 'expired' }).catch(() => undefined);
    throw new ApiError('session_expired', 401);
  }
  if (result.status !== 201) throw new ApiError(parsed.code ?? `http_${result.status}`, result.status);
  onProgress(1);
  return parsed as Attachment;
}
