import { z } from '@hono/zod-openapi';

/** Longest display name: mails and screens quote it. */
export const DISPLAY_NAME_MAX = 80;

/** Letters (any script) with their marks, digits, spaces and the punctuation of names: . , ' ’ - ( ). */
const PLAIN_NAME = /^[\p{L}\p{M}\p{N} .,'’()-]+$/u;
/** Something a mail client could turn into a link: a host name like `example.org` or `www.x`. */
const HOST_LIKE = /(?:^|[^\p{L}\p{N}])(?:www\.|[\p{L}\p{N}-]{2,}\.\p{L}{2,}(?![\p{L}]))/iu;

/**
 * Why `name` is not a plain name, or null when it is. Display names appear in mails ("Beste …")
 * and in the dossier, so they may not carry a URL, an e-mail address or anything but a name.
 */
export function displayNameProblem(name: string): string | null {
  const trimmed = name.trim();
  if (trimmed.length === 0) return 'Vul een naam in. / Enter a name.';
  if (trimmed.length > DISPLAY_NAME_MAX) return `Een naam is hoogstens ${DISPLAY_NAME_MAX} tekens. / A name is at most ${DISPLAY_NAME_MAX} characters.`;
  if (trimmed.includes('@')) return 'Een naam mag geen @ bevatten (geen e-mailadres). / A name may not contain @ (no e-mail address).';
  if (!PLAIN_NAME.test(trimmed) || HOST_LIKE.test(trimmed)) {
    return 'Alleen een naam: letters, spaties, punt, komma, apostrof, koppelteken en haakjes; geen webadres. / Only a name: letters, spaces and . , \' - ( ); no web address.';
  }
  return null;
}

/** The API field: trimmed, a plain name of at most 80 characters. */
export const DisplayName = z
  .string()
  .max(1000)
  .transform((s) => s.trim())
  .superRefine((s, ctx) => {
    const problem = displayNameProblem(s);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  })
  .openapi({ description: `A plain name (at most ${DISPLAY_NAME_MAX} characters; no @, no web address)`, example: 'Anna de Vries' });
