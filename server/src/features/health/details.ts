import type { z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import type { AppEnv } from '../../app-env.ts';
import { can, sessionPrincipal } from '../../authz/index.ts';
import { processStats } from '../../lib/process-stats.ts';
import { outboxState } from '../../mail/outbox.ts';
import { sessionPolicy, validateSessionToken } from '../auth/session.ts';
import { HealthDetails } from './schemas.ts';

const BEARER = /^Bearer ([A-Za-z0-9_-]{20,128})$/;


/**
 * The operator's view, for a signed-in admin only (anyone else, signed in or not, gets the
 * public `{ status }`): the outbox of the admin's own organisation, this process, the gate.
 */
export async function adminHealthDetails(c: Context<AppEnv>, pingMs: number): Promise<z.infer<typeof HealthDetails> | null> {
  const match = BEARER.exec(c.req.header('authorization') ?? '');
  if (!match) return null;
  const { db, database, clock, env, admission } = c.var.deps;
  const found = await validateSessionToken(db, match[1]!, clock.now(), sessionPolicy(env));
  if (!found || !can(sessionPrincipal(found.user, found.session), 'health.details')) return null;
  return {
    database: { kind: database?.kind ?? null, pingMs: Math.round(pingMs * 10) / 10 },
    outbox: await outboxState(db, found.user.organisationId),
    process: processStats(),
    requests: admission ? { ...admission } : null,
  };
}
