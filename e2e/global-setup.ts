// Builds the extension once for the e2e run, pointed at the port the specs' server will use.
import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';
import type { TestProject } from 'vitest/node';
import { freePort } from './helpers/ports';

declare module 'vitest' {
  export interface ProvidedContext {
    serverPort: number;
    extensionDir: string;
  }
}

export default async function setup(project: TestProject) {
  const serverPort = await freePort();
  const extensionDir = resolve('dist/e2e-extension');
  execFileSync(resolve('node_modules/.bin/vite'), ['build', '--logLevel', 'warn'], {
    stdio: 'inherit',
    env: {
      ...process.env,
      EXTENSION_SERVER_URL: `http://127.0.0.1:${serverPort}`,
      EXTENSION_OUT_DIR: extensionDir,
      VITE_CONFIG_NATIVE_IGNORE_WARNING: 'true',
    },
  });
  project.provide('serverPort', serverPort);
  project.provide('extensionDir', extensionDir);
}
