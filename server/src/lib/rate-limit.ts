import { sql } from 'drizzle-orm';
import type { DbOrTx } from '../db/client.ts';
import { rateLimits } from '../db/schema/index.ts';

export interface RateLimitRule {
  /** Requests allowed per window. */
  max: number;
  windowSeconds: number;
}

/**
 * Counts one hit for `key` in a fixed window kept in `rate_limits` (shared by every server
 * process). Returns how long to wait when over the limit, else null.
 */
export async function hitRateLimit(db: DbOrTx, key: string, rule: RateLimitRule, now: Date): Promise<{ retryAfterSeconds: number } | null> {
  const windowStart = windowStartAt(now, rule);
  const [row] = await db
    .insert(rateLimits)
    .values({ key, windowStart, count: 1 })
    .onConflictDoUpdate({
      target: rateLimits.key,
      set: {
        count: sql`case when ${rateLimits.windowStart} = ${windowStart.toISOString()}::timestamptz then ${rateLimits.count} + 1 else 1 end`,
        windowStart,
      },
    })
    .returning({ count: rateLimits.count });
  return overLimit(row!.count, rule, now);
}

/** How long to wait when `count` hits in the current window are over the limit, else null. */
export function overLimit(count: number, rule: RateLimitRule, now: Date): { retryAfterSeconds: number } | null {
  return count <= rule.max ? null : { retryAfterSeconds: retryAfter(windowStartAt(now, rule), rule, now) };
}

/**
 * `hitRateLimit` as a data-modifying CTE, for a hot path that checks the limit inside one prepared
 * statement (the API token check, features/api-tokens/service.ts): CTE `name` counts one hit for
 * the key `keyExpr` of each row of `from`, in the window that starts at `windowStart` (a
 * placeholder, `windowStartAt` as ISO text), and returns its `count`; `overLimit` reads it.
 */
export const rateLimitHitSql = (name: string, keyExpr: string, from: string, windowStart: string) => `
  ${name} as (
    insert into rate_limits (key, window_start, count) select ${keyExpr}, ${windowStart}::timestamptz, 1 from ${from}
    on conflict (key) do update
      set count = case when rate_limits.window_start = excluded.window_start then rate_limits.count + 1 else 1 end, window_start = excluded.window_start
    returning count
  )`;

export const windowStartAt = (now: Date, rule: RateLimitRule) => new Date(Math.floor(now.getTime() / 1000 / rule.windowSeconds) * rule.windowSeconds * 1000);
const retryAfter = (windowStart: Date, rule: RateLimitRule, now: Date) => Math.max(1, Math.ceil((windowStart.getTime() + rule.windowSeconds * 1000 - now.getTime()) / 1000));

/** Housekeeping: drops windows that ended before `before`. */
export async function deleteOldRateLimits(db: DbOrTx, before: Date): Promise<void> {
  await db.delete(rateLimits).where(sql`${rateLimits.windowStart} < ${before.toISOString()}::timestamptz`);
}
