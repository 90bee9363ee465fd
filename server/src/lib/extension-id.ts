import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';

/** Chrome's extension id for a manifest `key`: sha256 of the DER public key, first 32 hex digits as a–p. */
export function extensionIdFromKey(keyBase64: string): string {
  const hex = createHash('sha256').update(Buffer.from(keyBase64, 'base64')).digest('hex').slice(0, 32);
  return [...hex].map((c) => String.fromCharCode(97 + Number.parseInt(c, 16))).join('');
}

/**
 * The one pattern `EXTENSION_ORIGINS` takes besides exact origins: every Firefox install of
 * an extension. Firefox gives each install its own random UUID (`moz-extension://<uuid>`),
 * so no list can name it. Chromium's id is fixed by the manifest `key`: named exactly.
 */
export const FIREFOX_EXTENSIONS = 'moz-extension://*';

/**
 * The default allow-list: the Chromium origin of the extension built from this repository
 * (manifest.json at the root) and any Firefox install (see FIREFOX_EXTENSIONS).
 */
export function defaultExtensionOrigins(manifestPath: URL | string): string[] {
  let chromium: string[] = [];
  try {
    const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as { key?: string };
    if (manifest.key) chromium = [`chrome-extension://${extensionIdFromKey(manifest.key)}`];
  } catch {
    // no manifest next to the server: Firefox installs only
  }
  return [...chromium, FIREFOX_EXTENSIONS];
}
