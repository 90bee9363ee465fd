import type { Context } from 'hono';
import type { AppEnv } from '../../app-env.ts';
import { AppError } from '../../lib/errors.ts';
import { hitRateLimit, usedUp, windowStartAt, type RateLimitRule } from '../../lib/rate-limit.ts';

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

/**
 * Before a login: the address's failed logins are read in the account lookup's statement (login.ts,
 * one round trip) from the counter `key` in the window that starts at `windowStart`; `check` gets
 * their count and refuses with 429 when they have used up the limit (nothing is counted).
 */
export function loginFailureLimit(c: Context<AppEnv>): { key: string; windowStart: Date; check(failures: number): void } {
  const [key, rule] = loginFailures(c);
  const now = c.var.deps.clock.now();
  return {
    key,
    windowStart: windowStartAt(now, rule),
    check(failures) {
      const over = usedUp(failures, rule, now);
      if (over) throw tooMany(over.retryAfterSeconds);
    },
  };
}

/** After a failed login: counts it against the address. */
export async function countLoginFailure(c: Context<AppEnv>): Promise<void> {
  await hitRateLimit(c.var.deps.db, ...loginFailures(c), c.var.deps.clock.now());
}

const tooMany = (seconds: number) =>
  new AppError('too_many_attempts', `Too many attempts from your address. Try again in ${seconds} seconds.`, { retryAfter: seconds }, { 'Retry-After': String(seconds) });
