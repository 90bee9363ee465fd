import { z } from '@hono/zod-openapi';

/** The RFC 9457 problem body, for route declarations. */
export const ProblemSchema = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    detail: z.string().optional(),
    code: z.string(),
    requestId: z.string(),
  })
  .openapi('Problem');

export const problem = (description: string) => ({
  description,
  content: { 'application/problem+json': { schema: ProblemSchema } },
});

export const json = <T extends z.ZodType>(schema: T, description: string) => ({
  description,
  content: { 'application/json': { schema } },
});

export const jsonBody = <T extends z.ZodType>(schema: T) => ({
  required: true,
  content: { 'application/json': { schema } },
});

/** `?page=1&pageSize=20` (max 100). */
export const PageQuery = z.object({
  page: z.coerce.number().int().min(1).max(1_000_000).default(1).openapi({ example: 1 }),
  pageSize: z.coerce.number().int().min(1).max(100).default(20).openapi({ example: 20 }),
});
export type PageQuery = z.infer<typeof PageQuery>;

const PageMeta = z.object({ page: z.number().int(), pageSize: z.number().int(), total: z.number().int() });

export const pageOf = <T extends z.ZodType>(item: T, name: string) => z.object({ items: z.array(item), ...PageMeta.shape }).openapi(name);

/** What a service returns for `pageOf(Item)`: `Page<z.infer<typeof Item>>`. */
export type Page<T> = { items: T[] } & z.infer<typeof PageMeta>;

/** Responses every authenticated route can give (authz/: authenticate, authorize). */
export const authResponses = {
  401: problem('unauthorized: no session or API token, or it has ended, was revoked or has expired'),
  403: problem('forbidden: not for your role (or never for an API token); insufficient_scope: the API token lacks the scope'),
  429: problem('rate_limited: too many requests with this API token (see Retry-After)'),
};

/** What a route that reads a query string or a checked path parameter can answer besides. */
export const queryResponses = {
  400: problem('validation_failed: a parameter is not valid'),
};

/** What a route with a JSON body can answer besides. */
export const bodyResponses = {
  400: problem('validation_failed or invalid_request: the body is not valid JSON of the right shape'),
  413: problem('payload_too_large: the body is larger than 1 MB'),
  415: problem('unsupported_media_type: send Content-Type: application/json'),
};

export const bearerSecurity = [{ bearer: [] as string[] }];

/** A UUID path parameter; anything else is a 404 like an unknown id (never a 500). */
export const IdParam = z.object({ id: z.string().openapi({ param: { name: 'id', in: 'path' }, format: 'uuid' }) });

const uuidRe = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const isUuid = (s: string) => uuidRe.test(s);
