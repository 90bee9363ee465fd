// Typed clients for the server's routes through `hono/client`. Only *types* come from the
// server (erased at build time): the extension never bundles server code.
//
// One client per feature router rather than one over `AppType`: `users/routes.ts` declares
// its action routes with a template-string path (`/users/{id}/${action}`), which widens the
// whole app's client type to `/api/v1/${string}`. Once that path is a literal union, this
// file can become `hc<AppType>(base)`.
import { hc, type ClientResponse } from 'hono/client';
import type { authRoutes } from '../../../server/src/features/auth/routes.ts';
import type { passwordResetRoutes } from '../../../server/src/features/password-reset/routes.ts';
import type { organisationRoutes } from '../../../server/src/features/organisations/routes.ts';
import type { accountRoutes } from '../../../server/src/features/account/routes.ts';
import type { newsRoutes } from '../../../server/src/features/news/routes.ts';
import type { dossierRoutes } from '../../../server/src/features/dossiers/routes.ts';
import type { hulpvraagRoutes } from '../../../server/src/features/hulpvragen/routes.ts';
import type { attachmentRoutes } from '../../../server/src/features/attachments/routes.ts';
import type { accessLogRoutes } from '../../../server/src/features/access-log/routes.ts';

type Fetch = (input: RequestInfo | URL, init?: RequestInit) => Promise<Response>;

export function serverClients(base: string, fetch: Fetch) {
  const options = { fetch };
  return {
    auth: hc<typeof authRoutes>(base, options),
    passwordReset: hc<typeof passwordResetRoutes>(base, options),
    organisations: hc<typeof organisationRoutes>(base, options),
    account: hc<typeof accountRoutes>(base, options),
    news: hc<typeof newsRoutes>(base, options),
    dossiers: hc<typeof dossierRoutes>(base, options),
    hulpvragen: hc<typeof hulpvraagRoutes>(base, options),
    attachments: hc<typeof attachmentRoutes>(base, options),
    accessLog: hc<typeof accessLogRoutes>(base, options),
  };
}

export type ServerClients = ReturnType<typeof serverClients>;

/** The body of the success answer (2xx) of a typed call; failures were thrown before. */
export type Success<R> = R extends ClientResponse<infer T, infer S, infer _F> ? (S extends 200 | 201 ? T : never) : never;

export async function success<R extends ClientResponse<unknown, number, string>>(call: Promise<R>): Promise<Success<R>> {
  const response = await call;
  return (await response.json()) as Success<R>;
}
