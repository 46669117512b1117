/**
 * Bearer-token access control. Reads (GET/HEAD/OPTIONS) are open unless a read token is
 * configured, then they need the read or the admin token; writes need the admin token and are refused outright
 * when none is configured. Registry notifications use their own secrets (event-secrets.ts).
 * Tokens are compared in constant time and never logged or echoed.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import type { ApiConfig } from './deps.js';
import { ApiError } from './errors.js';

const READ_METHODS: ReadonlySet<string> = new Set(['GET', 'HEAD', 'OPTIONS']);
/** Paths with their own authentication. */
const EVENTS_PREFIX = '/v1/events/';

/**
 * Whether `given` equals `expected`, in time independent of where they differ and of their
 * lengths (both are hashed to 32 bytes first, so `timingSafeEqual` never sees unequal lengths).
 */
export function tokensEqual(given: string, expected: string): boolean {
  const digest = (value: string) => createHash('sha256').update(value, 'utf8').digest();
  return timingSafeEqual(digest(given), digest(expected));
}

/** The token of an `Authorization: Bearer <token>` header, else null. */
export function bearerToken(header: string | undefined): string | null {
  const match = /^Bearer +(\S+) *$/i.exec(header ?? '');
  return match?.[1] ?? null;
}

/** Whether `token` may read: any token when no read token is configured, else the read or admin token. */
function mayRead(config: ApiConfig, token: string | null): boolean {
  const { adminToken, readToken } = config;
  if (readToken === undefined) return true;
  if (token === null) return false;
  return tokensEqual(token, readToken) || (adminToken !== undefined && tokensEqual(token, adminToken));
}

/**
 * `/metrics` behind the read token (ApiConfig.metricsRequireToken): the read or admin token, and
 * refused outright when neither is configured (an open endpoint would be the mistake it prevents).
 */
export function metricsAccess(config: ApiConfig): MiddlewareHandler {
  return async (c, next) => {
    if (config.readToken === undefined && config.adminToken === undefined) {
      throw new ApiError('forbidden', '/metrics needs a token: set OCIDEX_READ_TOKEN');
    }
    const token = bearerToken(c.req.header('Authorization'));
    const isAdmin = token !== null && config.adminToken !== undefined && tokensEqual(token, config.adminToken);
    if (isAdmin || (config.readToken !== undefined && mayRead(config, token))) return next();
    throw new ApiError('unauthorized', '/metrics needs Authorization: Bearer <read or admin token>');
  };
}

/** Read/write access control of `/v1/*` (events excepted). */
export function accessControl(config: ApiConfig): MiddlewareHandler {
  const { adminToken, readToken } = config;
  return async (c, next) => {
    if (c.req.path.startsWith(EVENTS_PREFIX)) return next();
    const token = bearerToken(c.req.header('Authorization'));
    const isAdmin = token !== null && adminToken !== undefined && tokensEqual(token, adminToken);
    if (READ_METHODS.has(c.req.method)) {
      if (isAdmin || mayRead(config, token)) return next();
      throw new ApiError('unauthorized', 'this endpoint needs Authorization: Bearer <read or admin token>');
    }
    if (adminToken === undefined) {
      throw new ApiError('forbidden', 'writes are disabled: set OCIDEX_ADMIN_TOKEN to enable them');
    }
    if (isAdmin) return next();
    if (token !== null && readToken !== undefined && tokensEqual(token, readToken)) {
      throw new ApiError('forbidden', 'the read token cannot write; use the admin token');
    }
    throw new ApiError('unauthorized', 'this endpoint needs Authorization: Bearer <admin token>');
  };
}
