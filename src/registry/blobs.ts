/**
 * Blobs: GET (redirects to object storage followed by the redirect layer), size cap before
 * buffering, digest and size verified after.
 */
import { OcidexError } from '../domain/errors.js';
import { readBody } from './body.js';
import { registryUrl, type OperationContext } from './context.js';
import { isVerifiableDigest, verifyDigest } from './digest.js';
import { errorFromResponse } from './registry-errors.js';
import { repositoryPullScope } from './scope.js';

/** A blob to fetch: its descriptor (size optional), cap and signal. */
export interface BlobRequest {
  digest: string;
  size?: number;
  maxBytes?: number;
  signal?: AbortSignal;
}

/** Fetches and verifies a blob of a (validated) repository. */
export async function getBlob(context: OperationContext, repository: string, blob: BlobRequest): Promise<Uint8Array> {
  if (!isVerifiableDigest(blob.digest)) {
    throw new OcidexError('invalid_reference', `blob digest cannot be verified: ${blob.digest.slice(0, 100)}`);
  }
  const maxBytes = blob.maxBytes ?? context.limits.maxBlobBytes;
  if (blob.size !== undefined && blob.size > maxBytes) {
    throw new OcidexError(
      'size_exceeds_limit',
      `blob ${blob.digest} is ${blob.size} bytes, over the limit of ${maxBytes}`,
    );
  }
  const request = {
    method: 'GET' as const,
    url: registryUrl(context, `/v2/${repository}/blobs/${blob.digest}`),
    operation: 'blob.get' as const,
    scopes: [repositoryPullScope(repository)],
    signal: blob.signal,
  };
  const bytes = await context.send(request, async (response) => {
    // A 404 is `not_found` (BLOB_UNKNOWN), or `name_unknown` when the registry says so.
    if (response.status !== 200) throw await errorFromResponse(response);
    return readBody(response, { maxBytes, what: 'blob' });
  });
  verifyDigest(blob.digest, bytes, `blob ${blob.digest}`);
  if (blob.size !== undefined && bytes.length !== blob.size) {
    throw new OcidexError(
      'digest_mismatch',
      `blob ${blob.digest}: ${bytes.length} bytes, descriptor says ${blob.size}`,
    );
  }
  return bytes;
}
