/**
 * The embedded service (`ocidex serve` without REDIS_URL): the HTTP API over one index, crawls
 * in process (EmbeddedCoordinator), schedules from in-process timers (Scheduler), push events
 * applied in the background (EmbeddedEventSink), registries from the config file and the API
 * (IndexRegistryStore). `close()` shuts down in order; see shutdown.ts.
 */
import { createApp, createMetrics, startServer, type ApiConfig } from '../api/index.js';
import { openIndex, type IndexStore } from '../index/index.js';
import { QueryPool, queryPoolSettingsFromEnv, type QueryPoolSettings, type SavedQuery } from '../query/index.js';
import { applyTrustPolicies } from '../crawl/trust-update.js';
import { credentialPolicyFromEnv } from '../registry/credential-sources.js';
import { loadConfigFile } from './config-file.js';
import { EmbeddedCoordinator } from './coordinator.js';
import { EmbeddedEventSink } from './event-sink.js';
import { errorField, streamLogger, type ServiceLogger } from './logger.js';
import { ClientPool, type ClientDefaults } from './registry-clients.js';
import { IndexRegistryStore } from './registry-store.js';
import { Scheduler } from './scheduler.js';
import { failInterruptedRuns, runOwnerAlive, sweepInterruptedRuns } from './interrupted-runs.js';
import { runShutdown } from './shutdown.js';
import type { Timers } from './timers.js';

/** How long shutdown waits for aborted crawls to record their end. */
export const CRAWL_STOP_GRACE_MS = 10_000;

export interface ServiceOptions {
  /** The index file (created when missing). */
  db: string;
  /** The config file (`ocidex.yaml`); none: registries come from the index and the API only. */
  configPath?: string;
  port: number;
  host: string;
  api: ApiConfig;
  savedQueries?: SavedQuery[];
  logger?: ServiceLogger;
  /** Where credential variables are read; default process.env. */
  env?: NodeJS.ProcessEnv;
  clientDefaults?: ClientDefaults;
  timers?: Timers;
  maxCrawls?: number;
  /** Export Node.js process metrics too (default true). */
  processMetrics?: boolean;
  /** The query worker pool; default from OCIDEX_QUERY_WORKERS, OCIDEX_QUERY_QUEUE, OCIDEX_QUERY_PER_CLIENT. */
  queryPool?: QueryPoolSettings;
}

/** The query worker pool over the service's index (settings: `options.queryPool`, else the environment). */
export function openQueryPool(index: IndexStore, options: Pick<ServiceOptions, 'queryPool'>): QueryPool {
  return QueryPool.open(index.db, options.queryPool ?? queryPoolSettingsFromEnv(process.env));
}

/** A running service. */
export interface RunningService {
  /** `http://host:port` as bound. */
  url: string;
  index: IndexStore;
  registries: IndexRegistryStore;
  coordinator: EmbeddedCoordinator;
  events: EmbeddedEventSink;
  scheduler: Scheduler;
  /** Shuts down (see shutdown.ts); true when every step succeeded. Safe to call twice. */
  close(): Promise<boolean>;
}

/** Starts the embedded service; a broken config file fails before anything is opened. */
export async function startService(options: ServiceOptions): Promise<RunningService> {
  const logger = options.logger ?? streamLogger();
  const { index, registries } = await openServiceIndex(options, logger);
  try {
    // A run still `running` whose owner is gone was cut short; a live CLI crawl's run is left alone.
    await failInterruptedRuns(index, runOwnerAlive, logger);
    return await startParts(options, logger, index, registries);
  } catch (error) {
    index.close();
    throw error;
  }
}

/**
 * The config file read (a broken one fails before anything is opened), the index opened and the
 * file's registries stored in it: the start of both modes.
 */
export async function openServiceIndex(
  options: Pick<ServiceOptions, 'db' | 'configPath' | 'env'>,
  logger: ServiceLogger,
): Promise<{ index: IndexStore; registries: IndexRegistryStore }> {
  const policy = credentialPolicyFromEnv(options.env ?? process.env);
  const file = options.configPath === undefined ? null : await loadConfigFile(options.configPath, policy);
  const index = openIndex(options.db);
  try {
    const registries = new IndexRegistryStore(index);
    if (file !== null) {
      const { upserted, removed } = registries.syncFile(file.registries);
      logger.info('registries loaded', { file: file.path, upserted, removed });
    }
    if (file?.trust) {
      // A changed policy set re-verifies every stored signature before the API answers.
      const update = applyTrustPolicies(index, file.trust);
      logger.info('trust policies loaded', { policies: file.trust.length, changed: update.changed, reverified: update.subjects });
    }
    return { index, registries };
  } catch (error) {
    index.close();
    throw error;
  }
}

async function startParts(options: ServiceOptions, logger: ServiceLogger, index: IndexStore, registries: IndexRegistryStore): Promise<RunningService> {
  const queries = openQueryPool(index, options);
  // `events` is read at scrape time, after it is made below.
  const metrics = createMetrics({
    documents: () => index.countDocuments(),
    queueDepth: () => ({ events: events.pending }),
    queryPool: () => queries.stats,
    processMetrics: options.processMetrics ?? true,
  });
  // Every registry request of crawls and events is counted in /metrics, by operation and status.
  const clientDefaults: ClientDefaults = { ...options.clientDefaults, onOutcome: (operation, status) => metrics.registryRequest(operation, status) };
  const clients = new ClientPool(clientDefaults, options.env);
  const events = new EmbeddedEventSink({ index, registries, clients, logger });
  const coordinator = new EmbeddedCoordinator({
    index, registries, logger, metrics, env: options.env, clientDefaults, maxCrawls: options.maxCrawls,
  });
  const scheduler = new Scheduler((id) => coordinator.start(id, 'schedule'), { timers: options.timers, logger });
  const stopListening = registries.onChange((change) => {
    try {
      scheduler.set(change.id, change.config?.schedule);
    } catch (error) {
      logger.error('schedule not set', { registry: change.id, error: errorField(error) });
    }
  });
  for (const config of await registries.list()) scheduler.set(config.id, config.schedule);
  const app = createApp({
    index, registries, crawls: coordinator, events, metrics, config: options.api,
    queries,
    savedQueries: options.savedQueries ?? [],
    readiness: async () => {
      const writable = index.writable();
      return { ok: writable, checks: { index: index.db.open, indexWritable: writable } };
    },
  });
  const server = await startServer(app, { port: options.port, host: options.host }).catch(async (error: unknown) => {
    stopListening();
    scheduler.stop();
    await clients.close();
    await queries.close();
    throw error;
  });
  logger.info('listening', { url: server.url, mode: 'embedded' });
  const sweep = sweepInterruptedRuns(index, runOwnerAlive, logger);
  let closing: Promise<boolean> | null = null;
  const close = (): Promise<boolean> =>
    (closing ??= runShutdown([
      { name: 'close the HTTP server', run: () => server.close() },
      { name: 'stop the query workers', run: () => queries.close() },
      { name: 'stop the schedules', run: () => { stopListening(); scheduler.stop(); sweep.stop(); } },
      { name: 'finish queued push events', run: () => events.close(), timeoutMs: CRAWL_STOP_GRACE_MS },
      { name: 'abort running crawls', run: () => coordinator.close(), timeoutMs: CRAWL_STOP_GRACE_MS },
      { name: 'close registry connections', run: () => clients.close() },
      { name: 'close the index', run: () => index.close() },
    ], logger));
  return { url: server.url, index, registries, coordinator, events, scheduler, close };
}
