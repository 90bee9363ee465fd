import type { Database } from '../db/client.ts';
import type { Env } from '../env.ts';
import type { Mailer } from '../mail/types.ts';

export interface CliContext {
  database: Database;
  db: Database['db'];
  env: Env;
  mailer: Mailer;
  out(line: string): void;
}

export type CliOptions = Record<string, string | boolean | undefined>;

export interface CliCommand {
  usage: string;
  summary: string;
  /** Options this command reads (all take a value unless listed in `flags`). */
  options: string[];
  flags?: string[];
  run: (ctx: CliContext, options: CliOptions, positionals: string[]) => Promise<void>;
  /** Runs instead of `run` when the embedded database is in use by a running server (no database access). */
  whenDataDirLocked?: (ctx: Pick<CliContext, 'env' | 'out'>, options: CliOptions, positionals: string[]) => Promise<void>;
}

export class CliUsageError extends Error {
  override name = 'CliUsageError';
}

/** A required string option, or a usage error naming it. */
export function required(options: CliOptions, name: string): string {
  const value = options[name];
  if (typeof value !== 'string' || value.trim() === '') throw new CliUsageError(`--${name} is required`);
  return value.trim();
}
