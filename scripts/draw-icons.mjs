// Draws the toolbar icons into extension/public/icons/ (checked in; the build copies them):
// a green rounded square with a white person, the same figure as the popup header.
// Run after changing the drawing: `npm run icons`. scripts/draw-icons.test.ts checks that the
// checked-in files are what this draws.
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { crc32, deflateSync } from 'node:zlib';

export const ICON_SIZES = [16, 32, 48, 128];
export const iconPath = (size) => fileURLToPath(new URL(`../extension/public/icons/icon-${size}.png`, import.meta.url));

function chunk(type, data) {
  const out = Buffer.alloc(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  out.write(type, 4, 'ascii');
  Buffer.from(data).copy(out, 8);
  out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)), 8 + data.length);
  return out;
}

/** What covers a point of the unit square: 0 nothing, 1 the green square, 2 the person. */
function shade(x, y) {
  const r = 0.2; // corner radius of the square
  const dx = Math.max(r - x, 0, x - (1 - r));
  const dy = Math.max(r - y, 0, y - (1 - r));
  if (dx * dx + dy * dy > r * r) return 0;
  const head = (x - 0.5) ** 2 + (y - 0.36) ** 2 < 0.15 ** 2;
  const body = y > 0.56 && y < 0.84 && ((x - 0.5) / 0.29) ** 2 + ((y - 0.84) / 0.28) ** 2 < 1;
  return head || body ? 2 : 1;
}

/** The icon as an RGBA PNG of `size` × `size` pixels (4 × 4 samples a pixel). */
export function drawIcon(size) {
  const green = [29, 107, 82];
  const raw = Buffer.alloc(size * (size * 4 + 1));
  const samples = 4;
  for (let y = 0; y < size; y++) {
    raw[y * (size * 4 + 1)] = 0; // filter: none
    for (let x = 0; x < size; x++) {
      let bg = 0;
      let fg = 0;
      for (let sy = 0; sy < samples; sy++) {
        for (let sx = 0; sx < samples; sx++) {
          const s = shade((x + (sx + 0.5) / samples) / size, (y + (sy + 0.5) / samples) / size);
          if (s === 1) bg++;
          if (s === 2) fg++;
        }
      }
      const alpha = (bg + fg) / (samples * samples);
      const white = alpha ? fg / (bg + fg) : 0;
      const at = y * (size * 4 + 1) + 1 + x * 4;
      for (let c = 0; c < 3; c++) raw[at + c] = Math.round(green[c] * (1 - white) + 255 * white);
      raw[at + 3] = Math.round(alpha * 255);
    }
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header[8] = 8; // bit depth
  header[9] = 6; // RGBA
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(raw)),
    chunk('IEND', new Uint8Array()),
  ]);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  for (const size of ICON_SIZES) {
    writeFileSync(iconPath(size), drawIcon(size));
    console.log(`extension/public/icons/icon-${size}.png`);
  }
}
