import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EnvError, parseEnv } from './env.ts';
import { extensionIdFromKey } from './lib/extension-id.ts';
import manifest from '../../manifest.json' with { type: 'json' };

const dataDir = () => mkdtempSync(join(tmpdir(), 'kindkans-env-'));

describe('parseEnv', () => {
  it('applies the documented defaults', () => {
    const env = parseEnv({ DATA_DIR: dataDir() });
    expect(env).toMatchObject({ PORT: 3000, PUBLIC_URL: 'http://localhost:3000', MAIL_FROM: 'Kindkans <noreply@localhost>', SESSION_IDLE_MINUTES: 15, SESSION_MAX_HOURS: 8, UPLOAD_MAX_MB: 25 });
    expect(env.DATABASE_URL).toBeUndefined();
    expect(env.SMTP_URL).toBeUndefined();
  });

  it('allows the extension built from this repository by default, in Chromium and in Firefox', () => {
    const env = parseEnv({ DATA_DIR: dataDir() });
    expect(env.EXTENSION_ORIGINS).toEqual([`chrome-extension://${extensionIdFromKey(manifest.key)}`, 'moz-extension://*']);
    expect(env.EXTENSION_ORIGINS[0]).toBe('chrome-extension://cobgfedbohaccaonegfgdhhokclkacio');
  });

  it('generates APP_SECRET once into DATA_DIR outside production', () => {
    const dir = dataDir();
    const first = parseEnv({ DATA_DIR: dir });
    const second = parseEnv({ DATA_DIR: dir });
    expect(first.APP_SECRET).toMatch(/^[0-9a-f]{64}$/);
    expect(second.APP_SECRET).toBe(first.APP_SECRET);
    expect(readFileSync(join(dir, 'app-secret'), 'utf8').trim()).toBe(first.APP_SECRET);
  });

  it('requires APP_SECRET in production and does not write one', () => {
    const dir = dataDir();
    expect(() => parseEnv({ NODE_ENV: 'production', DATA_DIR: dir })).toThrow(/APP_SECRET: required when NODE_ENV=production/);
    expect(existsSync(join(dir, 'app-secret'))).toBe(false);
  });

  it.each([
    [{ PORT: 'eighty' }, 'PORT'],
    [{ PORT: '70000' }, 'PORT'],
    [{ DATABASE_URL: 'mysql://x' }, 'DATABASE_URL: must start with postgres://'],
    [{ PUBLIC_URL: 'not a url' }, 'PUBLIC_URL'],
    [{ SMTP_URL: 'mail.example.org' }, 'SMTP_URL: must look like smtp://'],
    [{ APP_SECRET: 'short' }, 'APP_SECRET: must be at least 32 characters'],
    [{ SESSION_IDLE_MINUTES: '-5' }, 'SESSION_IDLE_MINUTES'],
    [{ EXTENSION_ORIGINS: 'chrome-extension://abc,*' }, 'EXTENSION_ORIGINS'],
    [{ EXTENSION_ORIGINS: 'chrome-extension://*' }, 'EXTENSION_ORIGINS.0: expected an origin like chrome-extension://<id>, or moz-extension://*'],
    [{ EXTENSION_ORIGINS: 'https://*.example.org' }, 'EXTENSION_ORIGINS.0'],
    [{ EXTENSION_ORIGINS: 'moz-extension://*,moz-extension://ab*' }, 'EXTENSION_ORIGINS.1'],
    [{ NODE_ENV: 'staging' }, 'NODE_ENV'],
  ])('names the variable in one clear message: %o', (vars, expected) => {
    let error: unknown;
    try {
      parseEnv({ DATA_DIR: dataDir(), ...vars });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(EnvError);
    expect((error as Error).message).toMatch(/^Invalid configuration:\n/);
    expect((error as Error).message).toContain(expected);
  });

  it('reads a comma-separated origin list', () => {
    const env = parseEnv({ DATA_DIR: dataDir(), EXTENSION_ORIGINS: 'chrome-extension://aaa, moz-extension://0f1e-22' });
    expect(env.EXTENSION_ORIGINS).toEqual(['chrome-extension://aaa', 'moz-extension://0f1e-22']);
  });

  it('takes the Firefox pattern beside exact origins, and a list without it allows no other Firefox install', () => {
    expect(parseEnv({ DATA_DIR: dataDir(), EXTENSION_ORIGINS: 'chrome-extension://aaa,moz-extension://*' }).EXTENSION_ORIGINS)
      .toEqual(['chrome-extension://aaa', 'moz-extension://*']);
    expect(parseEnv({ DATA_DIR: dataDir(), EXTENSION_ORIGINS: 'chrome-extension://aaa' }).EXTENSION_ORIGINS).toEqual(['chrome-extension://aaa']);
  });
});
