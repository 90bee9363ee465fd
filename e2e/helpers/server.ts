// Starts the real Kindkans server (PGlite in a fresh temp dir) with a local SMTP server, and
// makes an admin through the operator CLI, as a partnership would on day one.
import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync, createWriteStream, type WriteStream } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { startSmtp } from './smtp';
import { Phone } from './totp';

const run = promisify(execFile);
const TSX = resolve('node_modules/.bin/tsx');
export const ARTIFACTS = resolve('e2e/artifacts');

export interface ServerOptions {
  port: number;
  idleMinutes?: number;
  name: string;
}

export async function startKindkans({ port, idleMinutes, name }: ServerOptions) {
  mkdirSync(ARTIFACTS, { recursive: true });
  const smtp = await startSmtp();
  const dataDir = mkdtempSync(join(tmpdir(), 'kindkans-e2e-'));
  const url = `http://127.0.0.1:${port}`;
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: 'development',
    PORT: String(port),
    DATA_DIR: dataDir,
    SMTP_URL: `smtp://127.0.0.1:${smtp.port}`,
    PUBLIC_URL: url,
    ...(idleMinutes ? { SESSION_IDLE_MINUTES: String(idleMinutes) } : {}),
  };
  const log = createWriteStream(join(ARTIFACTS, `server-${name}.log`));

  // The server seeds the demo organisation on its first start; the embedded database belongs
  // to one process at a time, so: start once, stop, invite the admin with the CLI, start again.
  let child = await startServer(env, log, url);
  await stopServer(child);
  const invite = await run(TSX, ['server/src/cli.ts', 'user:invite', '--org', 'PO2507', '--role', 'admin',
    '--email', 'a@example.org', '--name', 'Beheer'], { env, timeout: 60_000 });
  log.write(`$ user:invite\n${invite.stdout}${invite.stderr}\n`);
  const printed = /\/activate\/([A-Za-z0-9_-]{16,})/.exec(invite.stdout + invite.stderr)?.[1];
  child = await startServer(env, log, url);

  return {
    url,
    smtp,
    dataDir,
    api: apiClient(url),
    /** The admin's activation token: printed by the CLI, or else mailed. */
    adminActivationToken: async () => printed ?? smtp.activationToken('a@example.org'),
    async stop() {
      await stopServer(child);
      await smtp.close();
      log.end();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

async function startServer(env: NodeJS.ProcessEnv, log: WriteStream, url: string): Promise<ChildProcess> {
  const child = spawn(TSX, ['server/src/main.ts'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout.pipe(log, { end: false });
  child.stderr.pipe(log, { end: false });
  await waitForHealth(url, child);
  return child;
}

async function stopServer(child: ChildProcess) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  await new Promise((done) => {
    const timer = setTimeout(() => { child.kill('SIGKILL'); done(null); }, 10_000);
    child.once('exit', () => { clearTimeout(timer); done(null); });
  });
}

async function waitForHealth(url: string, child: ChildProcess) {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}; see e2e/artifacts`);
    try {
      const response = await fetch(`${url}/health`);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error('server did not become healthy within 60 s');
}

export type Api = ReturnType<typeof apiClient>;

/** A bare client for the test's own calls (as an admin, or to fetch bytes to compare). */
function apiClient(base: string) {
  async function call<T>(method: string, path: string, body?: unknown, token?: string): Promise<T> {
    const response = await fetch(`${base}/api/v1${path}`, {
      method,
      headers: {
        ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
        ...(token ? { Authorization: `Bearer ${token}` } : {}),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!response.ok) throw new Error(`${method} ${path} → ${response.status} ${await response.text()}`);
    return (response.status === 204 ? undefined : await response.json()) as T;
  }
  return {
    call,
    async bytes(path: string, token: string) {
      const response = await fetch(`${base}/api/v1${path}`, { headers: { Authorization: `Bearer ${token}` } });
      if (!response.ok) throw new Error(`GET ${path} → ${response.status}`);
      return Buffer.from(await response.arrayBuffer());
    },
    status: async (method: string, path: string, token?: string) =>
      (await fetch(`${base}/api/v1${path}`, { method, headers: token ? { Authorization: `Bearer ${token}` } : {} })).status,
  };
}

interface ActivationInfo {
  username: string;
  organisation: { code: string; name: string };
  totp: { secret: string; secretGrouped: string };
}

/** Activates an invited account through the API and logs it in; returns its token. */
export async function activateAndLogin(api: Api, token: string, password: string) {
  const info = await api.call<ActivationInfo>('GET', `/activation/${token}`);
  const phone = new Phone(info.totp.secret);
  await api.call('POST', `/activation/${token}`, { password, code: await phone.nextCode() });
  const login = await api.call<{ token: string }>('POST', '/auth/login', {
    organisation: info.organisation.code, username: info.username, password, code: await phone.nextCode(),
  });
  return { token: login.token, username: info.username, phone };
}
