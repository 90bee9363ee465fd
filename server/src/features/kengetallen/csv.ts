/**
 * CSV as RFC 4180 says: fields separated by commas, records ended by CRLF, a field quoted when it
 * holds a comma, a quote, CR or LF, and quotes inside doubled. UTF-8 with a byte order mark, so
 * that Excel reads the accents. Text that a spreadsheet would take for a formula (starting with
 * `=`, `+`, `-`, `@`, a tab or CR) gets a leading apostrophe (OWASP's CSV injection advice);
 * numbers are written as numbers.
 */
const FORMULA_START = /^[=+\-@\t\r]/;
const NEEDS_QUOTES = /[",\r\n]/;

export function csvField(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  const text = FORMULA_START.test(value) ? `'${value}` : value;
  return NEEDS_QUOTES.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

const csvRecord = (fields: readonly (string | number | null | undefined)[]) => `${fields.map(csvField).join(',')}\r\n`;

const BOM = '\uFEFF';

export function toCsv(header: readonly string[], rows: readonly (readonly (string | number | null | undefined)[])[]): string {
  return BOM + csvRecord(header) + rows.map(csvRecord).join('');
}
