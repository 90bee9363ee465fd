import type { ContentfulStatusCode } from 'hono/utils/http-status';

/** Stable snake_case error codes of the API, each with its HTTP status and a plain title. */
const errorCodes = {
  validation_failed: [400, 'The request is not valid'],
  weak_password: [400, 'The password is too weak'],
  invalid_code: [400, 'The code is not valid'],
  invalid_request: [400, 'The request is not valid'],
  unauthorized: [401, 'Authentication required'],
  invalid_credentials: [401, 'Login failed'],
  session_expired: [401, 'The session has ended'],
  forbidden: [403, 'Not allowed'],
  insufficient_scope: [403, 'The API token lacks the scope for this'],
  not_found: [404, 'Not found'],
  method_not_allowed: [405, 'Method not allowed'],
  conflict: [409, 'Conflict'],
  already_exists: [409, 'Already exists'],
  confirmation_mismatch: [422, 'The confirmation does not match'],
  token_expired: [410, 'The link has expired or was already used'],
  precondition_failed: [412, 'Precondition failed'],
  payload_too_large: [413, 'The request body is too large'],
  unsupported_media_type: [415, 'This type of file or content is not accepted'],
  range_not_satisfiable: [416, 'Range not satisfiable'],
  too_many_attempts: [429, 'Too many attempts'],
  rate_limited: [429, 'Too many requests'],
  internal_error: [500, 'Something went wrong on our side'],
  service_unavailable: [503, 'Service unavailable'],
} as const satisfies Record<string, readonly [ContentfulStatusCode, string]>;

export type ErrorCode = keyof typeof errorCodes;

/** The one error type: a code that maps to a status, a safe detail, optional extra fields. */
export class AppError extends Error {
  override name = 'AppError';
  readonly status: ContentfulStatusCode;
  readonly title: string;

  constructor(
    readonly code: ErrorCode,
    readonly detail?: string,
    readonly extra: Record<string, unknown> = {},
    readonly headers: Record<string, string> = {},
  ) {
    super(detail ?? errorCodes[code][1]);
    this.status = errorCodes[code][0];
    this.title = errorCodes[code][1];
  }
}

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail?: string;
  code: ErrorCode;
  requestId: string;
  [extra: string]: unknown;
}

/** RFC 9457 body for an AppError. */
export function toProblem(err: AppError, requestId: string, instance?: string): Problem {
  return {
    type: `https://kindkans.nl/problems/${err.code.replaceAll('_', '-')}`,
    title: err.title,
    status: err.status,
    ...(err.detail ? { detail: err.detail } : {}),
    code: err.code,
    requestId,
    ...(instance ? { instance } : {}),
    ...err.extra,
  };
}
