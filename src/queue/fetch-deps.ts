/**
 * What fetch workers share, and the crawl context one job runs the crawl units with. A fetch
 * job reads no index: its context answers "not indexed" for every digest (the write drops what
 * the index already has) and it writes through `writes` (writes.ts: write jobs, or on
 * PostgreSQL the worker's own connection).
 */
import type { RegistryConfig } from '../domain/registry.js';
import type { ReferrerSummary } from '../domain/document.js';
import type { CrawlLimits, FetchContext } from '../crawl/context.js';
import type { CrawlClient } from '../crawl/crawl-registry.js';
import { ErrorCollector } from '../crawl/error-collector.js';
import { CountingReader } from './counting-reader.js';
import type { CrawlScope } from './jobs.js';
import type { Queues } from './queues.js';
import type { RunTally } from './run-tally.js';
import type { Writes } from './writes.js';
import type { SyncChunkLimits } from './sync-chunks.js';

export interface FetchDeps {
  queues: Queues;
  /** Where the job's writes go (write jobs, or run here on PostgreSQL). */
  writes: Writes;
  /** Where a crawl's repositories are added up as they finish (run-tally.ts). */
  tally: RunTally;
  /** The worker's long-lived client of a registry (keep-alive, tokens, shared rate limit). */
  clients: { get(config: RegistryConfig): CrawlClient };
  limits: CrawlLimits;
  /** How a repository's sync is cut into write jobs (default SYNC_CHUNK). */
  syncChunk?: SyncChunkLimits;
  /** Aborted when the worker shuts down. */
  signal: AbortSignal;
}

/**
 * The reader (counting this job's requests) and crawl context of one job; `knownReferrers` are
 * the referrers the index recorded (from the writer's plan), which are not fetched again.
 */
export function jobContext(
  deps: FetchDeps,
  scope: CrawlScope,
  knownReferrers: ReadonlyArray<[string, ReferrerSummary]> = [],
): { reader: CountingReader; context: FetchContext } {
  const known = new Map(knownReferrers);
  const client = deps.clients.get(scope.config);
  client.referrersApi ??= scope.referrersApi;
  const reader = new CountingReader(client);
  const context: FetchContext = {
    client: reader,
    index: {
      hasDocument: () => false,
      mountOf: () => null,
      knownReferrer: (_registry, _repository, digest) => known.get(digest) ?? null,
    },
    errors: new ErrorCollector(scope.registry),
    limits: deps.limits,
    signal: deps.signal,
    now: () => new Date().toISOString(),
  };
  return { reader, context };
}
