import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';

/** Chrome's extension id for a manifest `key`: sha256 of the DER public key, first 32 hex digits as a–p. */
export function extensionIdFromKey(keyBase64: string): string {
  const hex = createHash('sha256').update(Buffer.from(keyBase64, 'base64')).digest('hex').slice(0, 32);
  return [...hex].map((c) => String.fromCharCode(97 + Number.parseInt(c, 16))).join('');
}

/** The origin of the extension built from this repository (manifest.json at the root). */
export function defaultExtensionOrigins(manifestPath: URL | string): string[] {
  try {
    const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as { key?: string };
    return manifest.key ? [`chrome-extension://${extensionIdFromKey(manifest.key)}`] : [];
  } catch {
    return [];
  }
}
