/**
 * Narrow views of the client: a function asks for the one it needs, so tests can pass a fake
 * (oras-go `registry.TagLister`, `content.Fetcher`, `registry.ReferrerLister`).
 */
import type { Descriptor, FetchedManifest } from '../domain/oci.js';
import type { ResolvedManifest } from './manifests.js';

/** Lists the repositories of a registry. */
export interface RepositoryLister {
  catalog(options?: { signal?: AbortSignal }): AsyncIterable<string>;
}

/** Lists the tags of a repository. */
export interface TagLister {
  listTags(repository: string, options?: { signal?: AbortSignal }): AsyncIterable<string>;
}

/** Resolves a tag or digest to a descriptor (HEAD). */
export interface ManifestResolver {
  resolveManifest(repository: string, reference: string, signal?: AbortSignal): Promise<ResolvedManifest | null>;
}

/** Fetches a verified manifest. */
export interface ManifestFetcher {
  fetchManifest(repository: string, reference: string, signal?: AbortSignal): Promise<FetchedManifest>;
}

/** Fetches a verified blob. */
export interface BlobFetcher {
  fetchBlob(
    repository: string,
    descriptor: { digest: string; size?: number },
    options?: { maxBytes?: number; signal?: AbortSignal },
  ): Promise<Uint8Array>;
}

/** How to list referrers: by artifact type, and how to read the tag-schema fallback's tag. */
export interface ReferrersOptions {
  artifactType?: string;
  signal?: AbortSignal;
  /** Reads the fallback tag `<alg>-<hex>` (default: a manifest GET by that tag). */
  fetchTag?: (repository: string, tag: string, signal?: AbortSignal) => Promise<FetchedManifest>;
}

/** Lists the referrers of a subject. */
export interface ReferrerLister {
  listReferrers(repository: string, subjectDigest: string, options?: ReferrersOptions): Promise<Descriptor[]>;
}
