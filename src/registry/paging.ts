/**
 * Link-header paging (distribution spec "Listing Tags": `Link: <url>; rel="next"`): an async
 * iterator over a one-page helper, with a page cap and a cycle check. The next URL is followed as
 * given (relative or absolute), on the registry's origin only.
 */
import type { IncomingHttpHeaders } from 'node:http';
import { OcidexError } from '../domain/errors.js';
import { headerValues } from './exchange.js';
import { redactUrl } from './redact.js';

/** One page of a listing and the URL of the next, if any. */
export interface Page<T> {
  items: T[];
  next: URL | null;
}

const LINK_VALUE = /<([^>]*)>((?:\s*;\s*[^;,]*)*)/g;
const NEXT_RELATION = /(?:^|;)\s*rel\s*=\s*(?:"([^"]*)"|([^\s;,]+))/i;

/** The `rel="next"` target of a response, resolved against `current`, or null. */
export function parseNextLink(headers: IncomingHttpHeaders, current: URL): URL | null {
  for (const value of headerValues(headers, 'link')) {
    for (const match of value.matchAll(LINK_VALUE)) {
      const relation = NEXT_RELATION.exec(match[2] ?? '');
      const relations = (relation?.[1] ?? relation?.[2] ?? '').toLowerCase().split(/\s+/);
      if (!relations.includes('next')) continue;
      let next: URL;
      try {
        next = new URL(match[1] ?? '', current);
      } catch (error) {
        throw new OcidexError('bad_response', `invalid Link header from ${redactUrl(current)}`, {}, { cause: error });
      }
      if (next.origin !== current.origin) {
        throw new OcidexError('bad_response', `Link from ${redactUrl(current)} leaves the registry (${next.origin})`);
      }
      return next;
    }
  }
  return null;
}

/** Items of every page from `first` on, at most `maxPages` pages, never the same URL twice. */
export async function* paginate<T>(
  first: URL,
  fetchPage: (url: URL, index: number) => Promise<Page<T>>,
  maxPages: number,
): AsyncGenerator<T> {
  const visited = new Set<string>();
  let url: URL | null = first;
  for (let index = 0; url !== null; index += 1) {
    if (index >= maxPages) {
      throw new OcidexError('page_limit', `more than ${maxPages} pages at ${redactUrl(first)}`);
    }
    if (visited.has(url.href)) {
      throw new OcidexError('link_cycle', `Link header loops back to ${redactUrl(url)}`);
    }
    visited.add(url.href);
    const page: Page<T> = await fetchPage(url, index);
    yield* page.items;
    url = page.next;
  }
}
