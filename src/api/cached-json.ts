/**
 * Answering a read from the ResponseCache: the body kept for the request URL at the index's
 * current version, or computed and kept. Every answer carries a weak ETag of (this process,
 * version, URL) and `Cache-Control: no-cache`, so a browser revalidates each time and a request
 * whose `If-None-Match` names the current ETag gets `304` without the query running at all.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Context, TypedResponse } from 'hono';
import type { ResponseCache } from './response-cache.js';

/** Distinguishes this process's ETags from another's (a restarted process may reuse version numbers). */
const PROCESS_NONCE = randomBytes(9).toString('base64url');

/** The weak ETag of the response to `key` at `version`. */
export function etagOf(version: string, key: string): string {
  const hash = createHash('sha256').update(`${PROCESS_NONCE}\u0000${version}\u0000${key}`).digest('base64url');
  return `W/"${hash.slice(0, 27)}"`;
}

/** Whether an `If-None-Match` header names `etag` (or `*`). */
function matches(ifNoneMatch: string | undefined, etag: string): boolean {
  if (ifNoneMatch === undefined) return false;
  return ifNoneMatch
    .split(',')
    .map((tag) => tag.trim())
    .some((tag) => tag === '*' || tag === etag || `W/${tag}` === etag);
}

/**
 * The JSON answer (200) of `compute` for the request of `c`, through `cache` (null: no cache,
 * always computed). `compute` runs only when nothing is kept for this URL and version.
 */
export async function cachedJson<T>(
  c: Context,
  cache: ResponseCache | null,
  compute: () => Promise<T>,
): Promise<TypedResponse<T, 200, 'json'>> {
  const version = cache?.version() ?? null;
  if (cache === null || version === null) return c.json(await compute(), 200) as TypedResponse<T, 200, 'json'>;
  const url = new URL(c.req.url);
  const key = `${url.pathname}${url.search}`;
  const etag = etagOf(version, key);
  c.header('ETag', etag);
  c.header('Cache-Control', 'no-cache');
  // The route's 200 type stands for the body-less 304 and the kept JSON text too.
  if (matches(c.req.header('If-None-Match'), etag))
    return c.body(null, 304) as unknown as TypedResponse<T, 200, 'json'>;
  const body = await cache.body(key, version, async () => JSON.stringify(await compute()));
  return c.body(body, 200, { 'Content-Type': 'application/json' }) as unknown as TypedResponse<T, 200, 'json'>;
}
