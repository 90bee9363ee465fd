import type { Context } from 'hono';
import type { AppEnv } from '../../app-env.ts';
import { AppError } from '../../lib/errors.ts';
import { hitRateLimit, type RateLimitRule } from '../../lib/rate-limit.ts';

/** Per client address, per kind of attempt (a fixed window in the database, shared by all processes). */
export const ADDRESS_LIMITS = {
  login: { max: 30, windowSeconds: 600 },
  'password-reset': { max: 10, windowSeconds: 600 },
  token: { max: 30, windowSeconds: 600 },
} satisfies Record<string, RateLimitRule>;

/** Counts this request against the caller's address; over the limit → 429 too_many_attempts with Retry-After. */
export async function throttleAddress(c: Context<AppEnv>, kind: keyof typeof ADDRESS_LIMITS): Promise<void> {
  const { db, clock } = c.var.deps;
  const over = await hitRateLimit(db, `${kind}:ip:${c.var.clientIp}`, ADDRESS_LIMITS[kind], clock.now());
  if (over) {
    throw new AppError('too_many_attempts', `Too many attempts from your address. Try again in ${over.retryAfterSeconds} seconds.`, { retryAfter: over.retryAfterSeconds }, { 'Retry-After': String(over.retryAfterSeconds) });
  }
}
