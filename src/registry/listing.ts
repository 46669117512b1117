/**
 * Catalog and tag listings: paged by Link, `n` sent only when configured and dropped when the
 * registry refuses it (Quay 413, ECR 400, others 405; FORMATS.md).
 */
import { OcidexError } from '../domain/errors.js';
import { readBody } from './body.js';
import { recode, registryUrl, type OperationContext } from './context.js';
import { discardBody, type RegistryResponse } from './exchange.js';
import { MAX_LISTING_PAGE_BYTES } from './limits.js';
import { paginate, parseNextLink, type Page } from './paging.js';
import { redactUrl } from './redact.js';
import { errorFromResponse } from './registry-errors.js';
import { CATALOG_SCOPE, repositoryPullScope } from './scope.js';
import type { Operation } from './stats.js';

/** Statuses with which registries refuse a page size they do not like. */
const PAGE_SIZE_REFUSED: ReadonlySet<number> = new Set([400, 405, 413]);

interface Listing {
  path: string;
  operation: Operation;
  scopes: string[];
  /** The list field of the page body (`repositories`, `tags`). */
  field: string;
  /** The error for a non-200 status. */
  error: (response: RegistryResponse) => Promise<OcidexError>;
  signal: AbortSignal | undefined;
}

function pageItems(bytes: Uint8Array, listing: Listing, url: URL): string[] {
  let body: unknown;
  try {
    body = JSON.parse(Buffer.from(bytes).toString('utf8'));
  } catch (error) {
    throw new OcidexError(
      'bad_response',
      `${listing.operation} ${redactUrl(url)}: body is not JSON`,
      {},
      { cause: error },
    );
  }
  const items = (body as Record<string, unknown> | null)?.[listing.field];
  // distribution answers `"tags": null` for a repository without tags.
  if (items === null || items === undefined) return [];
  if (!Array.isArray(items)) {
    throw new OcidexError('bad_response', `${listing.operation} ${redactUrl(url)}: ${listing.field} is not a list`);
  }
  return items.filter((item): item is string => typeof item === 'string');
}

async function listingPage(
  context: OperationContext,
  listing: Listing,
  url: URL,
  index: number,
): Promise<Page<string>> {
  const request = {
    method: 'GET' as const,
    url,
    operation: listing.operation,
    scopes: listing.scopes,
    signal: listing.signal,
    headers: { accept: 'application/json' },
  };
  const page = await context.send(request, async (response) => {
    if (index === 0 && url.searchParams.has('n') && PAGE_SIZE_REFUSED.has(response.status)) {
      await discardBody(response);
      return null;
    }
    if (response.status !== 200) throw await listing.error(response);
    const bytes = await readBody(response, { maxBytes: MAX_LISTING_PAGE_BYTES, what: `${listing.operation} page` });
    return { items: pageItems(bytes, listing, url), next: parseNextLink(response.headers, url) };
  });
  if (page !== null) return page;
  const withoutPageSize = new URL(url);
  withoutPageSize.searchParams.delete('n');
  return listingPage(context, listing, withoutPageSize, index);
}

function list(context: OperationContext, listing: Listing): AsyncGenerator<string> {
  const first = registryUrl(context, listing.path);
  if (context.limits.pageSize !== undefined) first.searchParams.set('n', String(context.limits.pageSize));
  return paginate(first, (url, index) => listingPage(context, listing, url, index), context.limits.maxPages);
}

/** Repository names from `/v2/_catalog`; `unsupported` when the registry has no catalog. */
export function listCatalog(context: OperationContext, signal?: AbortSignal): AsyncGenerator<string> {
  return list(context, {
    path: '/v2/_catalog',
    operation: 'catalog',
    scopes: [CATALOG_SCOPE],
    field: 'repositories',
    signal,
    error: async (response) => {
      const error = await errorFromResponse(response);
      return [401, 404, 405].includes(response.status) ? recode(error, 'unsupported') : error;
    },
  });
}

/** Tags of a (validated) repository; a 404 is `name_unknown`. */
export function listRepositoryTags(
  context: OperationContext,
  repository: string,
  signal?: AbortSignal,
): AsyncGenerator<string> {
  return list(context, {
    path: `/v2/${repository}/tags/list`,
    operation: 'tags',
    scopes: [repositoryPullScope(repository)],
    field: 'tags',
    signal,
    error: async (response) => {
      const error = await errorFromResponse(response);
      return response.status === 404 ? recode(error, 'name_unknown') : error;
    },
  });
}
