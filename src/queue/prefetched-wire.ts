/**
 * Manifests a repository job fetched by tag (a repository the index has never seen, see
 * `isNewRepository`), carried in job payloads to the jobs that use them: a version manifest to
 * its manifest job, the rest (fallback indexes, cosign signatures) to the repository's referrers
 * step, so none of them is fetched again. Bodies travel as base64 (exact bytes, the digest was
 * checked when fetched), bounded per job: past the bound a manifest is fetched again by digest.
 */
import type { FetchedManifest } from '../domain/oci.js';
import { PrefetchedManifests } from '../crawl/prefetched-reader.js';

/** A fetched manifest as plain JSON. */
export interface WireManifest {
  digest: string;
  mediaType: string;
  size: number;
  /** The body, base64. */
  body: string;
}

/** Bytes of manifest bodies one repository job carries at most. */
export const PREFETCH_PAYLOAD_BYTES = 4 * 1024 * 1024;

export function toWire(manifest: FetchedManifest): WireManifest {
  const { digest, mediaType, size, bytes } = manifest;
  return { digest, mediaType, size, body: Buffer.from(bytes).toString('base64') };
}

export function fromWire(wire: WireManifest): FetchedManifest {
  const { digest, mediaType, size, body } = wire;
  return { digest, mediaType, size, bytes: new Uint8Array(Buffer.from(body, 'base64')) };
}

/** The prefetched manifests to carry, up to `limit` bytes of bodies (the rest are dropped). */
export function wirePrefetched(prefetch: PrefetchedManifests, limit = PREFETCH_PAYLOAD_BYTES): WireManifest[] {
  const carried: WireManifest[] = [];
  let bytes = 0;
  for (const manifest of prefetch.list()) {
    bytes += manifest.bytes.byteLength;
    if (bytes > limit) break;
    carried.push(toWire(manifest));
  }
  return carried;
}

/** A prefetch store holding `wire`. */
export function prefetchedFrom(wire: readonly WireManifest[]): PrefetchedManifests {
  const prefetch = new PrefetchedManifests();
  for (const manifest of wire) prefetch.put(fromWire(manifest));
  return prefetch;
}
