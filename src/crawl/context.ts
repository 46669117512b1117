/**
 * What the crawl units need from the outside world, as narrow interfaces (oras-go style), so
 * each unit can run in-process now and as a queue job later with the same code.
 */
import type { ArtifactDocument, MountInfo, ReferrerSummary } from '../domain/document.js';
import type { Descriptor, FetchedManifest } from '../domain/oci.js';
import type { SignatureMaterial, TrustPolicy } from '../domain/trust.js';
import type { ReferrerRecord, RepositoryState, SyncInput, SyncResult } from '../store/index.js';
import type { ReferrersOptions } from '../registry/index.js';
import type { ErrorCollector } from './error-collector.js';

/** The registry reads a crawl makes (a RegistryClient satisfies it). */
export interface RegistryReader {
  readonly registry: string;
  referrersApi: boolean | null;
  listTags(repository: string, options?: { signal?: AbortSignal }): AsyncIterable<string>;
  resolveManifest(
    repository: string,
    reference: string,
    signal?: AbortSignal,
  ): Promise<{ digest: string; mediaType: string; size: number } | null>;
  fetchManifest(repository: string, reference: string, signal?: AbortSignal): Promise<FetchedManifest>;
  fetchBlob(
    repository: string,
    descriptor: { digest: string; size?: number },
    options?: { signal?: AbortSignal },
  ): Promise<Uint8Array>;
  listReferrers(repository: string, subjectDigest: string, options?: ReferrersOptions): Promise<Descriptor[]>;
}

/** The index reads and writes a crawl makes (an IndexStore satisfies it). */
export interface IndexWriter {
  getRepositoryState(registry: string, repository: string): RepositoryState;
  hasDocument(registry: string, repository: string, digest: string): boolean;
  /** The stored document's mount, or null when it is not indexed (an index asks for its children's). */
  mountOf(registry: string, repository: string, digest: string): MountInfo | null;
  putDocuments(documents: ArtifactDocument[]): number;
  /** Runs `work` in one write transaction (the writes it makes join it). */
  inBatch<T>(work: () => T): T;
  syncRepository(input: SyncInput): SyncResult;
  /** The summary recorded for a referrer whose manifest was fetched once, or null. */
  knownReferrer(registry: string, repository: string, digest: string): ReferrerSummary | null;
}

/** What storing referrers needs (store-referrers.ts): edges, records, material, policies. */
export interface ReferrerStore {
  setReferrers(
    registry: string,
    repository: string,
    subject: string,
    referrers: ReferrerSummary[],
    records?: ReferrerRecord[],
  ): void;
  referrerMaterial(registry: string, repository: string, digest: string): SignatureMaterial | null;
  trustPolicies(): { hash: string | null; policies: TrustPolicy[] };
}

export interface CrawlLimits {
  /** Manifests fetched at once within one repository. */
  manifestConcurrency: number;
  /** Repositories crawled at once. */
  repositoryConcurrency: number;
  /** Depth of referrers-of-referrers followed. */
  referrerDepth: number;
  /** Children of one image index fetched at most. */
  maxIndexChildren: number;
  /** Documents buffered before they are written. */
  writeBatch: number;
}

export const DEFAULT_LIMITS: CrawlLimits = {
  manifestConcurrency: 8,
  repositoryConcurrency: 4,
  referrerDepth: 3,
  maxIndexChildren: 64,
  writeBatch: 100,
};

export interface CrawlContext {
  client: RegistryReader;
  index: IndexWriter & ReferrerStore;
  errors: ErrorCollector;
  limits: CrawlLimits;
  signal?: AbortSignal;
  now(): string;
}

/**
 * What the fetching units (manifest, referrers, tag resolution) need: no index writes, only
 * whether a digest is known, so a queue's fetch worker can run them without the index.
 */
export type FetchContext = Omit<CrawlContext, 'index'> & {
  index: Pick<IndexWriter, 'hasDocument' | 'mountOf' | 'knownReferrer'>;
};
