/**
 * A queue-mode suite on a real Redis and a real docker-registry: the registry holds what `push`
 * pushed, workers (fetch and write roles) crawl into one temp index through BullMQ, and an
 * embedded crawl into another gives the reference to compare with.
 */
import { afterAll, beforeAll } from 'vitest';
import { crawlRegistry } from '../../src/crawl/crawl-registry.js';
import { Pusher } from '../../src/demo/pusher.js';
import { startRegistry, type RunningRegistry } from '../../src/demo/registry-process.js';
import type { CrawlSummary } from '../../src/domain/crawl.js';
import type { QueueCoordinator } from '../../src/queue/coordinator.js';
import type { Queues } from '../../src/queue/queues.js';
import { startWorkers, type RunningWorkers, type WorkerOptions } from '../../src/queue/workers/main.js';
import { RegistryClient } from '../../src/registry/index.js';
import { silentLogger } from '../../src/runtime/logger.js';
import type { CrawlRunRecord } from '../../src/store/index.js';
import { finishedRun, queueCoordinator } from './queue-crawl.js';
import { startRedis, type RunningRedis } from './redis-process.js';
import { tempIndex, type TempIndex } from './temp-index.js';

/** What a suite's tests use; set in its beforeAll. */
export interface QueueCrawlSuite<T> {
  registry: RunningRegistry;
  redis: RunningRedis;
  /** Open until the suite ends (a test may push more). */
  pusher: Pusher;
  /** What `push` answered. */
  pushed: T;
  /** The embedded crawl's index, empty until `crawlEmbedded`. */
  embedded: TempIndex;
  /** The workers' index. */
  queued: TempIndex;
  queues: Queues;
  coordinator: QueueCoordinator;
  /** Starts a crawl of the registry (id `local`) through the queues and waits for its run. */
  crawlQueued(): Promise<CrawlRunRecord>;
  /** Crawls the registry into `embedded`, in this process. */
  crawlEmbedded(): Promise<CrawlSummary>;
}

/** Registers the suite's setup and teardown; `workerOptions` are added to the workers' defaults. */
export function useQueueCrawl<T>(
  push: (pusher: Pusher) => Promise<T>,
  workerOptions: Partial<WorkerOptions> = {},
): QueueCrawlSuite<T> {
  const suite = {} as QueueCrawlSuite<T>;
  let workers: RunningWorkers | undefined;
  beforeAll(async () => {
    [suite.registry, suite.redis] = await Promise.all([startRegistry(), startRedis()]);
    suite.pusher = new Pusher(suite.registry.url);
    suite.pushed = await push(suite.pusher);
    suite.embedded = tempIndex();
    suite.queued = tempIndex();
    workers = await startWorkers({
      redisUrl: suite.redis.url,
      db: suite.queued.path,
      roles: ['fetch', 'write'],
      logger: silentLogger,
      clientDefaults: { dockerConfigPath: null },
      ...workerOptions,
    });
    const registry = { id: 'local', url: suite.registry.host };
    Object.assign(suite, queueCoordinator(suite.redis.url, suite.queued.index, registry));
  }, 60_000);
  afterAll(async () => {
    await workers?.close();
    await suite.queues?.close();
    suite.embedded?.cleanup();
    suite.queued?.cleanup();
    await suite.pusher?.close();
    await Promise.all([suite.registry?.stop(), suite.redis?.stop()]);
  });
  suite.crawlQueued = async () => {
    const { crawlId } = await suite.coordinator.start('local', 'api');
    return finishedRun(suite.queued.index, crawlId);
  };
  suite.crawlEmbedded = () => {
    const client = new RegistryClient({ registry: suite.registry.host, dockerConfigPath: null });
    return crawlRegistry(client, suite.embedded.index).finally(() => client.close());
  };
  return suite;
}
