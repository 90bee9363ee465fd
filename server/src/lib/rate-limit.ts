import { sql } from 'drizzle-orm';
import type { Db, DbOrTx } from '../db/client.ts';
import { preparedStatement } from '../db/prepared.ts';
import { rateLimits } from '../db/schema/index.ts';

export interface RateLimitRule {
  /** Requests allowed per window. */
  max: number;
  windowSeconds: number;
}

/**
 * Counts one hit for `key` in a fixed window kept in `rate_limits` (shared by every server
 * process). Returns how long to wait when over the limit, else null. The same upsert as
 * `rateLimitHitSql`: a hit that arrives late, for a window that another process has already left,
 * is counted in the newer window and never resets it.
 */
export async function hitRateLimit(db: Db, key: string, rule: RateLimitRule, now: Date): Promise<{ retryAfterSeconds: number } | null> {
  return overLimit(await reserveHits(db, key, 1, windowStartAt(now, rule)), rule, now);
}

/** How long to wait when `count` hits in the current window are over the limit, else null. */
function overLimit(count: number, rule: RateLimitRule, now: Date): { retryAfterSeconds: number } | null {
  return count <= rule.max ? null : untilNextWindow(rule, now);
}

/**
 * A reservation of `n` hits for a key as a data-modifying CTE, for a hot path that counts inside
 * one prepared statement (the API token check, features/api-tokens/service.ts, with
 * `RateLimitBlocks`): CTE `name` adds `n` (a placeholder; 0 → no row, nothing written or locked)
 * to the key `keyExpr` of each row of `from`, in the window that starts at `windowStart` (a
 * placeholder, `windowStartAt` as ISO text), and returns the window's `count` with them. A
 * reservation made for a window that has already ended in the table (another process is in the
 * next one) is counted in the newer window: late requests never reset a newer count.
 */
export const rateLimitHitSql = (name: string, keyExpr: string, from: string, windowStart: string, n: string) => `
  ${name} as (
    insert into rate_limits (key, window_start, count) select ${keyExpr}, ${windowStart}::timestamptz, ${n}::int from ${from} where ${n}::int > 0
    on conflict (key) do update
      set count = case when rate_limits.window_start >= excluded.window_start then rate_limits.count + excluded.count else excluded.count end,
        window_start = greatest(rate_limits.window_start, excluded.window_start)
    returning count
  )`;

/**
 * This process's share of a limit kept in `rate_limits` (shared by every server process), taken
 * in blocks: instead of one upsert per request (a write, and with many connections of one key a
 * queue on its one row), a process reserves `block` hits at once in the table and hands them out
 * from memory; one request in `block` writes. The requests that wait for a reservation already
 * made run meanwhile, and take their hit when it is in.
 *
 * Accuracy: the table's count includes every hit handed out, so across all processes a key never
 * gets more than `rule.max` requests in a window. The price is the other way: hits a process has
 * reserved but not yet used are not available to the others, so when a key reaches its limit one
 * process may refuse while the others hold up to `block − 1` unused hits each (at most
 * `(processes − 1) × (block − 1)` fewer than `max` answered before the first refusal). With one
 * process the limit is exact. Refused requests are not counted (the window is used up anyway).
 *
 * Use: `plan()` before the statement gives the number of hits to reserve in it (0: this request
 * counts on hits this process has or is reserving); `settle()` after it, with the reservation's
 * count (`rateLimitHitSql`; null if it made none), gives the 429's wait or null; `release()` when
 * the statement failed or found no key (an unknown token).
 */
export class RateLimitBlocks {
  readonly #windows = new Map<string, Budget>();
  constructor(readonly rule: RateLimitRule, readonly block: number) {}

  /** Blocks of about 2 % of the limit (at least 1, at most 100): one write per block. */
  static for(rule: RateLimitRule): RateLimitBlocks {
    return new RateLimitBlocks(rule, Math.min(100, Math.max(1, Math.floor(rule.max / 50))));
  }

  plan(key: string, now: Date): RateLimitTicket {
    const windowStart = windowStartAt(now, this.rule);
    let budget = this.#windows.get(key);
    if (!budget || budget.windowStart.getTime() !== windowStart.getTime()) {
      if (this.#windows.size >= 1000) this.#sweep(windowStart);
      budget = { windowStart, available: 0, pending: 0, claims: 0, exhausted: false, waiting: [] };
      this.#windows.set(key, budget);
    }
    if (budget.available + budget.pending * this.block - budget.claims > 0) {
      budget.claims++;
      return { key, budget, windowStart, reserve: 0, over: false };
    }
    if (budget.exhausted) return { key, budget, windowStart, reserve: 0, over: true };
    budget.claims++;
    budget.pending++;
    return { key, budget, windowStart, reserve: this.block, over: false };
  }

  /**
   * After the statement: `count` is the reservation's count (`ticket.reserve` > 0). Null when the
   * request is within the limit, else how long to wait. `reserve` makes a reservation alone
   * (another round trip), only when this request's hit is neither here nor on its way (a
   * reservation it counted on failed).
   */
  async settle(ticket: RateLimitTicket, count: number | null, now: Date, reserve: (n: number, windowStart: Date) => Promise<number>): Promise<{ retryAfterSeconds: number } | null> {
    const { budget } = ticket;
    if (ticket.over) return untilNextWindow(this.rule, now);
    if (ticket.reserve > 0) this.#reserved(budget, ticket.reserve, count);
    for (;;) {
      if (budget.available > 0) {
        budget.available--;
        budget.claims--;
        return null;
      }
      if (budget.pending > 0) {
        await new Promise<void>((wake) => budget.waiting.push(wake));
        continue;
      }
      if (budget.exhausted) {
        budget.claims--;
        return untilNextWindow(this.rule, now);
      }
      budget.pending++;
      let reserved: number;
      try {
        reserved = await reserve(this.block, budget.windowStart);
      } catch (err) {
        this.#reserved(budget, this.block, null);
        budget.claims--;
        throw err;
      }
      this.#reserved(budget, this.block, reserved);
    }
  }

  /** The statement failed, or found no key: this request takes nothing. */
  release(ticket: RateLimitTicket): void {
    const { budget } = ticket;
    if (ticket.over) return;
    budget.claims--;
    if (ticket.reserve > 0) this.#reserved(budget, ticket.reserve, null);
    this.#drop(ticket.key, budget);
  }

  /** A reservation of `n` is in (`count`: the window's count with it), or failed (null). */
  #reserved(budget: Budget, n: number, count: number | null) {
    budget.pending--;
    wakeAll(budget);
    if (count === null) return;
    budget.available += Math.max(0, Math.min(n, this.rule.max - (count - n)));
    if (count >= this.rule.max) budget.exhausted = true;
  }

  /** Forgets an idle budget with nothing in it (an unknown key; a used-up window). */
  #drop(key: string, budget: Budget) {
    if (budget.claims === 0 && budget.pending === 0 && budget.available === 0 && !budget.exhausted && this.#windows.get(key) === budget) this.#windows.delete(key);
  }

  #sweep(current: Date) {
    for (const [key, budget] of this.#windows) {
      if (budget.windowStart < current && budget.claims === 0 && budget.pending === 0) this.#windows.delete(key);
    }
  }
}

/** One request's part in a `RateLimitBlocks` window. */
export interface RateLimitTicket {
  readonly key: string;
  readonly budget: Budget;
  /** The window this request counts in (`windowStartAt`). */
  readonly windowStart: Date;
  /** Hits to reserve in this request's statement (0: none). */
  readonly reserve: number;
  /** Known before the statement: the window is used up. */
  readonly over: boolean;
}

interface Budget {
  windowStart: Date;
  /** Hits reserved and not yet handed out. */
  available: number;
  /** Reservations on their way. */
  pending: number;
  /** Requests planned and not settled that will take a hit. */
  claims: number;
  /** The table's count reached the limit: no more reservations in this window. */
  exhausted: boolean;
  waiting: (() => void)[];
}

const reservation = preparedStatement<{ count: number }>(`with ${rateLimitHitSql('hit', '$1', '(select 1) one', '$2', '$3')} select count from hit`);

/** Reserves `n` hits for `key` in the window that starts at `windowStart`, alone: the window's count with them. */
export async function reserveHits(db: Db, key: string, n: number, windowStart: Date): Promise<number> {
  return (await reservation(db, [key, windowStart.toISOString(), n]))[0]!.count;
}

const wakeAll = (budget: Budget) => {
  for (const wake of budget.waiting.splice(0)) wake();
};

/**
 * For limits that count only failures (the per-address login limit, which login reads in its
 * account lookup's statement, features/auth/login.ts): `count` hits read in the current window
 * (`windowStartAt`) without counting — how long to wait when they have reached `rule.max` already,
 * else null.
 */
export function usedUp(count: number, rule: RateLimitRule, now: Date): { retryAfterSeconds: number } | null {
  return count < rule.max ? null : untilNextWindow(rule, now);
}

export const windowStartAt = (now: Date, rule: RateLimitRule) => new Date(Math.floor(now.getTime() / 1000 / rule.windowSeconds) * rule.windowSeconds * 1000);
/** The 429's wait: whole seconds (at least 1) until the window of `now` ends. */
const untilNextWindow = (rule: RateLimitRule, now: Date) => ({
  retryAfterSeconds: Math.max(1, Math.ceil((windowStartAt(now, rule).getTime() + rule.windowSeconds * 1000 - now.getTime()) / 1000)),
});

/** Housekeeping: drops windows that ended before `before`. */
export async function deleteOldRateLimits(db: DbOrTx, before: Date): Promise<void> {
  await db.delete(rateLimits).where(sql`${rateLimits.windowStart} < ${before.toISOString()}::timestamptz`);
}
