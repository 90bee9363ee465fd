import { createRoute, z } from '@hono/zod-openapi';
import { and, desc, eq } from 'drizzle-orm';
import { sessions } from '../../db/schema/index.ts';
import { AppError } from '../../lib/errors.ts';
import { createRouter } from '../../lib/router.ts';
import { authResponses, bearerSecurity, IdParam, isUuid, json, jsonBody, problem, bodyResponses } from '../../lib/openapi.ts';
import { auditContext, recordAudit } from '../audit/service.ts';
import { loginUser, publicUser } from './login.ts';
import { authenticate, authorize } from '../../authz/index.ts';
import { LoginAnswer, LoginBody, SessionAnswer, SessionItem } from './schemas.ts';
import { invalidateSession, sessionPolicy } from './session.ts';
import { countLoginFailure, loginFailureLimit } from './throttle.ts';

const GENERIC = 'Aanmelden is niet gelukt. Controleer organisatie, naam, wachtwoord en code. / Login failed: check organisation, name, password and code.';

export const authRoutes = createRouter()
  .openapi(
    createRoute({
      method: 'post',
      path: '/auth/login',
      tags: ['Public'],
      operationId: 'login',
      security: [],
      summary: 'Log in with organisation, username, password and a TOTP code',
      request: { body: jsonBody(LoginBody) },
      responses: { ...bodyResponses,
        200: json(LoginAnswer, 'A new session'),
        400: problem('Malformed request'),
        401: problem('invalid_credentials: one answer for every kind of wrong or locked'),
        429: problem('too_many_attempts: too many failed logins from this address (see Retry-After)'),
      },
    }),
    async (c) => {
      const { db, env, clock, mailer } = c.var.deps;
      const policy = sessionPolicy(env);
      // The per-address limit is read in the account lookup's statement, and refuses before any password check.
      const result = await loginUser(db, { appSecret: env.APP_SECRET, policy, now: clock.now(), audit: auditContext(c), addressLimit: loginFailureLimit(c) }, c.req.valid('json'));
      if (!result.ok) {
        await countLoginFailure(c);
        if (result.lockedNow) mailer.kick();
        throw new AppError('invalid_credentials', GENERIC);
      }
      return c.json({ token: result.token, expiresAt: result.session.expiresAt.toISOString(), idleTimeoutSeconds: Math.round(policy.idleMinutes * 60), user: publicUser(result.user) }, 200);
    },
  )
  .openapi(
    createRoute({
      method: 'get',
      path: '/auth/session',
      tags: ['Session'],
      security: bearerSecurity,
      middleware: [authenticate({ sessionOnly: true }), authorize('session.manage')] as const,
      operationId: 'getSession',
      summary: 'The current session (counts as activity)',
      responses: { 200: json(SessionAnswer, 'The session'), ...authResponses },
    }),
    (c) => c.json({ user: publicUser(c.var.principal.user), expiresAt: c.var.principal.session.expiresAt.toISOString(), idleExpiresAt: c.var.principal.session.idleExpiresAt.toISOString() }, 200),
  )
  .openapi(
    createRoute({
      method: 'post',
      path: '/auth/logout',
      tags: ['Session'],
      security: bearerSecurity,
      middleware: [authenticate({ sessionOnly: true }), authorize('session.manage')] as const,
      operationId: 'logout',
      summary: 'End this session; the token is dead from then on',
      responses: { 204: { description: 'Logged out' }, ...authResponses },
    }),
    async (c) => {
      await invalidateSession(c.var.deps.db, c.var.principal.session.id);
      await recordAudit(c.var.deps.db, { ...auditContext(c), action: 'auth.logout', outcome: 'success', subjectType: 'session', subjectId: c.var.principal.session.id });
      return c.body(null, 204);
    },
  )
  .openapi(
    createRoute({
      method: 'get',
      path: '/auth/sessions',
      tags: ['Session'],
      security: bearerSecurity,
      middleware: [authenticate({ sessionOnly: true }), authorize('session.manage')] as const,
      operationId: 'listSessions',
      summary: 'My sessions (this one marked current)',
      responses: { 200: json(z.array(SessionItem), 'Live sessions, newest first'), ...authResponses },
    }),
    async (c) => {
      const rows = await c.var.deps.db.select().from(sessions).where(eq(sessions.userId, c.var.principal.user.id)).orderBy(desc(sessions.createdAt));
      const now = c.var.deps.clock.now();
      const policy = sessionPolicy(c.var.deps.env);
      const live = rows.filter((s) => s.expiresAt > now && s.lastSeenAt.getTime() + policy.idleMinutes * 60_000 > now.getTime());
      return c.json(live.map((s) => ({ id: s.id, createdAt: s.createdAt.toISOString(), lastSeenAt: s.lastSeenAt.toISOString(), userAgent: s.userAgent, current: s.id === c.var.principal.session.id })), 200);
    },
  )
  .openapi(
    createRoute({
      method: 'delete',
      path: '/auth/sessions/{id}',
      tags: ['Session'],
      security: bearerSecurity,
      middleware: [authenticate({ sessionOnly: true }), authorize('session.manage')] as const,
      operationId: 'endSession',
      summary: 'End one of my other sessions',
      request: { params: IdParam },
      responses: { 204: { description: 'Ended' }, 404: problem('Not one of my sessions'), ...authResponses },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      if (!isUuid(id)) throw new AppError('not_found', 'Session not found.');
      const ended = await c.var.deps.db.delete(sessions).where(and(eq(sessions.id, id), eq(sessions.userId, c.var.principal.user.id))).returning({ id: sessions.id });
      if (ended.length === 0) throw new AppError('not_found', 'Session not found.');
      await recordAudit(c.var.deps.db, { ...auditContext(c), action: 'auth.session_end', outcome: 'success', subjectType: 'session', subjectId: id });
      return c.body(null, 204);
    },
  );
