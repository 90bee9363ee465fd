/**
 * Safe defaults on every response. JSON gets a CSP that allows nothing; HTML pages set their
 * own CSP (they keep these others). Anything under /api is `no-store` unless a route says otherwise.
 * The list is built once; edge.ts applies it to each answer's headers.
 */
export function securityHeaders(options: { hsts?: boolean } = {}) {
  const always: [string, string][] = [
    ['X-Content-Type-Options', 'nosniff'],
    ['Referrer-Policy', 'no-referrer'],
    ['X-Frame-Options', 'DENY'],
    ['Cross-Origin-Opener-Policy', 'same-origin'],
    ['Cross-Origin-Resource-Policy', 'same-site'],
    ['Permissions-Policy', 'camera=(), microphone=(), geolocation=(), payment=()'],
    ...(options.hsts ? [['Strict-Transport-Security', 'max-age=31536000; includeSubDomains'] as [string, string]] : []),
  ];
  return (headers: Headers, path: string): void => {
    for (const [name, value] of always) headers.set(name, value);
    if (!headers.has('Content-Security-Policy')) headers.set('Content-Security-Policy', "default-src 'none'; frame-ancestors 'none'");
    if (path.startsWith('/api/') && !headers.has('Cache-Control')) headers.set('Cache-Control', 'no-store');
  };
}
