import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { drawIcon, ICON_SIZES, iconPath } from './draw-icons.mjs';

describe('toolbar icons', () => {
  it('are checked in exactly as scripts/draw-icons.mjs draws them (run `npm run icons` after changing it)', () => {
    for (const size of ICON_SIZES) {
      const png = readFileSync(iconPath(size));
      expect(png.subarray(1, 4).toString('ascii')).toBe('PNG');
      expect(png.readUInt32BE(16)).toBe(size); // IHDR width
      expect(Buffer.compare(png, drawIcon(size))).toBe(0);
    }
  });
});
