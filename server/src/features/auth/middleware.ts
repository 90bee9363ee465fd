import { createMiddleware } from 'hono/factory';
import type { AppEnv } from '../../app-env.ts';
import type { Role } from '../../db/schema/users.ts';
import { AppError } from '../../lib/errors.ts';
import { sessionPolicy, validateSessionToken } from './session.ts';

const BEARER = /^Bearer ([A-Za-z0-9_-]{20,128})$/;

/** Requires `Authorization: Bearer <token>` of a live session; sets `user` and `session`. */
export const requireAuth = createMiddleware<AppEnv>(async (c, next) => {
  const match = BEARER.exec(c.req.header('authorization') ?? '');
  const { db, clock, env } = c.var.deps;
  const result = match ? await validateSessionToken(db, match[1]!, clock.now(), sessionPolicy(env)) : null;
  if (!result) {
    throw new AppError('unauthorized', 'Sign in again: the session is missing, has ended or has expired.', {}, {
      'WWW-Authenticate': 'Bearer realm="kindkans"',
    });
  }
  c.set('user', result.user);
  c.set('session', result.session);
  await next();
});

/** After `requireAuth`: only these roles pass; everyone else gets 403 forbidden. */
function requireRole(...roles: Role[]) {
  return createMiddleware<AppEnv>(async (c, next) => {
    if (!roles.includes(c.var.user.role)) throw new AppError('forbidden', 'Your role may not do this.');
    await next();
  });
}

export const requireStaff = requireRole('school', 'coordinator', 'admin');
