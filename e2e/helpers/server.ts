// Starts the real Kindkans server (PGlite in a fresh temp dir) with a local SMTP server. Its
// first start seeds the demo organisation PO2507 with a demo admin and a demo parent and prints
// their passwords and TOTP keys once: the specs read them there instead of making accounts.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync, createWriteStream, type WriteStream } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createScratchDatabase } from '../../bench/lib/scratch-database';
import { startSmtp } from './smtp';
import { Phone } from './totp';

const TSX = resolve('node_modules/.bin/tsx');
export const ARTIFACTS = resolve('e2e/artifacts');

export interface ServerOptions {
  port: number;
  idleMinutes?: number;
  name: string;
}

/** An account that can log in: its name, password and the phone with its authenticator. */
export interface Account {
  username: string;
  password: string;
  displayName: string;
  phone: Phone;
}

export async function startKindkans({ port, idleMinutes, name }: ServerOptions) {
  mkdirSync(ARTIFACTS, { recursive: true });
  const smtp = await startSmtp();
  const dataDir = mkdtempSync(join(tmpdir(), 'kindkans-e2e-'));
  // On PostgreSQL (DATABASE_URL) each server gets an empty database of its own, as on PGlite:
  // the demo organisation is seeded only into an empty database, and spec files run side by side.
  const scratch = process.env.DATABASE_URL ? await createScratchDatabase(process.env.DATABASE_URL, 'kk_e2e') : null;
  const url = `http://127.0.0.1:${port}`;
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    ...(scratch ? { DATABASE_URL: scratch.url } : {}),
    NODE_ENV: 'development',
    PORT: String(port),
    DATA_DIR: dataDir,
    SMTP_URL: `smtp://127.0.0.1:${smtp.port}`,
    PUBLIC_URL: url,
    ...(idleMinutes ? { SESSION_IDLE_MINUTES: String(idleMinutes) } : {}),
  };
  const log = createWriteStream(join(ARTIFACTS, `server-${name}.log`));
  const { child, output } = await startServer(env, log, url);
  const demo = { admin: await demoAccount(output, 'beheerder', 'Demo Beheerder'), parent: await demoAccount(output, 'ouder', 'Demo Ouder') };

  return {
    url,
    smtp,
    dataDir,
    api: apiClient(url),
    /** The demo admin (d.beheerder) and the demo parent (d.ouder, guardian of Sam de Vries). */
    demo,
    async stop() {
      await stopServer(child);
      await scratch?.drop();
      await smtp.close();
      log.end();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export type Kindkans = Awaited<ReturnType<typeof startKindkans>>;

/** Reads a demo login from the first start's output: `beheerder  naam … wachtwoord … TOTP-sleutel …`. */
async function demoAccount(output: () => string, label: 'beheerder' | 'ouder', displayName: string): Promise<Account> {
  const pattern = new RegExp(`${label}\\s+naam (\\S+)\\s+wachtwoord (\\S+)\\s+TOTP-sleutel ((?:[a-z2-7]{4} ?)+)`, 'i');
  const deadline = Date.now() + 10_000;
  for (;;) {
    const found = pattern.exec(output());
    if (found) return { username: found[1]!, password: found[2]!, displayName, phone: new Phone(found[3]!.replace(/\s+/g, '').toUpperCase()) };
    if (Date.now() > deadline) throw new Error(`the server printed no demo ${label}; see e2e/artifacts`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function startServer(env: NodeJS.ProcessEnv, log: WriteStream, url: string): Promise<{ child: ChildProcess; output: () => string }> {
  // The specs log in as the demo accounts: `--demo` seeds them on PostgreSQL too (PGlite's default).
  const child = spawn(TSX, ['server/src/main.ts', '--demo'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  child.stdout.on('data', (chunk: Buffer) => { stdout += chunk.toString(); });
  child.stdout.pipe(log, { end: false });
  child.stderr.pipe(log, { end: false });
  await waitForHealth(url, child);
  return { child, output: () => stdout };
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
  const deadline = Date.now() + 180_000; // a start takes over a minute on a loaded 2-core machine
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
  throw new Error('server did not become healthy within 180 s');
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

/** Activates an invited account through the API (as the page behind the e-mail link would). */
export async function activate(api: Api, token: string, password: string, displayName: string): Promise<Account> {
  const info = await api.call<ActivationInfo>('GET', `/activation/${token}`);
  const phone = new Phone(info.totp.secret);
  await api.call('POST', `/activation/${token}`, { password, code: await phone.nextCode() });
  return { username: info.username, password, displayName, phone };
}

/** Logs an account in through the API; returns its session token. */
export async function login(api: Api, account: Account): Promise<string> {
  const answer = await api.call<{ token: string }>('POST', '/auth/login', {
    organisation: 'PO2507', username: account.username, password: account.password, code: await account.phone.nextCode(),
  });
  return answer.token;
}

/** Activates an invited account through the API and logs it in: its token, name, password and phone. */
export async function activateAndLogin(api: Api, token: string, password: string) {
  const account = await activate(api, token, password, '');
  return { ...account, token: await login(api, account) };
}
