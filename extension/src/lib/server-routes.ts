// The typed client for the server's routes through `hono/client`. Only *types* come from the
// server (erased at build time): the extension never bundles server code.
import { hc, type ClientResponse } from 'hono/client';
import type { AppType } from '../../../server/src/app.ts';

type Fetch = (input: RequestInfo | URL, init?: RequestInit) => Promise<Response>;

export function serverClient(base: string, fetch: Fetch) {
  return hc<AppType>(base, { fetch });
}

/** The body of the success answer (2xx) of a typed call; failures were thrown before. */
export type Success<R> = R extends ClientResponse<infer T, infer S, infer _F> ? (S extends 200 | 201 ? T : never) : never;

export async function success<R extends ClientResponse<unknown, number, string>>(call: Promise<R>): Promise<Success<R>> {
  const response = await call;
  return (await response.json()) as Success<R>;
}
