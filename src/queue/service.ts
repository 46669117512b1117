/**
 * `ocidex serve` in queue mode (REDIS_URL set): the same HTTP API over the index, but crawls and
 * push events become jobs for `ocidex worker` processes (QueueCoordinator, QueueEventSink) and
 * schedules are BullMQ job schedulers (QueueSchedules). This process writes only what the API
 * itself owns: registry configurations and the record of a started crawl; the index writer
 * worker writes everything a crawl or an event finds.
 */
import { failInterruptedRuns, runOwnerAlive } from '../runtime/interrupted-runs.js';
import { errorField, streamLogger } from '../runtime/logger.js';
import { openQueryPool, openServiceIndex, type BaseServiceOptions } from '../runtime/open-service.js';
import { serviceMetrics, startServiceApi } from '../runtime/service-api.js';
import { runShutdown } from '../runtime/shutdown.js';
import type { IndexStore } from '../store/index.js';
import { QueueCoordinator } from './coordinator.js';
import { QueueEventSink } from './event-sink.js';
import { Queues, type QueueSettings } from './queues.js';
import { QueueSchedules } from './schedules.js';

export type QueueServiceOptions = Omit<BaseServiceOptions, 'env'> & QueueSettings;

export interface RunningQueueService {
  url: string;
  index: IndexStore;
  queues: Queues;
  coordinator: QueueCoordinator;
  schedules: QueueSchedules;
  close(): Promise<boolean>;
}

export async function startQueueService(options: QueueServiceOptions): Promise<RunningQueueService> {
  const logger = options.logger ?? streamLogger();
  const { index, registries } = await openServiceIndex(options, logger);
  const queues = new Queues(options);
  const coordinator = new QueueCoordinator({ index, registries, queues, logger });
  const schedules = new QueueSchedules(queues, logger);
  const stopListening = registries.onChange((change) => {
    schedules
      .set(change.id, change.config?.schedule)
      .catch((error: unknown) => logger.error('schedule not set', { registry: change.id, error: errorField(error) }));
  });
  const queries = openQueryPool(index, options);
  const close = (server?: { close(): Promise<void> }): Promise<boolean> =>
    runShutdown(
      [
        { name: 'close the HTTP server', run: () => server?.close() },
        { name: 'stop the query workers', run: () => queries.close() },
        {
          name: 'stop the schedules',
          run: () => {
            stopListening();
            return schedules.close();
          },
        },
        { name: 'close the queues', run: () => queues.close() },
        { name: 'close the index', run: () => index.close() },
      ],
      logger,
    );
  try {
    // The service's runs (they name a registryId) live as crawl jobs in Redis, whoever recorded
    // them; other runs (a CLI crawl on the same index) as long as their owner process.
    await failInterruptedRuns(
      index,
      async (run) =>
        run.params.registryId === undefined
          ? runOwnerAlive(run)
          : (await coordinator.activeCrawl(String(run.params.registryId))) === run.id,
      logger,
    );
    await schedules.sync(await registries.list());
    await schedules.run(coordinator);
    const metrics = serviceMetrics(index, queries, () => queues.depth(), options);
    const parts = {
      index,
      queries,
      registries,
      crawls: coordinator,
      events: new QueueEventSink(queues, registries, logger),
      metrics,
    };
    const server = await startServiceApi(
      options,
      { ...parts, checks: { redis: () => queues.reachable() } },
      'queue',
      logger,
    );
    let closing: Promise<boolean> | null = null;
    return { url: server.url, index, queues, coordinator, schedules, close: () => (closing ??= close(server)) };
  } catch (error) {
    await close();
    throw error;
  }
}
