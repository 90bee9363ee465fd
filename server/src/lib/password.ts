import { readFileSync } from 'node:fs';
import { hash, verify } from '@node-rs/argon2';

/** argon2id with the parameters of DESIGN "Security model", set explicitly (2 = Argon2id). */
export const ARGON2_OPTIONS = { algorithm: 2, memoryCost: 19456, timeCost: 2, parallelism: 1, outputLen: 32 } as const;

const PASSWORD_MIN = 10;
const PASSWORD_MAX = 128;

/** Hashes off the event loop (libuv thread pool). */
export function hashPassword(password: string): Promise<string> {
  return hash(password, ARGON2_OPTIONS);
}

/** True when `password` matches; false for a wrong password or a damaged hash. */
export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password);
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
