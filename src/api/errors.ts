/**
 * The one error shape of the API, `{"error": {"code", "message", "position"?}}`, and the one place
 * codes become statuses. 4xx bodies explain; 5xx bodies carry a fixed message per code, so
 * nothing internal (paths, SQL, stack, secrets) leaks.
 */
import type { Context, ErrorHandler, NotFoundHandler } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { ErrorCode } from '../domain/errors.js';
import { OcidexError } from '../domain/errors.js';
import type { ApiLogger } from './deps.js';

/** Codes of the API: the domain's, plus the HTTP-level ones the domain has no word for. */
export type ApiErrorCode = ErrorCode | 'forbidden' | 'conflict' | 'unsupported_media_type';

/** An error the API raises itself (auth, conflicts, media types); mapped like an OcidexError. */
export class ApiError extends Error {
  constructor(
    readonly code: ApiErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/**
 * Status per code. `query_timeout` and `result_too_large` are 422: the query, as asked, cannot be
 * answered within the engine's budget, and repeating it will not help (408 would invite browsers
 * to retry it automatically; 503 would blame the server). A request over the API's own time
 * limit (`timeout`) is 503: the server was slow, a retry may succeed. So is `overloaded`: the
 * query pool refused the query (queue full, or this client at its cap), with a `Retry-After`.
 * An index that cannot be reached or written (`index_unavailable`: a PostgreSQL outage, a full
 * disk) is 503 too: another replica, or this one a little later, may answer.
 */
const STATUS: Partial<Record<ApiErrorCode, ContentfulStatusCode>> = {
  invalid_query: 400,
  invalid_argument: 400,
  invalid_reference: 400,
  unauthorized: 401,
  denied: 403,
  forbidden: 403,
  not_found: 404,
  name_unknown: 404,
  manifest_unknown: 404,
  conflict: 409,
  size_exceeds_limit: 413,
  unsupported_media_type: 415,
  query_timeout: 422,
  result_too_large: 422,
  too_many_requests: 429,
  timeout: 503,
  overloaded: 503,
  index_unavailable: 503,
};

/** Fixed messages of server errors: what the client may know, nothing more. */
const SERVER_MESSAGES: Partial<Record<ApiErrorCode, string>> = {
  timeout: 'the server did not finish the request in time; try again later',
  overloaded: 'too many queries in flight; retry after the time in Retry-After',
  index_unavailable: 'the index database cannot be reached or written now; try again later',
};
const GENERIC_MESSAGE = 'internal error';

/** HTTPExceptions thrown by Hono middleware (malformed JSON, body limit, media type), by status. */
const HTTP_EXCEPTION_CODES: Record<number, ApiErrorCode> = {
  400: 'invalid_argument',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not_found',
  413: 'size_exceeds_limit',
  415: 'unsupported_media_type',
  503: 'timeout',
  504: 'timeout',
};

/** The body of an error response. */
export interface ErrorBody {
  error: { code: string; message: string; position?: number };
}

/** Status and body for any thrown value. */
export function errorResponse(error: unknown): { status: ContentfulStatusCode; body: ErrorBody } {
  const { code, message, position } = describe(error);
  const status = STATUS[code] ?? 500;
  if (status >= 500) return { status, body: { error: { code, message: SERVER_MESSAGES[code] ?? GENERIC_MESSAGE } } };
  const body: ErrorBody = { error: { code, message } };
  if (position !== undefined) body.error.position = position;
  return { status, body };
}

function describe(error: unknown): { code: ApiErrorCode; message: string; position?: number } {
  if (error instanceof OcidexError)
    return { code: error.code, message: error.message, position: error.details.position };
  if (error instanceof ApiError) return { code: error.code, message: error.message };
  if (error instanceof HTTPException) {
    return { code: HTTP_EXCEPTION_CODES[error.status] ?? 'internal', message: error.message || 'request refused' };
  }
  return { code: 'internal', message: GENERIC_MESSAGE };
}

/** Seconds a client should wait before retrying after a 503: the error's own hint, else 1. */
function retryAfterSeconds(error: unknown): number {
  const hintMs = error instanceof OcidexError ? error.details.retryAfterMs : undefined;
  return hintMs === undefined ? 1 : Math.max(1, Math.ceil(hintMs / 1000));
}

/** Sends `error` in the error shape. */
export function sendError(c: Context, error: unknown): Response {
  const { status, body } = errorResponse(error);
  if (status === 401) c.header('WWW-Authenticate', 'Bearer realm="ocidex"');
  if (status === 503) c.header('Retry-After', String(retryAfterSeconds(error)));
  return c.json(body, status);
}

/**
 * 5xx answers that are no fault of the server, so not reported: a refusal under load, and a query
 * dropped because its client went away (the pool working as meant; /metrics counts both).
 */
function expected(error: unknown, c: Context): boolean {
  if (!(error instanceof OcidexError)) return false;
  return error.code === 'overloaded' || (error.code === 'aborted' && c.req.raw.signal.aborted);
}

/** The app's `onError`: maps, and reports server errors (method, path, code; never headers or bodies). */
export function errorHandler(logger: ApiLogger): ErrorHandler {
  return (error, c) => {
    const response = sendError(c, error);
    if (response.status >= 500 && !expected(error, c)) {
      logger.error('request failed', {
        method: c.req.method,
        path: c.req.path,
        status: response.status,
        error: error instanceof Error ? `${error.name}: ${error.message}` : String(error),
      });
    }
    return response;
  };
}

/** The app's `notFound`, in the same shape. */
export const notFoundHandler: NotFoundHandler = (c) =>
  sendError(c, new OcidexError('not_found', `no route ${c.req.method} ${c.req.path}`));

/** The default logger: one JSON line per server error on stderr. */
export const stderrLogger: ApiLogger = {
  error: (message, fields) => process.stderr.write(`${JSON.stringify({ level: 'error', message, ...fields })}\n`),
};
