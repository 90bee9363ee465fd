import { describe, expect, it } from 'vitest';
import { csvCell, csvDocument, csvLine } from './csv.ts';

describe('CSV for Dutch Excel', () => {
  it('quotes per RFC 4180: separators, quotes and line breaks inside a cell', () => {
    expect(csvCell('gewoon')).toBe('gewoon');
    expect(csvCell('a;b')).toBe('"a;b"');
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('zei "hallo"')).toBe('"zei ""hallo"""');
    expect(csvCell('regel 1\r\nregel 2')).toBe('"regel 1\r\nregel 2"');
    expect(csvCell(null)).toBe('');
    expect(csvCell(new Date('2026-11-28T10:00:00Z'))).toBe('2026-11-28T10:00:00.000Z');
  });

  it('guards against formula injection: = + - @ tab CR at the start become text', () => {
    expect(csvCell('=HYPERLINK("http://x","klik")')).toBe(`"'=HYPERLINK(""http://x"",""klik"")"`);
    expect(csvCell('+31 6 1234')).toBe("'+31 6 1234");
    expect(csvCell('-2+3')).toBe("'-2+3");
    expect(csvCell('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvCell('\t=1')).toBe("'\t=1");
    expect(csvCell('a=b')).toBe('a=b');
    expect(csvCell(-5)).toBe('-5'); // a number is a number
  });

  it('writes numbers as Dutch Excel reads them: a decimal comma (quoted), nothing for NaN or infinity', () => {
    expect(csvCell(12.5)).toBe('"12,5"');
    expect(csvCell(-0.25)).toBe('"-0,25"');
    expect(csvCell(1000000)).toBe('1000000');
    expect([Number.NaN, Number.POSITIVE_INFINITY].map(csvCell)).toEqual(['', '']);
    expect(csvLine(['Mediaan', 25.5, 4])).toBe('Mediaan;"25,5";4\r\n');
  });

  it('a document starts with the UTF-8 BOM, separates with ; and ends lines with CRLF', () => {
    const doc = csvDocument(['Naam', 'Plaats'], [['Zoë', "'s-Hertogenbosch"], ['A;B', null]]);
    expect(doc).toBe('\uFEFFNaam;Plaats\r\nZoë;\'s-Hertogenbosch\r\n"A;B";\r\n');
    expect(Buffer.from(doc, 'utf8').subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    expect(csvLine([1, true])).toBe('1;true\r\n');
  });
});
