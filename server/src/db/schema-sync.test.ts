import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '../../..');

describe.runIf(!process.env.DATABASE_URL)('drizzle/ migrations', () => {
  it('match the schema: generating again would produce nothing new', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kindkans-drizzle-'));
    cpSync(join(root, 'drizzle'), join(dir, 'drizzle'), { recursive: true });
    const config = join(dir, 'drizzle.config.mjs');
    writeFileSync(config, `export default ${JSON.stringify({ dialect: 'postgresql', schema: join(root, 'server/src/db/schema/index.ts'), out: './drizzle', strict: true })};\n`);
    const output = execFileSync(process.execPath, [join(root, 'node_modules/drizzle-kit/bin.cjs'), 'generate', '--config', config], { cwd: dir, encoding: 'utf8' });
    expect(readdirSync(join(dir, 'drizzle')).sort()).toEqual(readdirSync(join(root, 'drizzle')).sort());
    expect(output).toMatch(/No schema changes/);
  }, 60_000);
});
