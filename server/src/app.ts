import { HTTPException } from 'hono/http-exception';
import type { Context } from 'hono';
import type { AppDeps, AppEnv } from './app-env.ts';
import { docsRoutes } from './features/docs/routes.ts';
import { healthRoutes } from './features/health/routes.ts';
import { organisationRoutes } from './features/organisations/routes.ts';
import { accessLogRoutes } from './features/access-log/routes.ts';
import { auditLogRoutes } from './features/audit-log/routes.ts';
import { rightsRoutes } from './features/rights/routes.ts';
import { apiTokenRoutes } from './features/api-tokens/routes.ts';
import { attachmentRoutes } from './features/attachments/routes.ts';
import { isStreamedUpload } from './features/attachments/streamed-upload.ts';
import { dossierRoutes } from './features/dossiers/routes.ts';
import { aanpakRoutes, overlegRoutes, tlvRoutes } from './features/dossier-entries/routes.ts';
import { noteRoutes } from './features/notes/routes.ts';
import { anonymiseRoutes } from './features/anonymise/routes.ts';
import { entryExtraRoutes } from './features/dossier-entries/extra-routes.ts';
import { hulpvraagRoutes } from './features/hulpvragen/routes.ts';
import { newsRoutes } from './features/news/routes.ts';
import { schoolRoutes } from './features/schools/routes.ts';
import { kengetallenRoutes } from './features/kengetallen/routes.ts';
import { statusRoutes } from './features/statuses/routes.ts';
import { automationRoutes } from './features/automation/routes.ts';
import { mailTemplateRoutes } from './features/mail-templates/routes.ts';
import { accountRoutes } from './features/account/routes.ts';
import { activationPages } from './features/activation/pages.ts';
import { activationRoutes } from './features/activation/routes.ts';
import { authRoutes } from './features/auth/routes.ts';
import { passwordResetPages } from './features/password-reset/pages.ts';
import { passwordResetRoutes } from './features/password-reset/routes.ts';
import { userRoutes } from './features/users/routes.ts';
import { sleepingRoutes } from './features/sleeping/routes.ts';
import { createAttachmentCache } from './features/attachments/cache.ts';
import { createBackgroundWork } from './lib/background.ts';
import { databaseUnavailable, isDatabaseUnavailable } from './db/unavailable.ts';
import { AppError, toProblem, type ErrorCode } from './lib/errors.ts';
import { silentLogger } from './lib/logger.ts';
import { redactTokens } from './lib/redact.ts';
import { systemClock } from './lib/clock.ts';
import { problem } from './lib/openapi.ts';
import { createRouter } from './lib/router.ts';
import { admission } from './middleware/admission.ts';
import { edge } from './middleware/edge.ts';
import { gate } from './middleware/gate.ts';

export type CreateAppOptions = Omit<AppDeps, 'clock' | 'logger' | 'background'> & Partial<Pick<AppDeps, 'clock' | 'logger' | 'background'>>;

/** JSON bodies are small; uploads stream with their own limit (UPLOAD_MAX_MB). */
export const JSON_BODY_LIMIT = 1024 * 1024;

/** The document's head: `servers` is this installation's PUBLIC_URL, so generated clients know where to call. */
const openApiConfig = (publicUrl: string) => ({
  openapi: '3.1.0',
  info: {
    title: 'Kindkans',
    version: '1.0.0',
    description: 'The dossier of a child in special-needs education, for parents, schools and the partnership.',
    // The project has no open licence (package.json is private): say so, in SPDX terms.
    license: { name: 'Proprietary', identifier: 'LicenseRef-Proprietary' },
  },
  servers: [{ url: publicUrl, description: 'This Kindkans server' }],
  tags: [
    { name: 'Public', description: 'No authentication: login, activation and reset links, health' },
    { name: 'Session', description: "A person's own session and account (sessions only, never API tokens)" },
    { name: 'Dossiers', description: 'Dossiers, news and the access log, limited to what the caller may see' },
    { name: 'Hulpvragen', description: "A dossier's help requests" },
    { name: 'Attachments', description: 'Bijlagen: metadata, download and upload' },
    { name: 'Staff', description: 'Schools and accounts (school staff, coordinators, admins; API tokens with users:* scopes)' },
    { name: 'Kengetallen', description: "The organisation's figures and their CSV (coordinators, admins; API tokens with dossiers:read)" },
    { name: 'Audit', description: 'The audit log and who may see what (admins; API tokens with audit:read)' },
    { name: 'API tokens', description: "An organisation's tokens for integrations (admins with a session only)" },
    { name: 'News', description: 'News for parents: published items, and writing, publishing and withdrawing them (admins)' },
    { name: 'Dossier tabs', description: "A dossier's Aanpak, TLV and Overlegronden, and staff's own notes (Mijn notities)" },
    { name: 'Workflow', description: 'Hulpvraag statuses, mail templates and automation rules (admins)' },
  ],
});

/** The whole HTTP application. Everything it needs comes in: the database, env, mailer and clock. */
export function createApp(options: CreateAppOptions) {
  const deps: AppDeps = {
    clock: systemClock, logger: silentLogger, background: createBackgroundWork(),
    attachmentCache: createAttachmentCache(options.env.ATTACHMENT_CACHE_MB * 1024 * 1024), ...options,
  };
  const app = createRouter();

  // Two middlewares on every request (issue 12: one per concern cost a closure, a promise and a
  // `next()` each): `edge` sets the context and, on every answer (error answers too), the CORS and
  // security headers, the request id, the access log line and the drain of an unread body;
  // `gate`, inside it, refuses early: the JSON body limit, the admission gate, the database breaker.
  app.use('*', edge(deps, {
    trustProxy: deps.env.TRUST_PROXY, hsts: deps.env.PUBLIC_URL.startsWith('https://'), origins: deps.env.EXTENSION_ORIGINS,
    drainBytes: JSON_BODY_LIMIT, drainMs: 2_000,
  }));
  const admitted = admission({ maxInFlight: deps.env.MAX_CONCURRENT_REQUESTS, maxWaitMs: deps.env.QUEUE_TIMEOUT_MS });
  deps.admission = admitted.stats;
  app.use('*', gate(deps, { maxBodyBytes: JSON_BODY_LIMIT, admission: admitted, isStreamedUpload }));

  app.openAPIRegistry.registerComponent('securitySchemes', 'bearer', { type: 'http', scheme: 'bearer', description: 'A session token from POST /api/v1/auth/login, or an API token (`kk_…`) with the scopes the operation needs' });

  const routes = app
    .route('/', healthRoutes)
    .route('/api/v1', organisationRoutes)
    .route('/api/v1', newsRoutes)
    .route('/api/v1', schoolRoutes)
    .route('/api/v1', dossierRoutes)
    .route('/api/v1', hulpvraagRoutes)
    .route('/api/v1', attachmentRoutes)
    .route('/api/v1', aanpakRoutes)
    .route('/api/v1', tlvRoutes)
    .route('/api/v1', overlegRoutes)
    .route('/api/v1', noteRoutes)
    .route('/api/v1', anonymiseRoutes)
    .route('/api/v1', entryExtraRoutes)
    .route('/api/v1', statusRoutes)
    .route('/api/v1', automationRoutes)
    .route('/api/v1', mailTemplateRoutes)
    .route('/api/v1', accessLogRoutes)
    .route('/api/v1', kengetallenRoutes)
    .route('/api/v1', auditLogRoutes)
    .route('/api/v1', rightsRoutes)
    .route('/api/v1', authRoutes)
    .route('/api/v1', passwordResetRoutes)
    .route('/api/v1', activationRoutes)
    .route('/api/v1', accountRoutes)
    .route('/api/v1', userRoutes)
    .route('/api/v1', sleepingRoutes)
    .route('/api/v1', apiTokenRoutes)
    .route('/', activationPages)
    .route('/', passwordResetPages);

  // Any operation may answer 503 service_unavailable (+ Retry-After): the admission gate is full
  // or the database is away. The document says so for each one.
  for (const definition of app.openAPIRegistry.definitions) {
    if (definition.type === 'route') (definition.route.responses as Record<string, unknown>)['503'] ??= problem('service_unavailable: the server is busy or its database is away; try again after Retry-After seconds');
  }
  app.doc31('/openapi.json', openApiConfig(deps.env.PUBLIC_URL));
  app.route('/docs', docsRoutes);

  app.notFound((c) => problemResponse(c, new AppError('not_found', `No route for ${c.req.method} ${c.req.path}.`)));
  app.onError((err, c) => problemResponse(c, toAppError(err, c)));
  return routes;
}

export type AppType = ReturnType<typeof createApp>;

function toAppError(err: Error, c: Context<AppEnv>): AppError {
  if (err instanceof AppError) return err;
  if (isDatabaseUnavailable(err)) {
    const logged = { message: redactTokens(err.message), code: (err as { code?: unknown }).code };
    c.var.deps?.logger.warn('database unavailable', { requestId: c.var.requestId, method: c.req.method, path: redactTokens(c.req.path), err: logged });
    c.var.deps?.database?.markUnavailable?.();
    return databaseUnavailable();
  }
  if (err instanceof HTTPException) {
    const byStatus: Record<number, ErrorCode> = { 400: 'invalid_request', 401: 'unauthorized', 403: 'forbidden', 404: 'not_found', 413: 'payload_too_large', 415: 'unsupported_media_type' };
    const code = byStatus[err.status];
    if (code) return new AppError(code, err.status === 400 ? safeDetail(err.message) : undefined);
  }
  // The same redaction as the access log: a token path must not reach the log through an error either.
  const logged = { message: redactTokens(err.message), stack: err.stack ? redactTokens(err.stack) : undefined };
  c.var.deps?.logger.error('unhandled error', { requestId: c.var.requestId, method: c.req.method, path: redactTokens(c.req.path), err: logged });
  return new AppError('internal_error', 'Please try again. If it keeps happening, mention the request id to the helpdesk.');
}

/** Hono's own 400 messages (malformed JSON, bad content type) are safe to show. */
function safeDetail(message: string): string {
  return /^[\w\s.,:'"-]{1,200}$/.test(message) ? message : 'The request could not be read.';
}

function problemResponse(c: Context<AppEnv>, err: AppError) {
  const requestId = c.var.requestId ?? 'unknown';
  const body = toProblem(err, requestId);
  return c.body(JSON.stringify(body), err.status, {
    'Content-Type': 'application/problem+json',
    'Cache-Control': 'no-store',
    ...err.headers,
  });
}
