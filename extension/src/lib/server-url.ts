// Which server addresses the extension talks to. The token and a child's dossier travel to it,
// so only https:// — plain http:// only to this computer itself, for development.

const LOCAL_HOSTS = new Set(['localhost', '127.0.0.1']);

/** `https://x.nl/path/` → `https://x.nl/path`; null when it is no http(s) address at all. */
export function normaliseServerUrl(input: string): string | null {
  try {
    const url = new URL(input.trim());
    if (url.protocol !== 'https:' && url.protocol !== 'http:') return null;
    if (url.username || url.password || url.search || url.hash) return null;
    return `${url.origin}${url.pathname}`.replace(/\/+$/, '');
  } catch {
    return null;
  }
}

/** https://, or http://localhost and http://127.0.0.1 (development). */
export function isSecureServerUrl(url: string): boolean {
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'https:' || (parsed.protocol === 'http:' && LOCAL_HOSTS.has(parsed.hostname));
  } catch {
    return false;
  }
}
