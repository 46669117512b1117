/**
 * The HTTP side both modes of `ocidex serve` build the same way: metrics over the index and the
 * query pool, the app over the mode's ports (coordinator, event sink), readiness of the index plus
 * whatever else the mode depends on (Redis), and the server listening. Only the ports differ.
 */
import {
  createApp,
  createMetrics,
  startServer,
  type CrawlCoordinator,
  type Metrics,
  type MetricsSources,
  type PushEventSink,
  type RegistryConfigStore,
  type RunningServer,
} from '../api/index.js';
import type { IndexStore } from '../store/index.js';
import type { QueryPool } from '../query/index.js';
import type { ServiceLogger } from './logger.js';
import type { BaseServiceOptions } from './open-service.js';

/** Metrics of a service over `index` and `queries`; `queueDepth` is read at scrape time. */
export function serviceMetrics(
  index: IndexStore,
  queries: QueryPool,
  queueDepth: NonNullable<MetricsSources['queueDepth']>,
  options: Pick<BaseServiceOptions, 'processMetrics'>,
): Metrics {
  return createMetrics({
    documents: () => index.countDocuments(),
    queueDepth,
    queryPool: () => queries.stats,
    processMetrics: options.processMetrics ?? true,
  });
}

/** What a mode hands the API: the index and query pool, its ports, its metrics. */
export interface ServiceApiParts {
  index: IndexStore;
  queries: QueryPool;
  registries: RegistryConfigStore;
  crawls: CrawlCoordinator;
  events: PushEventSink;
  metrics: Metrics;
  /** Readiness checks besides the index's (queue mode: `redis`); ready when all are true. */
  checks?: Record<string, () => Promise<boolean>>;
}

/** Builds the app over `parts` and starts listening; logs `listening` with the mode. */
export async function startServiceApi(
  options: Pick<BaseServiceOptions, 'api' | 'savedQueries' | 'port' | 'host'>,
  parts: ServiceApiParts,
  mode: 'embedded' | 'queue',
  logger: ServiceLogger,
): Promise<RunningServer> {
  const { index, checks = {} } = parts;
  const app = createApp({
    index,
    registries: parts.registries,
    crawls: parts.crawls,
    events: parts.events,
    metrics: parts.metrics,
    config: options.api,
    queries: parts.queries,
    savedQueries: options.savedQueries ?? [],
    readiness: async () => {
      const writable = index.writable();
      const results: Record<string, boolean> = { index: index.db.open, indexWritable: writable };
      for (const [name, check] of Object.entries(checks)) results[name] = await check();
      return { ok: writable && Object.keys(checks).every((name) => results[name]), checks: results };
    },
  });
  const server = await startServer(app, { port: options.port, host: options.host });
  logger.info('listening', { url: server.url, mode });
  return server;
}
