/**
 * Activation and reset links carry their token in the path (`/activate/<token>`,
 * `/api/v1/password-reset/<token>`): anything written to a log goes through here first.
 */
const TOKEN_PATH = /(\/(?:api\/v1\/)?(?:activation|activate|password-reset|reset)\/)[^/\s?#"'<>]+/g;

/** Every token path segment in `text` replaced by `[token]` (a path, a message, a stack). */
export function redactTokens(text: string): string {
  return text.replace(TOKEN_PATH, '$1[token]');
}
