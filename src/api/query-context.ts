/**
 * Who a query is for, as the query pool's per-client limits count: the bearer token when a read
 * token is configured (every read then carries a checked token; only its hash is kept), else the
 * remote address of the connection. A token is not trusted for this when reads are open: anyone
 * could send a fresh one per request to escape the cap. And until when: the request's signal,
 * which aborts when the client goes away, so its query leaves the pool's queue.
 */
import { createHash } from 'node:crypto';
import { getConnInfo } from '@hono/node-server/conninfo';
import type { Context } from 'hono';
import { bearerToken } from './auth.js';
import type { QueryContext } from '../query/index.js';
import type { ApiConfig } from './deps.js';

/** The client of requests without a socket (`app.request()` in tests). */
const UNKNOWN_ADDRESS = 'address:unknown';

/** The query context of request `c`: its client's key and its abort signal. */
export function queryContext(c: Context, config: Pick<ApiConfig, 'readToken'>): QueryContext {
  return { client: clientKey(c, config), signal: c.req.raw.signal };
}

/** The key of `c`'s client. */
export function clientKey(c: Context, config: Pick<ApiConfig, 'readToken'>): string {
  const token = config.readToken === undefined ? null : bearerToken(c.req.header('Authorization'));
  if (token !== null) return `token:${createHash('sha256').update(token).digest('hex').slice(0, 32)}`;
  try {
    const address = getConnInfo(c).remote.address;
    return address === undefined ? UNKNOWN_ADDRESS : `address:${address}`;
  } catch {
    return UNKNOWN_ADDRESS;
  }
}
