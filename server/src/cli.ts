import { parseArgs } from 'node:util';
import { DataDirLockedError, openDatabase, type Database } from './db/client.ts';
import { migrateDatabase } from './db/migrate.ts';
import { EnvError, parseEnv } from './env.ts';
import { AppError } from './lib/errors.ts';
import { createLogger } from './lib/logger.ts';
import { createMailer } from './mail/mailer.ts';
import { CliUsageError, type CliCommand, type CliOptions } from './cli/context.ts';
import { orgCommands } from './cli/org-commands.ts';
import { userCommands } from './cli/user-commands.ts';
import { sleepingCommands } from './cli/sleeping-commands.ts';

/** How long the CLI waits for the SMTP server before leaving a mail queued in the outbox. */
export const CLI_SMTP_TIMEOUT_MS = 5_000;

export const commands: Record<string, CliCommand> = { ...orgCommands, ...userCommands, ...sleepingCommands };

export interface CliIo {
  out: (line: string) => void;
  err: (line: string) => void;
  /** Use this database instead of opening one from the environment (tests). */
  database?: Database;
  envSource?: Record<string, string | undefined>;
}

function usage(): string {
  const rows = Object.values(commands).map((c) => `  ${c.usage}\n      ${c.summary}`);
  return `Usage: npm run cli -- <command> [options]\n\nCommands:\n${rows.join('\n')}`;
}

/** Runs one CLI command; returns the exit code (0 ok, 1 failed, 2 usage). */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  const [name, ...rest] = argv;
  const command = name ? commands[name] : undefined;
  if (!command) {
    if (name && name !== 'help' && name !== '--help') io.err(`Unknown command "${name}".\n`);
    io.err(usage());
    return name && name !== 'help' && name !== '--help' ? 2 : 0;
  }
  let parsed: { values: unknown; positionals: string[] };
  try {
    parsed = parseArgs({
      args: rest,
      allowPositionals: true,
      strict: true,
      options: Object.fromEntries<{ type: 'string' | 'boolean' }>([
        ...command.options.map((o) => [o, { type: 'string' }] as const),
        ...(command.flags ?? []).map((o) => [o, { type: 'boolean' }] as const),
      ]),
    });
  } catch (err) {
    io.err(`${(err as Error).message}\nUsage: npm run cli -- ${command.usage}`);
    return 2;
  }

  let database = io.database;
  try {
    const env = parseEnv(io.envSource ?? process.env);
    const owned = !database;
    try {
      database ??= await openDatabase(env);
    } catch (err) {
      // The embedded database belongs to a running server: some commands can still answer.
      if (!(err instanceof DataDirLockedError && command.whenDataDirLocked)) throw err;
      await command.whenDataDirLocked({ env, out: io.out }, parsed.values as CliOptions, parsed.positionals);
      return 0;
    }
    try {
      if (owned) await migrateDatabase(database);
      // One short try at the SMTP server: the mail is in the outbox already, and the server retries it.
      const mailer = createMailer({ db: database.db, env, logger: createLogger(env.LOG_LEVEL), smtpTimeoutMs: CLI_SMTP_TIMEOUT_MS });
      await command.run({ database, db: database.db, env, mailer, out: io.out }, parsed.values as CliOptions, parsed.positionals);
      await mailer.close();
    } finally {
      if (owned) await database.close();
    }
    return 0;
  } catch (err) {
    if (err instanceof CliUsageError) {
      io.err(`${err.message}\nUsage: npm run cli -- ${command.usage}`);
      return 2;
    }
    if (err instanceof AppError || err instanceof EnvError || err instanceof DataDirLockedError) {
      io.err(`Error: ${err.message}`);
      return 1;
    }
    io.err(`Error: ${(err as Error).stack ?? String(err)}`);
    return 1;
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const code = await runCli(process.argv.slice(2), { out: (l) => console.log(l), err: (l) => console.error(l) });
  process.exit(code);
}
