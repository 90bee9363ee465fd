/** File names are data only: cleaned for display and for Content-Disposition, never a path. */

const UNSAFE = /[\u0000-\u001F\u007F-\u009F\u200E\u200F\u202A-\u202E\u2066-\u2069]/g;

/**
 * Control and bidi characters removed, path separators replaced, no leading dots, no trailing
 * dots or spaces (Windows drops them: `setup.exe.` is `setup.exe`), at most 200 characters.
 */
export function cleanFilename(raw: string | null | undefined): string {
  const segments = (raw ?? '').normalize('NFC').replace(UNSAFE, '').split(/[/\\]/);
  let name = segments.map((s) => s.trim()).filter((s) => s !== '' && s !== '.' && s !== '..').join('_');
  name = name.replace(/^[.\s]+/, '').replace(/[.\s]+$/, '');
  if ([...name].length > 200) {
    const dot = name.lastIndexOf('.');
    const ext = dot > 0 && name.length - dot <= 10 ? name.slice(dot) : '';
    name = [...name].slice(0, 200 - ext.length).join('') + ext;
  }
  return name || 'bijlage';
}

/** The last extension of a name in lower case (`.pdf`), or '' when it has none. */
export function extensionOf(name: string): string {
  const dot = name.lastIndexOf('.');
  return dot > 0 ? name.slice(dot).toLowerCase() : '';
}

/**
 * The name to store for a file of `contentType`: unchanged when it ends in one of `allowed`,
 * with the first of them appended when it has no extension at all, null otherwise (refuse).
 */
export function nameForType(name: string, allowed: readonly string[]): string | null {
  const ext = extensionOf(name);
  if (ext === '') return `${name}${allowed[0]}`;
  return allowed.includes(ext) ? name : null;
}

/** RFC 6266 / RFC 8187: an ASCII fallback plus the exact name percent-encoded as UTF-8. */
export function contentDisposition(filename: string): string {
  const ascii = filename
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^\x20-\x7e]/g, '_')
    .replace(/["\\%]/g, '_');
  const encoded = encodeURIComponent(filename).replace(/['()*]/g, (ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}
