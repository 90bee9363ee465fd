import { randomBytes } from 'node:crypto';
import { NodeCryptoPlugin } from '@otplib/plugin-crypto-node';
import { generate, generateURI, ScureBase32Plugin, verify } from 'otplib';

/** RFC 6238: SHA-1, 6 digits, 30-second steps, ±1 step accepted. */
export const TOTP_PERIOD = 30;
const base32 = new ScureBase32Plugin();

/**
 * otplib with Node's native HMAC-SHA1 (its own `@otplib/plugin-crypto-node`) instead of the default
 * pure-JavaScript one (noble): the same codes (the RFC 6238 vectors in totp.test.ts), less
 * main-thread time per login try (up to three HMACs; bench/README.md "Login: what it costs besides
 * argon2"); codes are compared with `timingSafeEqual`.
 */
const nodeCrypto = new NodeCryptoPlugin();

/** A new 20-byte secret from the CSPRNG, base32 (upper case, no padding). */
export function newTotpSecret(): string {
  return base32.encode(randomBytes(20)).replace(/=+$/, '');
}

/** `gv3f feu4 x32z …`: lower case groups of four, as typed into an authenticator app. */
export function groupSecret(secret: string): string {
  return secret.toLowerCase().match(/.{1,4}/g)!.join(' ');
}

export function totpUri(username: string, secret: string): string {
  return generateURI({ issuer: 'Kindkans', label: username, secret });
}

export const timeStepAt = (at: Date) => Math.floor(at.getTime() / 1000 / TOTP_PERIOD);

/** The code for `at` (6 digits; 8 only for the RFC test vectors). */
export function totpCode(secret: string, at: Date, digits: 6 | 8 = 6): Promise<string> {
  return generate({ secret, crypto: nodeCrypto, base32, epoch: Math.floor(at.getTime() / 1000), period: TOTP_PERIOD, digits, algorithm: 'sha1' });
}

/**
 * Checks `code` at `at` within ±1 step, refusing steps at or below `afterStep` (replay).
 * Returns the matched step, or null. Malformed codes (otplib throws) are simply wrong.
 */
export async function verifyTotp(secret: string, code: string, at: Date, afterStep?: number | null): Promise<number | null> {
  if (!/^\d{6}$/.test(code)) return null;
  try {
    const result = await verify({
      secret,
      crypto: nodeCrypto,
      base32,
      token: code,
      epoch: Math.floor(at.getTime() / 1000),
      period: TOTP_PERIOD,
      algorithm: 'sha1',
      digits: 6,
      epochTolerance: TOTP_PERIOD,
      ...(afterStep != null ? { afterTimeStep: afterStep } : {}),
    });
    return result.valid && 'timeStep' in result ? result.timeStep : null;
  } catch {
    return null;
  }
}
