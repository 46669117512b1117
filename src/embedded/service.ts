/**
 * The embedded service (`ocidex serve` without REDIS_URL): the HTTP API over one index, crawls
 * in process (EmbeddedCoordinator), schedules from in-process timers (Scheduler), push events
 * applied in the background (EmbeddedEventSink), registries from the config file and the API
 * (IndexRegistryStore). `close()` shuts down in order; see shutdown.ts. On PostgreSQL several
 * services may share the index: each reloads the schedules from it on every lead poll, and only
 * the leader (leadership.ts) fires them.
 */
import type { IndexStore } from '../store/index.js';
import { failInterruptedRuns, runOwnerAlive, sweepInterruptedRuns } from '../runtime/interrupted-runs.js';
import { errorField, streamLogger, type ServiceLogger } from '../runtime/logger.js';
import { openQueryPool, openServiceIndex, type BaseServiceOptions } from '../runtime/open-service.js';
import { ClientPool, type ClientDefaults } from '../runtime/registry-clients.js';
import type { IndexRegistryStore } from '../runtime/registry-store.js';
import { serviceMetrics, startServiceApi } from '../runtime/service-api.js';
import { runShutdown } from '../runtime/shutdown.js';
import type { Timers } from '../runtime/timers.js';
import { EmbeddedCoordinator } from './coordinator.js';
import { EmbeddedEventSink } from './event-sink.js';
import { Leadership } from './leadership.js';
import { Scheduler } from './scheduler.js';

/** How long shutdown waits for aborted crawls to record their end. */
export const CRAWL_STOP_GRACE_MS = 10_000;

/** Options of the embedded service: the shared ones, and its in-process crawls and timers. */
export interface ServiceOptions extends BaseServiceOptions {
  clientDefaults?: ClientDefaults;
  timers?: Timers;
  maxCrawls?: number;
  /** How often a service on PostgreSQL polls the scheduler's lead (default LEAD_POLL_MS). */
  leadPollMs?: number;
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
  /** The scheduler's lead among the services sharing a PostgreSQL index; null on SQLite (always fires). */
  leadership: Leadership | null;
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

async function startParts(
  options: ServiceOptions,
  logger: ServiceLogger,
  index: IndexStore,
  registries: IndexRegistryStore,
): Promise<RunningService> {
  const queries = openQueryPool(index, options);
  // `events` is read at scrape time, after it is made below.
  const metrics = serviceMetrics(index, queries, () => ({ events: events.pending }), options);
  // Every registry request of crawls and events is counted in /metrics, by operation and status.
  const clientDefaults: ClientDefaults = {
    ...options.clientDefaults,
    onOutcome: (operation, status) => metrics.registryRequest(operation, status),
  };
  const clients = new ClientPool(clientDefaults, options.env);
  const events = new EmbeddedEventSink({ index, registries, clients, logger });
  const coordinator = new EmbeddedCoordinator({
    index,
    registries,
    logger,
    metrics,
    env: options.env,
    clientDefaults,
    maxCrawls: options.maxCrawls,
  });
  const leadership: Leadership | null =
    index.db.dialect === 'postgres'
      ? new Leadership({
          index,
          pollMs: options.leadPollMs,
          timers: options.timers,
          logger,
          onPoll: (): Promise<void> => reloadSchedules(registries, scheduler),
        })
      : null;
  const scheduler: Scheduler = new Scheduler((id) => coordinator.start(id, 'schedule'), {
    timers: options.timers,
    logger,
    mayFire: leadership === null ? undefined : () => leadership.check(),
  });
  const stopListening = registries.onChange((change) => {
    try {
      scheduler.set(change.id, change.config?.schedule);
    } catch (error) {
      logger.error('schedule not set', { registry: change.id, error: errorField(error) });
    }
  });
  for (const config of await registries.list()) scheduler.set(config.id, config.schedule);
  leadership?.start();
  const parts = { index, queries, registries, crawls: coordinator, events, metrics };
  const server = await startServiceApi(options, parts, 'embedded', logger).catch(async (error: unknown) => {
    stopListening();
    scheduler.stop();
    leadership?.stop();
    await clients.close();
    await queries.close();
    throw error;
  });
  const sweep = sweepInterruptedRuns(index, runOwnerAlive, logger);
  let closing: Promise<boolean> | null = null;
  const close = (): Promise<boolean> =>
    (closing ??= runShutdown(
      [
        { name: 'close the HTTP server', run: () => server.close() },
        { name: 'stop the query workers', run: () => queries.close() },
        {
          name: 'stop the schedules',
          run: () => {
            stopListening();
            scheduler.stop();
            leadership?.stop();
            sweep.stop();
          },
        },
        { name: 'finish queued push events', run: () => events.close(), timeoutMs: CRAWL_STOP_GRACE_MS },
        { name: 'abort running crawls', run: () => coordinator.close(), timeoutMs: CRAWL_STOP_GRACE_MS },
        { name: 'close registry connections', run: () => clients.close() },
        { name: 'close the index', run: () => index.close() },
      ],
      logger,
    ));
  return { url: server.url, index, registries, coordinator, events, scheduler, leadership, close };
}

/** The schedules as stored in the index, with the changes other processes made. */
async function reloadSchedules(registries: IndexRegistryStore, scheduler: Scheduler): Promise<void> {
  const configs = await registries.list();
  scheduler.setAll(new Map(configs.map((config) => [config.id, config.schedule])));
}
