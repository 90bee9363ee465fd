// The typed client for the server's routes through `hono/client`, and every API shape the
// extension uses, read off the same routes (InferResponseType / InferRequestType over AppType).
// The server's zod schemas are the one definition: the extension has no copy of its own. Only
// *types* come from the server (erased at build time): the extension never bundles server code.
import { hc, type ClientResponse, type InferRequestType, type InferResponseType } from 'hono/client';
import type { AppType } from '../../../server/src/app.ts';

type Fetch = (input: RequestInfo | URL, init?: RequestInit) => Promise<Response>;

export function serverClient(base: string, fetch: Fetch) {
  return hc<AppType>(base, { fetch });
}

export type ServerClient = ReturnType<typeof serverClient>;
type V1 = ServerClient['api']['v1'];

export type Organisation = InferResponseType<V1['organisations']['$get'], 200>[number];
export type LoginRequest = InferRequestType<V1['auth']['login']['$post']>['json'];
export type LoginResponse = InferResponseType<V1['auth']['login']['$post'], 200>;
export type PasswordResetRequest = InferRequestType<V1['auth']['password-reset']['$post']>['json'];
export type SessionInfo = InferResponseType<V1['auth']['session']['$get'], 200>;
export type User = InferResponseType<V1['me']['$get'], 200>;
export type NewsItem = InferResponseType<V1['news']['$get'], 200>[number];
export type DossierPage = InferResponseType<V1['dossiers']['$get'], 200>;
export type DossierSummary = DossierPage['items'][number];
export type HulpvraagPage = InferResponseType<V1['dossiers'][':id']['hulpvragen']['$get'], 200>;
export type Hulpvraag = InferResponseType<V1['hulpvragen'][':id']['$get'], 200>;
export type Attachment = InferResponseType<V1['attachments'][':id']['$get'], 200>;
export type AccessLogPage = InferResponseType<V1['dossiers'][':id']['access-log']['$get'], 200>;
/** The RFC 9457 problem body of every error answer. */
export type Problem = InferResponseType<V1['me']['$get'], 401>;

/** The body of the success answer (2xx) of a typed call; failures were thrown before. */
export type Success<R> = R extends ClientResponse<infer T, infer S, infer _F> ? (S extends 200 | 201 ? T : never) : never;

export async function success<R extends ClientResponse<unknown, number, string>>(call: Promise<R>): Promise<Success<R>> {
  const response = await call;
  return (await response.json()) as Success<R>;
}
