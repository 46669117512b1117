/**
 * The contract between the layers of the HTTP stack (transport <- retry <- auth <- redirects <-
 * client). A layer gets a request and a `read` callback; it hands `read` the response it decides
 * is final. `read` runs while the request still holds its concurrency slot and timeout, so it
 * must only consume the body: a layer that needs another request (a retry, a token, a redirect)
 * makes it after `read`'s wrapper has returned, never inside it.
 */
import type { IncomingHttpHeaders } from 'node:http';
import type { ResponseBody } from './response-body.js';
import type { Operation } from './stats.js';

/** One request as the layers pass it down. */
export interface RegistryRequest {
  method: 'GET' | 'HEAD' | 'POST';
  url: URL;
  operation: Operation;
  headers?: Record<string, string>;
  body?: string;
  /** Token scopes this request needs (`repository:<name>:pull`, `registry:catalog:*`). */
  scopes?: readonly string[];
  signal?: AbortSignal;
}

/** One response as the layers pass it up; `body` is unread. */
export interface RegistryResponse {
  status: number;
  headers: IncomingHttpHeaders;
  /** The URL that answered (after redirects). */
  url: URL;
  body: ResponseBody;
  request: RegistryRequest;
}

/** Sends `request` and returns what `read` made of the final response. */
export type Send = <T>(request: RegistryRequest, read: (response: RegistryResponse) => Promise<T>) => Promise<T>;

/** One header as a single string (the first value when repeated). */
export function headerValue(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
}

/** One header as a list (repeated headers kept apart). */
export function headerValues(headers: IncomingHttpHeaders, name: string): string[] {
  const value = headers[name.toLowerCase()];
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}

/** Stops reading a body and closes its connection. */
export function abandonBody(response: RegistryResponse): void {
  response.body.destroy();
}

/** Drops what is left of a body so the connection can be reused (or closed when large). */
export async function discardBody(response: RegistryResponse): Promise<void> {
  await response.body.dump({ limit: 64 * 1024 }).catch(() => undefined);
}
