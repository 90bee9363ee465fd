import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { defineConfig, type Plugin } from 'vite';
import preact from '@preact/preset-vite';
import { deflateSync } from 'node:zlib';

// `npm run build` → a loadable unpacked extension in dist/extension/ (Chrome and Firefox).
// EXTENSION_SERVER_URL (default http://localhost:3000) is the server the build talks to and
// holds host permission for. EXTENSION_OUT_DIR moves the output (the e2e tests use it).
const serverUrl = (process.env.EXTENSION_SERVER_URL || 'http://localhost:3000').replace(/\/+$/, '');
serverOrigin(serverUrl); // fails early on a bad address
const outDir = resolve(process.env.EXTENSION_OUT_DIR || 'dist/extension');

function serverOrigin(serverUrl: string): string {
  const url = new URL(serverUrl);
  // The same rule as the options page (extension/src/lib/server-url.ts): https://, plain http:// only on this computer.
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && ['localhost', '127.0.0.1'].includes(url.hostname))) {
    throw new Error(`EXTENSION_SERVER_URL must be an https:// address (http:// only for localhost or 127.0.0.1), not ${serverUrl}`);
  }
  return url.origin;
}

function buildManifest(source: Record<string, unknown>, serverUrl: string): Record<string, unknown> {
  const icons = Object.fromEntries(ICON_SIZES.map((size) => [String(size), `icons/icon-${size}.png`]));
  const action = (source.action ?? {}) as Record<string, unknown>;
  return {
    ...source,
    host_permissions: [`${serverOrigin(serverUrl)}/*`],
    icons,
    action: { ...action, default_icon: icons },
  };
}

// Toolbar icons, drawn at build time (no image files in git): a green rounded square with
// a white person, the same figure as the popup header. Plain PNG via zlib.
const crcTable = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const b of bytes) c = crcTable[(c ^ b) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Uint8Array): Buffer {
  const out = Buffer.alloc(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  out.write(type, 4, 'ascii');
  Buffer.from(data).copy(out, 8);
  out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)), 8 + data.length);
  return out;
}

/** Coverage (0..1) of the figure at a point in the unit square: 1 = background square, 2 = person. */
function shade(x: number, y: number): 0 | 1 | 2 {
  const r = 0.2; // corner radius of the square
  const dx = Math.max(r - x, 0, x - (1 - r));
  const dy = Math.max(r - y, 0, y - (1 - r));
  if (dx * dx + dy * dy > r * r) return 0;
  const head = (x - 0.5) ** 2 + (y - 0.36) ** 2 < 0.15 ** 2;
  const body = y > 0.56 && y < 0.84 && ((x - 0.5) / 0.29) ** 2 + ((y - 0.84) / 0.28) ** 2 < 1;
  return head || body ? 2 : 1;
}

function drawIcon(size: number): Buffer {
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
      const n = samples * samples;
      const alpha = (bg + fg) / n;
      const white = alpha ? fg / (bg + fg) : 0;
      const at = y * (size * 4 + 1) + 1 + x * 4;
      for (let c = 0; c < 3; c++) raw[at + c] = Math.round(green[c]! * (1 - white) + 255 * white);
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

const ICON_SIZES = [16, 32, 48, 128] as const;

function extensionFiles(): Plugin {
  return {
    name: 'kindkans-extension-files',
    generateBundle() {
      const source = JSON.parse(readFileSync(resolve('manifest.json'), 'utf8')) as Record<string, unknown>;
      this.emitFile({
        type: 'asset',
        fileName: 'manifest.json',
        source: `${JSON.stringify(buildManifest(source, serverUrl), null, 2)}\n`,
      });
      for (const size of ICON_SIZES) {
        this.emitFile({ type: 'asset', fileName: `icons/icon-${size}.png`, source: drawIcon(size) });
      }
    },
  };
}

export default defineConfig({
  root: resolve('extension'),
  publicDir: resolve('extension/public'),
  base: './',
  plugins: [preact({ devToolsEnabled: false, prefreshEnabled: false }), extensionFiles()],
  define: { __KINDKANS_SERVER_URL__: JSON.stringify(serverUrl) },
  build: {
    outDir,
    emptyOutDir: true,
    target: ['chrome120', 'firefox128'],
    sourcemap: false,
    modulePreload: { polyfill: false },
    rolldownOptions: {
      input: {
        popup: resolve('extension/popup.html'),
        options: resolve('extension/options.html'),
        admin: resolve('extension/admin.html'),
        background: resolve('extension/src/background/index.ts'),
      },
      output: {
        entryFileNames: (chunk) => (chunk.name === 'background' ? 'background.js' : 'assets/[name]-[hash].js'),
        chunkFileNames: 'assets/[name]-[hash].js',
        assetFileNames: 'assets/[name]-[hash][extname]',
      },
    },
  },
});
