import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { hash, verify } from '@node-rs/argon2';

/** argon2id with the parameters of DESIGN "Security model", set explicitly (2 = Argon2id). */
export const ARGON2_OPTIONS = { algorithm: 2, memoryCost: 19456, timeCost: 2, parallelism: 1, outputLen: 32 } as const;

const PASSWORD_MIN = 10;
const PASSWORD_MAX = 128;

/**
 * At most this many argon2 computations run at once; the rest wait their turn in order. argon2
 * runs on libuv's thread pool (4 threads), which file reads and writes (attachment spool and
 * cache) share: without a cap, a burst of logins takes every pool thread and every download from
 * the cache waits behind them. One per core: more at once only share the cores (and the CPU
 * cache: 19 MiB of memory each). At most 3, so one of libuv's 4 threads is always left for files.
 */
const HASH_SLOTS = Math.min(availableParallelism(), 3);
let hashing = 0;
const waiting: (() => void)[] = [];

async function inSlot<T>(work: () => Promise<T>): Promise<T> {
  if (hashing >= HASH_SLOTS) await new Promise<void>((resolve) => waiting.push(resolve));
  else hashing++;
  try {
    return await work();
  } finally {
    const next = waiting.shift();
    if (next) next();
    else hashing--;
  }
}

/** Hashes off the event loop (libuv thread pool). */
export function hashPassword(password: string): Promise<string> {
  return inSlot(() => hash(password, ARGON2_OPTIONS));
}

/** True when `password` matches; false for a wrong password or a damaged hash. */
export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await inSlot(() => verify(passwordHash, password));
  } catch {
    return false;
  }
}

let dummyHash: Promise<string> | undefined;

/** Costs what a real verification costs, for unknown users (so timing tells nothing). */
export async function verifyDummyPassword(password: string): Promise<false> {
  dummyHash ??= hashPassword('kindkans-dummy-password-for-timing');
  await verifyPassword(await dummyHash, password);
  return false;
}

let common: Set<string> | undefined;

function commonPasswords(): Set<string> {
  common ??= new Set(
    readFileSync(new URL('./common-passwords.txt', import.meta.url), 'utf8')
      .split('\n')
      .filter((l) => l && !l.startsWith('#')),
  );
  return common;
}

/** Why a new password is refused (Dutch, for the pages and the API), or null when it is fine. */
export function passwordProblem(password: string, username: string): string | null {
  const length = [...password].length;
  if (length < PASSWORD_MIN) return `Het wachtwoord moet minstens ${PASSWORD_MIN} tekens hebben.`;
  if (length > PASSWORD_MAX) return `Het wachtwoord mag hoogstens ${PASSWORD_MAX} tekens hebben.`;
  const lower = password.toLowerCase();
  if (lower === username.toLowerCase()) return 'Het wachtwoord mag niet gelijk zijn aan uw gebruikersnaam.';
  if (commonPasswords().has(lower)) return 'Dit wachtwoord wordt veel gebruikt en is daardoor makkelijk te raden. Kies een ander.';
  return null;
}
