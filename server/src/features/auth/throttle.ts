import type { Context } from 'hono';
import type { AppEnv } from '../../app-env.ts';
import { AppError } from '../../lib/errors.ts';
import { hitRateLimit, peekRateLimit, type RateLimitRule } from '../../lib/rate-limit.ts';

/** Per client address, per kind of attempt (a fixed window in the database, shared by all processes). */
export const ADDRESS_LIMITS = {
  'password-reset': { max: 10, windowSeconds: 600 },
  token: { max: 30, windowSeconds: 600 },
} satisfies Record<string, RateLimitRule>;

/** Counts this request against the caller's address; over the limit → 429 too_many_attempts with Retry-After. */
export async function throttleAddress(c: Context<AppEnv>, kind: keyof typeof ADDRESS_LIMITS): Promise<void> {
  const { db, clock } = c.var.deps;
  const over = await hitRateLimit(db, `${kind}:ip:${c.var.clientIp}`, ADDRESS_LIMITS[kind], clock.now());
  if (over) throw tooMany(over.retryAfterSeconds);
}

/** Failed logins per client address: `LOGIN_FAILURES_PER_ADDRESS` per 10 minutes (successes do not count). */
const loginFailures = (c: Context<AppEnv>): [string, RateLimitRule] => [`login-failures:ip:${c.var.clientIp}`, { max: c.var.deps.env.LOGIN_FAILURES_PER_ADDRESS, windowSeconds: 600 }];

/** Before a login: 429 when this address has used up its failures for the window (nothing is counted). */
export async function checkLoginFailures(c: Context<AppEnv>): Promise<void> {
  const over = await peekRateLimit(c.var.deps.db, ...loginFailures(c), c.var.deps.clock.now());
  if (over) throw tooMany(over.retryAfterSeconds);
}

/** After a failed login: counts it against the address. */
export async function countLoginFailure(c: Context<AppEnv>): Promise<void> {
  await hitRateLimit(c.var.deps.db, ...loginFailures(c), c.var.deps.clock.now());
}

const tooMany = (seconds: number) =>
  new AppError('too_many_attempts', `Too many attempts from your address. Try again in ${seconds} seconds.`, { retryAfter: seconds }, { 'Retry-After': String(seconds) });
