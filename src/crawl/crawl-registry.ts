/**
 * A whole crawl of one registry: catalog (or an explicit repository list) -> repositories ->
 * manifests -> config blobs -> referrers -> index. Records a crawl run with its summary and
 * errors. Only an unreachable registry, failed authentication or an unreadable catalog fails
 * the crawl; every other error is collected per item.
 */
import { emptyCounts, type CrawlCounts, type CrawlSummary } from '../domain/crawl.js';
import { toOcidexError } from '../domain/errors.js';
import type { IndexStore } from '../store/index.js';
import { forEachConcurrent } from './concurrency.js';
import { DEFAULT_LIMITS, type CrawlContext, type CrawlLimits, type RegistryReader } from './context.js';
import { truncateText } from '../registry/index.js';
import { ErrorCollector, MAX_STORED_MESSAGE_CHARS } from './error-collector.js';
import { addOutcome, crawlSummary } from './repository-outcome.js';
import { crawlRepository } from './repository-unit.js';
import { filterRepositories, repositoryFilter } from './repository-filter.js';

/** The registry client a full crawl needs beyond the per-repository reads. */
export interface CrawlClient extends RegistryReader {
  ping(signal?: AbortSignal): Promise<void>;
  catalog(options?: { signal?: AbortSignal }): AsyncIterable<string>;
  readonly stats: { total: number; byOperation: Record<string, number> };
}

export interface CrawlProgress {
  repository: string;
  counts: Readonly<CrawlCounts>;
}

export interface CrawlOptions {
  repositories?: readonly string[];
  include?: readonly string[];
  exclude?: readonly string[];
  limits?: Partial<CrawlLimits>;
  errorCap?: number;
  signal?: AbortSignal;
  /** Called after each repository with the counts so far (a CLI bar, a service's run progress). */
  onRepository?: (progress: CrawlProgress) => void;
  now?: () => string;
  /**
   * A run already recorded (`index.startRun`) by a caller that answers with its id before the
   * crawl starts (the service's coordinator); default: the crawl records its own.
   */
  runId?: number;
}

/** Crawls `client`'s registry into `index`; resolves with the summary (status `failed` on a fatal error). */
export async function crawlRegistry(
  client: CrawlClient,
  index: IndexStore,
  options: CrawlOptions = {},
): Promise<CrawlSummary> {
  const now = options.now ?? (() => new Date().toISOString());
  const started = Date.now();
  const startedAt = now();
  const errors = new ErrorCollector(client.registry, options.errorCap, now);
  const context: CrawlContext = {
    client,
    index,
    errors,
    limits: { ...DEFAULT_LIMITS, ...options.limits },
    signal: options.signal,
    now,
  };
  const runId = options.runId ?? index.startRun(client.registry, runParams(options));
  const counts = emptyCounts();
  const requestsBefore = snapshotRequests(client);
  let fatal: CrawlSummary['fatal'] = null;
  try {
    await client.ping(options.signal);
    client.referrersApi ??= index.getReferrersApi(client.registry);
    await crawlRepositories(context, options, counts, (records) => index.recordErrors(runId, records));
    if (client.referrersApi !== null) index.setReferrersApi(client.registry, client.referrersApi);
  } catch (error) {
    const failure = toOcidexError(error);
    fatal = { code: failure.code, message: truncateText(failure.message, MAX_STORED_MESSAGE_CHARS) };
    errors.add(null, null, failure);
  }
  counts.errors = errors.total;
  const summary = crawlSummary({
    registry: client.registry,
    counts,
    errorsByCode: { ...errors.byCode },
    requests: requestsSince(client, requestsBefore),
    startedAt,
    finishedAt: now(),
    durationMs: Date.now() - started,
    fatal,
  });
  try {
    index.recordErrors(runId, errors.drain());
  } finally {
    // The end is recorded even when the errors could not be (a full index keeps it to retry).
    index.finishRun(runId, summary);
  }
  return summary;
}

async function crawlRepositories(
  context: CrawlContext,
  options: CrawlOptions,
  counts: CrawlCounts,
  storeErrors: (records: ReturnType<ErrorCollector['drain']>) => void,
): Promise<void> {
  const client = context.client as CrawlClient;
  const source = options.repositories?.length ? options.repositories : client.catalog({ signal: options.signal });
  const accept = repositoryFilter(options.include, options.exclude);
  await forEachConcurrent(
    filterRepositories(source, accept),
    context.limits.repositoryConcurrency,
    async (repository) => {
      try {
        addOutcome(counts, await crawlRepository(context, { registry: client.registry, repository }));
      } catch (error) {
        context.errors.add(repository, null, error);
      }
      counts.errors = context.errors.total;
      storeErrors(context.errors.drain());
      options.onRepository?.({ repository, counts });
    },
    options.signal,
  );
}

/** What the run records of its parameters (never credentials). */
export function runParams(options: CrawlOptions): Record<string, unknown> {
  return {
    repositories: options.repositories ?? null,
    include: options.include ?? [],
    exclude: options.exclude ?? [],
  };
}

type RequestCounts = CrawlSummary['requests'];

function snapshotRequests(client: CrawlClient): RequestCounts {
  return { total: client.stats.total, byOperation: { ...client.stats.byOperation } };
}

/** Requests made since `before` (a client may serve several crawls). */
function requestsSince(client: CrawlClient, before: RequestCounts): RequestCounts {
  const byOperation: Record<string, number> = {};
  for (const [operation, count] of Object.entries(client.stats.byOperation)) {
    const made = count - (before.byOperation[operation] ?? 0);
    if (made > 0) byOperation[operation] = made;
  }
  return { total: client.stats.total - before.total, byOperation };
}
