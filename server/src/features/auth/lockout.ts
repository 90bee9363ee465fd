import { eq } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.ts';
import { users } from '../../db/schema/index.ts';
import { enqueueMail } from '../../mail/outbox.ts';

/** Per account: growing delay after 5 failures, a 15-minute lock after 10 (DESIGN "Security model"). */
const DELAY_AFTER = 5;
const LOCK_AFTER = 10;
const LOCK_MINUTES = 15;

/** Wait before the next attempt counts: 1 s after the 5th failure, then 2, 4, 8, 16 s. */
const delayMs = (failures: number) => (failures < DELAY_AFTER ? 0 : Math.min(1000 * 2 ** (failures - DELAY_AFTER), 60_000));

type UserRow = typeof users.$inferSelect;

/** Why this account may not try now: locked, or still inside its delay; null when it may. */
export function lockoutState(user: Pick<UserRow, 'lockedUntil' | 'failedLogins' | 'lastFailedLoginAt'>, now: Date): 'locked' | 'delayed' | null {
  if (user.lockedUntil && user.lockedUntil > now) return 'locked';
  if (user.failedLogins >= DELAY_AFTER && user.lastFailedLoginAt && now.getTime() < user.lastFailedLoginAt.getTime() + delayMs(user.failedLogins)) return 'delayed';
  return null;
}

/**
 * Counts one failure on a row locked by the caller (FOR UPDATE). The 10th locks the account for
 * 15 minutes (the counter starts again after) and writes the "account locked" mail. Returns true when it locked.
 */
export async function recordLoginFailure(
  tx: DbOrTx,
  user: UserRow,
  now: Date,
  mail?: { appSecret: string; organisation: string },
): Promise<boolean> {
  const expired = user.lockedUntil && user.lockedUntil <= now;
  const failures = (expired ? 0 : user.failedLogins) + 1;
  const lock = failures >= LOCK_AFTER;
  await tx
    .update(users)
    .set(lock ? { failedLogins: 0, lastFailedLoginAt: now, lockedUntil: new Date(now.getTime() + LOCK_MINUTES * 60_000) } : { failedLogins: failures, lastFailedLoginAt: now, ...(expired ? { lockedUntil: null } : {}) })
    .where(eq(users.id, user.id));
  if (lock && mail) {
    await enqueueMail(tx, mail.appSecret, {
      to: user.email,
      organisationId: user.organisationId,
      now,
      mail: { template: 'account_locked', displayName: user.displayName, organisation: mail.organisation, username: user.username, minutes: LOCK_MINUTES },
    });
  }
  return lock;
}
