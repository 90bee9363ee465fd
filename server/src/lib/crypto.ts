import { createCipheriv, createDecipheriv, createHash, hkdfSync, randomBytes } from 'node:crypto';

/** A 256-bit random token, base64url (43 characters). */
export function generateToken(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}

/** API tokens start with this, so that secret scanners can find a leaked one. */
export const API_TOKEN_PREFIX = 'kk_';

/** `kk_` + 256 bits of randomness (base64url). */
export function generateApiToken(): string {
  return API_TOKEN_PREFIX + generateToken(32);
}

/** A session token: random, and never mistaken for an API token. */
export function generateSessionToken(): string {
  for (;;) {
    const token = generateToken(32);
    if (!token.startsWith(API_TOKEN_PREFIX)) return token;
  }
}

/** SHA-256 hex of a token: what the database stores instead of the token. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** AES-256-GCM with a key derived (HKDF-SHA256) from APP_SECRET for one purpose. */
export interface SecretBox {
  encrypt(plaintext: string): string;
  decrypt(sealed: string): string;
}

const VERSION = 'v1';

/**
 * The boxes made so far, by purpose and secret: HKDF runs once per key, not on every call (login
 * decrypts the TOTP secret on every try; bench/README.md "Login: what it costs besides argon2"). A process has
 * one APP_SECRET (tests a few), so this stays tiny.
 */
const boxes = new Map<string, SecretBox>();

export function createSecretBox(appSecret: string, purpose: string): SecretBox {
  const id = `${purpose}\u0000${appSecret}`;
  let box = boxes.get(id);
  if (!box) boxes.set(id, (box = newSecretBox(appSecret, purpose)));
  return box;
}

function newSecretBox(appSecret: string, purpose: string): SecretBox {
  const key = Buffer.from(hkdfSync('sha256', appSecret, 'kindkans', `kindkans:${purpose}`, 32));
  return {
    encrypt(plaintext) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      const data = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
      return [VERSION, iv.toString('base64url'), data.toString('base64url'), cipher.getAuthTag().toString('base64url')].join('.');
    },
    decrypt(sealed) {
      const [version, iv, data, tag] = sealed.split('.');
      if (version !== VERSION || !iv || data === undefined || !tag) throw new Error('sealed value has an unknown format');
      const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
      decipher.setAuthTag(Buffer.from(tag, 'base64url'));
      return Buffer.concat([decipher.update(Buffer.from(data, 'base64url')), decipher.final()]).toString('utf8');
    },
  };
}
