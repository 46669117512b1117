/**
 * Manifests: HEAD to resolve, GET to fetch, both with the full Accept list. A fetched manifest is
 * checked: size cap before buffering, digest (the reference's, else `Docker-Content-Digest`,
 * else computed), then Content-Type against the body.
 */
import { OcidexError } from '../domain/errors.js';
import { MANIFEST_ACCEPT, type FetchedManifest } from '../domain/oci.js';
import { contentLength, readBody } from './body.js';
import { recode, registryUrl, type OperationContext } from './context.js';
import { computeDigest, isVerifiableDigest, parseDigest, verifyDigest } from './digest.js';
import { headerValue, type RegistryRequest, type RegistryResponse } from './exchange.js';
import { essence, manifestMediaType } from './manifest-media-type.js';
import { errorFromResponse } from './registry-errors.js';
import { repositoryPullScope } from './scope.js';

/** What a HEAD (or its GET fallback) tells about a manifest. */
export interface ResolvedManifest {
  digest: string;
  mediaType: string;
  size: number;
}

const ACCEPT = MANIFEST_ACCEPT.join(', ');
const KNOWN_TYPES: ReadonlySet<string> = new Set(MANIFEST_ACCEPT);

function manifestRequest(
  context: OperationContext,
  method: 'GET' | 'HEAD',
  repository: string,
  reference: string,
  signal: AbortSignal | undefined,
): RegistryRequest {
  return {
    method,
    url: registryUrl(context, `/v2/${repository}/manifests/${reference}`),
    operation: method === 'GET' ? 'manifest.get' : 'manifest.head',
    headers: { accept: ACCEPT },
    scopes: [repositoryPullScope(repository)],
    signal,
  };
}

/** A manifest 404 is `manifest_unknown` unless the registry said the repository is unknown. */
async function manifestError(response: RegistryResponse): Promise<OcidexError> {
  const error = await errorFromResponse(response);
  return response.status === 404 && error.code !== 'name_unknown' ? recode(error, 'manifest_unknown') : error;
}

/** Checks fetched bytes; returns the manifest under the digest the registry knows it by. */
export function checkManifest(response: RegistryResponse, reference: string, bytes: Uint8Array): FetchedManifest {
  const what = `manifest ${reference}`;
  const declared = headerValue(response.headers, 'docker-content-digest')?.trim();
  const expected =
    parseDigest(reference) !== null
      ? reference
      : declared !== undefined && isVerifiableDigest(declared)
        ? declared
        : undefined;
  // Hashed once: verified against the digest asked for (else the one declared), else computed.
  if (expected !== undefined) verifyDigest(expected, bytes, what);
  const digest = expected ?? computeDigest(bytes);
  const mediaType = manifestMediaType(headerValue(response.headers, 'content-type'), bytes, what);
  return { digest, mediaType, size: bytes.length, bytes };
}

/** GETs and checks a manifest (repository and reference already validated). */
export function getManifest(
  context: OperationContext,
  repository: string,
  reference: string,
  signal?: AbortSignal,
): Promise<FetchedManifest> {
  const request = manifestRequest(context, 'GET', repository, reference, signal);
  return context.send(request, async (response) => {
    if (response.status !== 200) throw await manifestError(response);
    const bytes = await readBody(response, { maxBytes: context.limits.maxManifestBytes, what: 'manifest' });
    return checkManifest(response, reference, bytes);
  });
}

/** What the HEAD headers say, or undefined when they are not enough (then GET). */
function fromHeaders(response: RegistryResponse, reference: string): ResolvedManifest | undefined {
  const declared = headerValue(response.headers, 'docker-content-digest')?.trim();
  const byDigest = parseDigest(reference) !== null;
  const digest = byDigest ? reference : declared;
  const mediaType = essence(headerValue(response.headers, 'content-type'));
  const size = contentLength(response);
  if (digest === undefined || parseDigest(digest) === null) return undefined;
  if (!KNOWN_TYPES.has(mediaType) || size === undefined) return undefined;
  if (byDigest && declared !== undefined && declared !== reference) return undefined;
  return { digest, mediaType, size };
}

/** HEADs a manifest; null when absent. Falls back to GET when HEAD does not say enough. */
export async function headManifest(
  context: OperationContext,
  repository: string,
  reference: string,
  signal?: AbortSignal,
): Promise<ResolvedManifest | null> {
  const request = manifestRequest(context, 'HEAD', repository, reference, signal);
  const resolved = await context.send(request, async (response) => {
    if (response.status === 404) return null;
    // Some registries refuse HEAD: GET tells the same.
    if (response.status === 405) return undefined;
    if (response.status !== 200) throw await manifestError(response);
    return fromHeaders(response, reference);
  });
  if (resolved !== undefined) return resolved;
  try {
    const { digest, mediaType, size } = await getManifest(context, repository, reference, signal);
    return { digest, mediaType, size };
  } catch (error) {
    if (error instanceof OcidexError && error.details.status === 404) return null;
    throw error;
  }
}
