/**
 * CSV for spreadsheets, as Dutch Excel opens it by a double click:
 * - `;` between cells: Excel splits a .csv on the Windows *list separator*, which is `;` wherever
 *   the decimal separator is `,` (nl-NL); with `,` every row would land in one column.
 * - a UTF-8 byte order mark first: without it Excel reads the file as Windows-1252 (é → Ã©).
 *   (No `sep=;` line: with it Excel ignores the BOM.)
 * - RFC 4180 quoting: a cell with `;`, `,`, `"`, CR or LF is quoted, `"` doubled; lines end CRLF.
 * - formula injection (OWASP): a cell starting with `=`, `+`, `-`, `@`, tab or CR gets a `'`
 *   before it, so a display name like `=HYPERLINK(…)` stays text.
 * - numbers as Dutch Excel reads them: a decimal comma (`12,5`, quoted; `12.5` would become
 *   12 May), nothing for NaN or infinity.
 */
export const CSV_BOM = '\uFEFF';
const CSV_SEPARATOR = ';';

const FORMULA_START = /^[=+\-@\t\r]/;
const NEEDS_QUOTES = /[;,"\r\n]/;

/** One cell: null and undefined are empty; dates ISO 8601 UTC. */
export function csvCell(value: string | number | boolean | Date | null | undefined): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number' && !Number.isFinite(value)) return '';
  let text = value instanceof Date ? value.toISOString() : typeof value === 'number' ? String(value).replace('.', ',') : String(value);
  if (typeof value === 'string' && FORMULA_START.test(text)) text = `'${text}`;
  return NEEDS_QUOTES.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** One line, with its CRLF. */
export const csvLine = (cells: readonly Parameters<typeof csvCell>[0][]): string => `${cells.map(csvCell).join(CSV_SEPARATOR)}\r\n`;

/** Headers of a CSV download (`filename`: ASCII; personal data, so never cached). */
export function csvHeaders(filename: string): Record<string, string> {
  return {
    'Content-Type': 'text/csv; charset=utf-8',
    'Content-Disposition': `attachment; filename="${filename}"`,
    'Cache-Control': 'no-store',
    'X-Content-Type-Options': 'nosniff',
  };
}

/** A whole small CSV (BOM, header line, rows) as one string. */
export const csvDocument = (header: readonly string[], rows: readonly Parameters<typeof csvCell>[0][][]): string =>
  CSV_BOM + csvLine(header) + rows.map(csvLine).join('');
