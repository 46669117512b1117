/**
 * The redirect layer: follows 301/302/303/307/308 for GET and HEAD by hand, up to MAX_REDIRECTS.
 * Each hop is a new request through the layers below, so the auth layer decides per hop whether
 * `Authorization` may go there (only to the registry's origin: object storage never gets it).
 */
import { OcidexError } from '../domain/errors.js';
import { discardBody, headerValue, type RegistryRequest, type RegistryResponse, type Send } from './exchange.js';
import { MAX_REDIRECTS } from './limits.js';
import { redactUrl } from './redact.js';

const REDIRECT_STATUSES: ReadonlySet<number> = new Set([301, 302, 303, 307, 308]);

function nextLocation(response: RegistryResponse): URL | undefined {
  const location = headerValue(response.headers, 'location');
  if (location === undefined) return undefined;
  try {
    const url = new URL(location, response.url);
    return url.protocol === 'https:' || url.protocol === 'http:' ? url : undefined;
  } catch {
    return undefined;
  }
}

/** Wraps `inner` with redirect following. */
export function withRedirects(inner: Send, maxRedirects = MAX_REDIRECTS): Send {
  return async <T>(request: RegistryRequest, read: (response: RegistryResponse) => Promise<T>): Promise<T> => {
    if (request.method === 'POST') return inner(request, read);
    let current = request;
    for (let hop = 0; ; hop += 1) {
      const outcome = await inner(current, async (response) => {
        const location = REDIRECT_STATUSES.has(response.status) ? nextLocation(response) : undefined;
        if (location === undefined) return { done: true as const, value: await read(response) };
        await discardBody(response);
        return { done: false as const, location };
      });
      if (outcome.done) return outcome.value;
      if (hop >= maxRedirects) {
        const where = `${request.operation} ${redactUrl(request.url)}`;
        throw new OcidexError('bad_response', `${where}: more than ${maxRedirects} redirects`);
      }
      // Headers chosen by the caller (Accept) travel on; Authorization is the auth layer's to add.
      const { authorization: _dropped, ...headers } = current.headers ?? {};
      current = { ...current, url: outcome.location, headers };
    }
  };
}
