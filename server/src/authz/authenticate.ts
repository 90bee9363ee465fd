import type { Context, MiddlewareHandler } from 'hono';
import { createMiddleware } from 'hono/factory';
import { depsOf, type AppEnv } from '../app-env.ts';
import { checkApiToken, tokenPrincipalOf, type LiveTokenParams, type LiveTokenRow } from '../features/api-tokens/service.ts';
import { checkSessionToken, sessionPolicy } from '../features/auth/session.ts';
import { AppError } from '../lib/errors.ts';
import { API_TOKEN_PREFIX } from '../lib/crypto.ts';
import { recordRefusal } from './authorize.ts';
import { sessionPrincipal, type Principal, type SessionPrincipal } from './principal.ts';

/**
 * The variables `authenticate()` sets (Hono's `RequestIdVariables` style): only this middleware
 * declares `principal`. A route that lists `authenticate()` in its `middleware` gets
 * `c.var.principal` typed in its handler; helpers take `Context<AuthEnv>`.
 */
type AuthVariables<P extends Principal = Principal> = { principal: P };
export type AuthEnv<P extends Principal = Principal> = AppEnv & { Variables: AuthVariables<P> };

const BEARER = /^Bearer ([A-Za-z0-9_-]{20,128})$/;

const unauthorized = (detail: string) => new AppError('unauthorized', detail, {}, { 'WWW-Authenticate': 'Bearer realm="kindkans"' });

/**
 * `Authorization: Bearer …` → `c.var.principal`, or 401.
 * - `kk_…`: an API token (lean: one prepared statement for the lookup, the per-token rate limit
 *   and a last-use note at most every 15 s; no idle touch). Over the limit: 429 `rate_limited`
 *   with Retry-After.
 * - anything else: a person's session (idle timeout, activity recorded as before).
 * `{ sessionOnly: true }`: a route for people only (`/auth/*`, `/api-tokens`): a token is
 * refused with 403 and audited; the handler's `principal` is then a `SessionPrincipal`.
 */
export function authenticate(options?: { combined?: CombinedRead<unknown> }): MiddlewareHandler<AuthEnv>;
export function authenticate(options: { sessionOnly: true }): MiddlewareHandler<AuthEnv<SessionPrincipal>>;
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the overloads above are the types
export function authenticate(options: { sessionOnly?: boolean; combined?: CombinedRead<unknown> } = {}): MiddlewareHandler<any> {
  return createMiddleware<AuthEnv>(async (c, next) => {
    const match = BEARER.exec(c.req.header('authorization') ?? '');
    if (!match) throw unauthorized('Sign in, or send an API token: Authorization: Bearer <token>.');
    const bearer = match[1]!;
    const principal = bearer.startsWith(API_TOKEN_PREFIX) ? await tokenPrincipal(c, bearer, options.combined)
      : ((await options.combined?.run(c, bearer)) ?? (await sessionPrincipalOf(c, bearer)));
    c.set('principal', principal);
    if (options.sessionOnly && principal.kind !== 'session') {
      await recordRefusal(c, null, { reason: 'token' });
      throw new AppError('forbidden', 'An API token cannot use this route; it is for people signed in with a session.');
    }
    await next();
  });
}

/**
 * A hot read answered together with the authentication, in one statement (one round trip).
 * `authenticate({ combined })` runs it:
 * - for a session token (`session`): it gives the principal when the session is live (else null:
 *   the ordinary check runs and answers);
 * - for an API token (`token`, optional): its statement includes the token check (`liveTokenSql`,
 *   placeholders `$1`–`$8` as given), and it gives the token's row with `hits` (`row` undefined: no live
 *   token, 401), or null when it does not apply (the ordinary token check runs).
 * Its result, when it has one, is kept for the handler (`resultOf(c)`; undefined → the handler
 * reads the ordinary way). The route's `authorize()` still runs after it, so a refused role or a
 * token without the scope never sees the result.
 */
export interface CombinedRead<T> {
  run<E extends AppEnv>(c: Context<E>, bearer: string): Promise<SessionPrincipal | null>;
  runToken<E extends AppEnv>(c: Context<E>, token: LiveTokenParams): Promise<{ row: LiveTokenRow | undefined } | null>;
  resultOf<E extends AppEnv>(c: Context<E>): T | undefined;
}

type Found<P, T> = { result: T | null } & P;

export function combinedRead<T>(
  session: <E extends AppEnv>(c: Context<E>, bearer: string) => Promise<Found<{ principal: SessionPrincipal }, T> | null>,
  token?: <E extends AppEnv>(c: Context<E>, params: LiveTokenParams) => Promise<Found<{ row: LiveTokenRow | undefined }, T> | null>,
): CombinedRead<T> {
  const results = new WeakMap<object, T>();
  const keep = <E extends AppEnv>(c: Context<E>, found: { result: T | null } | null) => {
    if (found?.result) results.set(c, found.result);
  };
  return {
    async run(c, bearer) {
      const found = await session(c, bearer);
      keep(c, found);
      return found?.principal ?? null;
    },
    async runToken(c, params) {
      const found = (await token?.(c, params)) ?? null;
      keep(c, found);
      return found;
    },
    resultOf: (c) => results.get(c),
  };
}

async function sessionPrincipalOf<E extends AppEnv>(c: Context<E>, token: string): Promise<SessionPrincipal> {
  const { db, clock, env } = depsOf(c);
  const result = await checkSessionToken(db, token, clock.now(), sessionPolicy(env));
  if (!result) throw unauthorized('Sign in again: the session is missing, has ended or has expired.');
  return sessionPrincipal(result.user, result.session);
}

async function tokenPrincipal<E extends AppEnv>(c: Context<E>, token: string, combined?: CombinedRead<unknown>): Promise<Principal> {
  const checked = await checkApiToken(depsOf(c), token, c.var.clientIp, combined && ((params) => combined.runToken(c, params)));
  if (!checked) throw unauthorized('The API token is unknown, revoked or expired.');
  const { row, over } = checked;
  if (over) {
    throw new AppError('rate_limited', `Too many requests with this API token. Try again in ${over.retryAfterSeconds} seconds.`, { retryAfter: over.retryAfterSeconds }, { 'Retry-After': String(over.retryAfterSeconds) });
  }
  return tokenPrincipalOf(row);
}
