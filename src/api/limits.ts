/**
 * Request limits: body size, query-text length (checked before any parsing), time per request.
 * The defaults are named here; `ApiConfig` overrides them.
 */
import type { MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { OcidexError } from '../domain/errors.js';
import { DEFAULT_MAX_QUERY_LENGTH } from '../query/index.js';

/** Largest request body: registry configs and notification envelopes are far smaller. */
export const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;
/** Longest `q` parameter, in UTF-16 code units (the query engine's own cap by default). */
export { DEFAULT_MAX_QUERY_LENGTH };
/** Time one request may take before the API answers 503 `timeout`. */
export const DEFAULT_REQUEST_TIMEOUT_MS = 30_000;

/** 413 `size_exceeds_limit` past `maxBytes` (Content-Length checked first, streamed bodies counted). */
export function bodySizeLimit(maxBytes: number): MiddlewareHandler {
  return bodyLimit({
    maxSize: maxBytes,
    onError: () => {
      throw new OcidexError('size_exceeds_limit', `request body larger than ${maxBytes} bytes`);
    },
  });
}

/**
 * 400 `invalid_query` when the `q` parameter is longer than `maxLength`, before the query parser
 * sees it (the position is where the text went over).
 */
export function queryLengthLimit(maxLength: number): MiddlewareHandler {
  return async (c, next) => {
    const text = c.req.query('q');
    if (text !== undefined && text.length > maxLength) {
      throw new OcidexError('invalid_query', `query longer than ${maxLength} characters`, { position: maxLength });
    }
    return next();
  };
}

/**
 * 503 `timeout` when the rest of the chain has not answered within `timeoutMs`. A query runs on a
 * worker of the query pool and is not stopped from here: the engine's budget stops it there
 * (keep that budget below this limit), and the pool's queue is bounded.
 */
export function requestTimeout(timeoutMs: number): MiddlewareHandler {
  return async (_c, next) => {
    let timer: NodeJS.Timeout | undefined;
    const expired = new Promise<never>((_resolve, reject) => {
      timer = setTimeout(() => reject(new OcidexError('timeout', `request exceeded ${timeoutMs} ms`)), timeoutMs);
    });
    try {
      await Promise.race([next(), expired]);
    } finally {
      clearTimeout(timer);
    }
  };
}
