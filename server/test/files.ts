// Test helper (not a test): small real files of each accepted type, built in memory.
import { crc32 } from 'node:zlib';
import { makePdf } from '../src/lib/demo-pdf.ts';

/** A zip with stored (uncompressed) entries, in the given order. */
function makeZip(entries: [name: string, content: string][]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const [name, content] of entries) {
    const nameBytes = Buffer.from(name);
    const data = Buffer.from(content);
    const crc = crc32(data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(nameBytes.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(data.length, 20);
    central.writeUInt32LE(data.length, 24);
    central.writeUInt16LE(nameBytes.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, nameBytes, data);
    centrals.push(central, nameBytes);
    offset += 30 + nameBytes.length + data.length;
  }
  const cd = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, end]);
}

const contentTypes = '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>';
const PNG_1x1 = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==';

/** One valid-looking file per accepted type, with the content type the server must decide on. */
export const sampleFiles: { name: string; bytes: Buffer; type: string }[] = [
  { name: 'verslag.pdf', bytes: Buffer.from(makePdf(['Verslag'])), type: 'application/pdf' },
  { name: 'foto.png', bytes: Buffer.from(PNG_1x1, 'base64'), type: 'image/png' },
  { name: 'foto.jpg', bytes: Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10]), Buffer.from('JFIF\0'), Buffer.alloc(64, 7), Buffer.from([0xff, 0xd9])]), type: 'image/jpeg' },
  {
    name: 'plan.docx',
    bytes: makeZip([['[Content_Types].xml', contentTypes], ['_rels/.rels', '<Relationships/>'], ['word/document.xml', '<w:document/>']]),
    type: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  },
  {
    name: 'cijfers.xlsx',
    bytes: makeZip([['[Content_Types].xml', contentTypes], ['xl/workbook.xml', '<workbook/>']]),
    type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  },
  {
    name: 'brief.odt',
    bytes: makeZip([['mimetype', 'application/vnd.oasis.opendocument.text'], ['content.xml', '<office:document-content/>']]),
    type: 'application/vnd.oasis.opendocument.text',
  },
  { name: 'notitie.txt', bytes: Buffer.from('Gesprek met ouders\r\n\tAfspraak: over twee weken — “evaluatie” ✓\n'), type: 'text/plain; charset=utf-8' },
];

/** Bytes that must be refused (415), whatever their name. */
export const refusedFiles: { name: string; bytes: Buffer }[] = [
  { name: 'factuur.pdf', bytes: Buffer.concat([Buffer.from('MZ\x90\x00\x03\x00\x00\x00\x04\x00', 'latin1'), Buffer.alloc(200, 0)]) }, // a Windows executable
  { name: 'rapport.pdf', bytes: Buffer.concat([Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0]), Buffer.alloc(100, 0)]) }, // an ELF executable
  { name: 'archief.docx', bytes: makeZip([['evil.exe', 'MZ'], ['readme.txt', 'hi']]) }, // a zip that is no office file
  { name: 'tekst.txt', bytes: Buffer.from('hallo\u0000wereld') }, // text with a NUL
  { name: 'latin1.txt', bytes: Buffer.from('caf\xe9', 'latin1') }, // not UTF-8
  { name: 'gif.png', bytes: Buffer.from('GIF89a\x01\x00\x01\x00\x00\x00\x00', 'latin1') },
];
