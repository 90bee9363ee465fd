// The extension takes only *types* from the server: every import of server code is
// `import type` (erased at build time), and no source file keeps its own copy of an API shape.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = resolve(__dirname, '../..');
const sources = (readdirSync(root, { recursive: true }) as string[])
  .filter((f) => /\.(ts|tsx)$/.test(f))
  .map((f) => join(root, f));

describe('server types in the extension', () => {
  it('imports server code only as types', () => {
    const found: string[] = [];
    for (const file of sources) {
      for (const m of readFileSync(file, 'utf8').matchAll(/^\s*(import|export)\b([^;]*?)from\s+['"]([^'"]*\/server\/[^'"]*)['"]/gm)) {
        found.push(`${relative(root, file)}: ${m[1]}${m[2]!.trim().startsWith('type') ? ' type' : ''} ${m[3]}`);
      }
    }
    expect(found).toEqual(['src/lib/server-routes.ts: import type ../../../server/src/app.ts']);
  });

  it('has no hand-written copy of the API types', () => {
    const copies = sources.filter((f) => /\binterface (User|Hulpvraag|Attachment|DossierSummary|LoginResponse|Problem)\b/.test(readFileSync(f, 'utf8')));
    expect(copies.map((f) => relative(root, f))).toEqual([]);
  });
});
