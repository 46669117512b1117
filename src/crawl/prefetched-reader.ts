/**
 * A repository the index has never seen is read with manifest GETs by tag (the body and its
 * verified digest tell what a HEAD would, and the GET is then not needed again): those manifests
 * are kept here, per repository crawl, and handed out once to the first fetch of their digest.
 */
import type { FetchedManifest } from '../domain/oci.js';
import type { RegistryReader } from './context.js';
import { overrideReader } from './reader-override.js';

/** Manifests fetched by tag, by digest; each is taken at most once (then memory is freed). */
export class PrefetchedManifests {
  readonly #byDigest = new Map<string, FetchedManifest>();

  put(manifest: FetchedManifest): void {
    this.#byDigest.set(manifest.digest, manifest);
  }

  /** The manifests not taken yet (a queue job hands them on to the jobs that take them). */
  list(): FetchedManifest[] {
    return [...this.#byDigest.values()];
  }

  take(digest: string): FetchedManifest | undefined {
    const manifest = this.#byDigest.get(digest);
    this.#byDigest.delete(digest);
    return manifest;
  }
}

/** `client`, except that a manifest fetched by tag is not fetched again by its digest. */
export function prefetchedReader(client: RegistryReader, prefetched: PrefetchedManifests): RegistryReader {
  return overrideReader(client, {
    fetchManifest: (name, reference, signal) => {
      const taken = prefetched.take(reference);
      return taken !== undefined ? Promise.resolve(taken) : client.fetchManifest(name, reference, signal);
    },
  });
}
