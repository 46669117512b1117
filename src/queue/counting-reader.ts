/**
 * A job's view of a shared registry client: the same connections, tokens and rate limit, with
 * the registry operations of this one job counted (the client's own counters mix every job the
 * worker runs at once). A listing counts once however many pages it read.
 */
import type { CrawlClient } from '../crawl/crawl-registry.js';
import type { RegistryReader } from '../crawl/context.js';
import type { ReferrersOptions } from '../registry/index.js';
import type { RequestCounts } from './jobs.js';

export class CountingReader implements RegistryReader {
  readonly requests: RequestCounts = { total: 0, byOperation: {} };
  readonly #client: CrawlClient;

  constructor(client: CrawlClient) {
    this.#client = client;
  }

  get registry(): string {
    return this.#client.registry;
  }

  get referrersApi(): boolean | null {
    return this.#client.referrersApi;
  }

  set referrersApi(value: boolean | null) {
    this.#client.referrersApi = value;
  }

  ping(signal?: AbortSignal): Promise<void> {
    return this.#count('ping', () => this.#client.ping(signal));
  }

  catalog(options?: { signal?: AbortSignal }): AsyncIterable<string> {
    this.#add('catalog');
    return this.#client.catalog(options);
  }

  listTags(repository: string, options?: { signal?: AbortSignal }): AsyncIterable<string> {
    this.#add('tags');
    return this.#client.listTags(repository, options);
  }

  resolveManifest(repository: string, reference: string, signal?: AbortSignal) {
    return this.#count('manifest.head', () => this.#client.resolveManifest(repository, reference, signal));
  }

  fetchManifest(repository: string, reference: string, signal?: AbortSignal) {
    return this.#count('manifest.get', () => this.#client.fetchManifest(repository, reference, signal));
  }

  fetchBlob(repository: string, descriptor: { digest: string; size?: number }, options?: { signal?: AbortSignal }) {
    return this.#count('blob.get', () => this.#client.fetchBlob(repository, descriptor, options));
  }

  listReferrers(repository: string, subjectDigest: string, options?: ReferrersOptions) {
    return this.#count('referrers', () => this.#client.listReferrers(repository, subjectDigest, options));
  }

  #count<T>(operation: string, call: () => Promise<T>): Promise<T> {
    this.#add(operation);
    return call();
  }

  #add(operation: string): void {
    this.requests.total += 1;
    this.requests.byOperation[operation] = (this.requests.byOperation[operation] ?? 0) + 1;
  }
}

/** `a + b`, by operation. */
export function addRequests(a: RequestCounts, b: RequestCounts | undefined): RequestCounts {
  if (b === undefined) return a;
  const byOperation = { ...a.byOperation };
  for (const [operation, count] of Object.entries(b.byOperation))
    byOperation[operation] = (byOperation[operation] ?? 0) + count;
  return { total: a.total + b.total, byOperation };
}
