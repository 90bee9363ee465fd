import { eq } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.ts';
import { users } from '../../db/schema/index.ts';
import { enqueueMail } from '../../mail/outbox.ts';

/**
 * Per account (DESIGN "Security model", README "Security notes"):
 * - a wrong password never locks: from the 5th in a row, the next try must wait 1 s, 2 s, 4 s, …
 *   at most 60 s; a try inside that delay is refused and does not count;
 * - a wrong code after the right password (or on the reset form) counts towards a lock: the 10th
 *   locks the account for 15 minutes; the 3rd lock within 24 hours of the first blocks it until
 *   a password reset (which needs a current code) or a staff unlock. The first lock of those 24
 *   hours mails the owner that someone knows the password.
 */
const DELAY_AFTER = 5;
const MAX_DELAY_MS = 60_000;
const LOCK_AFTER = 10;
const LOCK_MINUTES = 15;
const BLOCK_AFTER_LOCKS = 3;
const LOCK_WINDOW_MS = 24 * 3_600_000;

/** Wait before the next try after `failures` wrong passwords in a row: 0, then 1 s after the 5th, doubling, at most 60 s. */
const delayMs = (failures: number) => (failures < DELAY_AFTER ? 0 : Math.min(1000 * 2 ** (failures - DELAY_AFTER), MAX_DELAY_MS));

type UserRow = typeof users.$inferSelect;
type LockFields = Pick<UserRow, 'lockedUntil' | 'blockedAt' | 'failedLogins' | 'lastFailedLoginAt'>;

/** Why this account may not try now: blocked, locked, or still inside its password delay; null when it may. */
export function lockoutState(user: LockFields, now: Date): 'blocked' | 'locked' | 'delayed' | null {
  if (user.blockedAt) return 'blocked';
  if (user.lockedUntil && user.lockedUntil > now) return 'locked';
  return isDelayed(user, now) ? 'delayed' : null;
}

/** Still inside the delay after the last wrong password? */
export const isDelayed = (user: Pick<UserRow, 'failedLogins' | 'lastFailedLoginAt'>, now: Date) =>
  !!user.lastFailedLoginAt && now.getTime() < user.lastFailedLoginAt.getTime() + delayMs(user.failedLogins);

/** Counts one wrong password (row locked by the caller): it only lengthens the delay before the next try. */
export async function recordWrongPassword(tx: DbOrTx, user: UserRow, now: Date): Promise<void> {
  await tx.update(users).set({ failedLogins: user.failedLogins + 1, lastFailedLoginAt: now }).where(eq(users.id, user.id));
}

/**
 * Counts one wrong code after the right password (row locked by the caller, FOR UPDATE). The 10th
 * locks for 15 minutes; the 3rd lock within 24 hours blocks. The first lock of a 24-hour window
 * writes the "someone knows your password" mail in the same transaction. Returns what happened.
 */
export async function recordWrongCode(
  tx: DbOrTx,
  user: UserRow,
  now: Date,
  mail: { appSecret: string; organisation: string },
): Promise<'counted' | 'locked' | 'blocked'> {
  const failures = user.failedCodes + 1;
  if (failures < LOCK_AFTER) {
    await tx.update(users).set({ failedCodes: failures, failedLogins: 0, lastFailedLoginAt: null }).where(eq(users.id, user.id));
    return 'counted';
  }
  const newWindow = !user.firstLockAt || now.getTime() - user.firstLockAt.getTime() >= LOCK_WINDOW_MS;
  const lockCount = newWindow ? 1 : user.lockCount + 1;
  const blocked = lockCount >= BLOCK_AFTER_LOCKS;
  await tx
    .update(users)
    .set({
      failedCodes: 0,
      failedLogins: 0,
      lastFailedLoginAt: null,
      lockedUntil: new Date(now.getTime() + LOCK_MINUTES * 60_000),
      lockCount,
      firstLockAt: newWindow ? now : user.firstLockAt,
      ...(blocked ? { blockedAt: now } : {}),
    })
    .where(eq(users.id, user.id));
  if (newWindow) {
    await enqueueMail(tx, mail.appSecret, {
      to: user.email,
      organisationId: user.organisationId,
      now,
      mail: { template: 'password_known', displayName: user.displayName, organisation: mail.organisation, username: user.username, minutes: LOCK_MINUTES },
    });
  }
  return blocked ? 'blocked' : 'locked';
}

/** Every counter and lock cleared: after a successful login or reset, and by a staff unlock. */
export const CLEARED = { failedLogins: 0, lastFailedLoginAt: null, failedCodes: 0, lockedUntil: null, lockCount: 0, firstLockAt: null, blockedAt: null } as const;

/** What a successful login clears: the password delay and the code count (a lock within 24 h still counts towards a block). */
export const CLEARED_BY_LOGIN = { failedLogins: 0, lastFailedLoginAt: null, failedCodes: 0 } as const;
