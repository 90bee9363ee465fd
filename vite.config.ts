import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { defineConfig, type Plugin } from 'vite';
import preact from '@preact/preset-vite';

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

// Toolbar icons: PNG files in extension/public/icons/ (drawn by scripts/draw-icons.mjs, checked
// in), copied into the build with the rest of extension/public.
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
        if (!existsSync(resolve(`extension/public/icons/icon-${size}.png`))) this.error(`extension/public/icons/icon-${size}.png is missing: npm run icons`);
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
