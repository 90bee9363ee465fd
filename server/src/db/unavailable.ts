import { AppError } from '../lib/errors.ts';

/** Seconds a client is told to wait (Retry-After) while the database is away or the server is full. */
export const RETRY_AFTER_SECONDS = 5;

// postgres.js connection states, Node socket errors, and PostgreSQL SQLSTATEs that mean
// "the database is not there right now" (not "your query is wrong").
const CONNECTION_CODES = new Set([
  'CONNECTION_CLOSED', 'CONNECTION_ENDED', 'CONNECTION_DESTROYED', 'CONNECT_TIMEOUT',
  'ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN',
  '57P01', // admin_shutdown (pg_terminate_backend, fast shutdown)
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now (starting up, shutting down)
  '53300', // too_many_connections
  '08000', '08001', '08003', '08004', '08006', '08007', // connection_exception class
]);

/**
 * True when `err` (or anything in its `cause` chain: drizzle wraps driver errors) says that the
 * database cannot be reached, as opposed to a query that failed on its own merits.
 */
export function isDatabaseUnavailable(err: unknown): boolean {
  for (let e = err, depth = 0; e && typeof e === 'object' && depth < 6; e = (e as { cause?: unknown }).cause, depth++) {
    const { code, message } = e as { code?: unknown; message?: unknown };
    if (typeof code === 'string' && CONNECTION_CODES.has(code)) return true;
    if (typeof message === 'string') {
      if (code === '55000' && /not currently accepting connections/.test(message)) return true;
      if (/^PGlite is closed/.test(message) || message === 'database closed') return true;
    }
  }
  return false;
}

/** The answer while the database is away: 503 problem+json with Retry-After. */
export function databaseUnavailable(): AppError {
  return new AppError('service_unavailable', 'The database does not answer right now; please try again in a few seconds.', {}, { 'Retry-After': String(RETRY_AFTER_SECONDS) });
}
