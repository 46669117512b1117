/**
 * A repository's sync in chunks on a real Redis and a real docker-registry: with a chunk of at
 * most two documents, queue mode builds the same index with the same counts as the embedded
 * crawl, and a recrawl finds every repository unchanged (the fingerprints were saved whole).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { crawlRegistry } from '../../src/crawl/crawl-registry.js';
import { Pusher } from '../../src/demo/pusher.js';
import { startRegistry, type RunningRegistry } from '../../src/demo/registry-process.js';
import { pushBulkModels } from '../../src/demo/bulk.js';
import type { Queues } from '../../src/queue/queues.js';
import type { QueueCoordinator } from '../../src/queue/coordinator.js';
import { RegistryClient } from '../../src/registry/index.js';
import { silentLogger } from '../../src/runtime/logger.js';
import { startWorkers, type RunningWorkers } from '../../src/queue/workers/main.js';
import { logicalIndex } from '../support/logical-index.js';
import { finishedRun, queueCoordinator } from '../support/queue-crawl.js';
import { startRedis, type RunningRedis } from '../support/redis-process.js';
import { tempIndex, type TempIndex } from '../support/temp-index.js';

let registry: RunningRegistry;
let redis: RunningRedis;
let embedded: TempIndex;
let queued: TempIndex;
let workers: RunningWorkers;
let queues: Queues;
let coordinator: QueueCoordinator;

beforeAll(async () => {
  [registry, redis] = await Promise.all([startRegistry(), startRedis()]);
  const pusher = new Pusher(registry.url);
  await pushBulkModels(pusher, { repositories: 2, tagsPerRepository: 5, concurrency: 4 }).finally(() => pusher.close());
  embedded = tempIndex();
  queued = tempIndex();
  workers = await startWorkers({
    redisUrl: redis.url,
    db: queued.path,
    roles: ['fetch', 'write'],
    logger: silentLogger,
    clientDefaults: { dockerConfigPath: null },
    syncChunk: { bytes: 1 << 20, documents: 2 },
  });
  ({ queues, coordinator } = queueCoordinator(redis.url, queued.index, { id: 'local', url: registry.host }));
}, 60_000);

afterAll(async () => {
  await workers?.close();
  await queues?.close();
  embedded?.cleanup();
  queued?.cleanup();
  await Promise.all([registry?.stop(), redis?.stop()]);
});

async function crawlQueued() {
  const { crawlId } = await coordinator.start('local', 'api');
  return finishedRun(queued.index, crawlId);
}

describe('a queue crawl with its syncs in chunks of two documents', () => {
  it('builds the same index with the same counts as the embedded crawl', async () => {
    const client = new RegistryClient({ registry: registry.host, dockerConfigPath: null });
    const reference = await crawlRegistry(client, embedded.index).finally(() => client.close());
    const run = await crawlQueued();
    expect(run.summary?.counts).toEqual(reference.counts);
    expect(run.summary?.counts.manifestsNew).toBe(10);
    expect(logicalIndex(queued.index)).toEqual(logicalIndex(embedded.index));
  });

  it('saved whole fingerprints: a recrawl finds every repository unchanged', async () => {
    const run = await crawlQueued();
    expect(run.summary?.counts).toMatchObject({ repositoriesUnchanged: 2, manifestsNew: 0 });
  });
});
