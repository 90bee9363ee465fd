import type { Context } from 'hono';
import type { Database, Db } from './db/client.ts';
import type { Env } from './env.ts';
import type { BackgroundWork } from './lib/background.ts';
import type { Clock } from './lib/clock.ts';
import type { Logger } from './lib/logger.ts';
import type { Mailer } from './mail/types.ts';
import type { AdmissionStats } from './middleware/admission.ts';
import type { AttachmentCache } from './features/attachments/cache.ts';
import type { Role } from './db/schema/users.ts';

/** What every handler can reach through `c.var.deps`. */
export interface AppDeps {
  db: Db;
  database?: Database;
  env: Env;
  mailer: Mailer;
  clock: Clock;
  logger: Logger;
  /** Work still running after its answer was sent. */
  background: BackgroundWork;
  /** This process's disk cache of attachment bytes (features/attachments/cache.ts; ATTACHMENT_CACHE_MB). */
  attachmentCache?: AttachmentCache;
  /** Requests running, waiting and refused by the admission gate (set by createApp). */
  admission?: AdmissionStats;
}

/** A signed-in person, as the API's `user` plus what the rules need (authz/ wraps it in a principal). */
export interface AuthUser {
  id: string;
  username: string;
  displayName: string;
  email: string;
  role: Role;
  organisationId: string;
  organisation: { code: string; name: string };
}

export interface AuthSession {
  id: string;
  createdAt: Date;
  lastSeenAt: Date;
  expiresAt: Date;
  idleExpiresAt: Date;
}

export interface AppEnv {
  Variables: {
    deps: AppDeps;
    requestId: string;
    clientIp: string;
    userAgent: string;
  };
}

/** The app's dependencies from a context whose env is generic (`Context<E extends AppEnv>`), typed. */
export const depsOf = <E extends AppEnv>(c: Context<E>): AppDeps => (c as unknown as Context<AppEnv>).get('deps');
