/**
 * Referrers of a subject (distribution spec v1.1 "Listing Referrers"): the referrers API
 * `GET /v2/<name>/referrers/<digest>?artifactType=` with Link paging, or, when the registry has
 * none (a 404 that is not NAME_UNKNOWN, or a 200 that is not an image index), the tag schema:
 * tag `<alg>-<hex>` holds an index of referrers, or is absent (no referrers).
 */
import { OcidexError } from '../domain/errors.js';
import { MediaType, type Descriptor, type FetchedManifest } from '../domain/oci.js';
import { readBody } from './body.js';
import { registryUrl, type OperationContext } from './context.js';
import { referrersTag } from './digest.js';
import { headerValue, type RegistryResponse } from './exchange.js';
import { asImageIndex, parseManifestJson } from './manifest-media-type.js';
import { paginate, parseNextLink, type Page } from './paging.js';
import { errorFromResponse } from './registry-errors.js';
import { repositoryPullScope } from './scope.js';

/** Whose referrers to list, optionally of one artifact type. */
export interface ReferrersQuery {
  repository: string;
  subject: string;
  artifactType?: string;
  signal?: AbortSignal;
}

function isDescriptor(value: unknown): value is Descriptor {
  const entry = value as Partial<Descriptor> | null;
  if (typeof entry !== 'object' || entry === null) return false;
  return typeof entry.digest === 'string' && typeof entry.mediaType === 'string' && typeof entry.size === 'number';
}

/** Valid descriptors of an index body, filtered by `artifactType` unless the server did it. */
function selectReferrers(manifests: unknown, artifactType: string | undefined, filtered: boolean): Descriptor[] {
  const descriptors = Array.isArray(manifests) ? manifests.filter(isDescriptor) : [];
  if (artifactType === undefined || filtered) return descriptors;
  return descriptors.filter((descriptor) => descriptor.artifactType === artifactType);
}

function filtersApplied(response: RegistryResponse): boolean {
  const header = headerValue(response.headers, 'oci-filters-applied') ?? '';
  return header.split(',').some((filter) => filter.trim() === 'artifactType');
}

/** One API page, or null when the first page shows there is no referrers API. */
async function apiPage(
  context: OperationContext,
  query: ReferrersQuery,
  url: URL,
  index: number,
): Promise<Page<Descriptor> | null> {
  const request = {
    method: 'GET' as const,
    url,
    operation: 'referrers' as const,
    headers: { accept: MediaType.ociIndex },
    scopes: [repositoryPullScope(query.repository)],
    signal: query.signal,
  };
  return context.send(request, async (response) => {
    if (response.status === 404 && index === 0) {
      const error = await errorFromResponse(response);
      if (error.code === 'name_unknown') throw error;
      return null;
    }
    if (response.status !== 200) throw await errorFromResponse(response);
    const bytes = await readBody(response, { maxBytes: context.limits.maxManifestBytes, what: 'referrers response' });
    const body = asImageIndex(headerValue(response.headers, 'content-type'), bytes);
    if (body === null && index === 0) return null;
    if (body === null) throw new OcidexError('bad_response', 'referrers page is not an image index', { status: 200 });
    const items = selectReferrers(body.manifests, query.artifactType, filtersApplied(response));
    return { items, next: parseNextLink(response.headers, url) };
  });
}

/** Referrers from the API, or null when the registry has no referrers API. */
export async function referrersFromApi(context: OperationContext, query: ReferrersQuery): Promise<Descriptor[] | null> {
  const first = registryUrl(context, `/v2/${query.repository}/referrers/${query.subject}`);
  if (query.artifactType !== undefined) first.searchParams.set('artifactType', query.artifactType);
  let noApi = false;
  const pages = paginate(
    first,
    async (url, index) => {
      const page = await apiPage(context, query, url, index);
      noApi = page === null;
      return page ?? { items: [], next: null };
    },
    context.limits.maxPages,
  );
  const referrers: Descriptor[] = [];
  for await (const descriptor of pages) referrers.push(descriptor);
  return noApi ? null : referrers;
}

/** Referrers from the tag-schema index; [] when the tag does not exist. */
export async function referrersFromTag(
  fetchManifest: (repository: string, reference: string, signal?: AbortSignal) => Promise<FetchedManifest>,
  query: ReferrersQuery,
): Promise<Descriptor[]> {
  let manifest: FetchedManifest;
  try {
    manifest = await fetchManifest(query.repository, referrersTag(query.subject), query.signal);
  } catch (error) {
    if (error instanceof OcidexError && error.code === 'manifest_unknown') return [];
    throw error;
  }
  if (manifest.mediaType !== MediaType.ociIndex) {
    const what = `referrers tag of ${query.subject}`;
    throw new OcidexError('bad_response', `${what} is a ${manifest.mediaType}, not an image index`);
  }
  const body = parseManifestJson(manifest.bytes, 'referrers index');
  return selectReferrers(body.manifests, query.artifactType, false);
}
