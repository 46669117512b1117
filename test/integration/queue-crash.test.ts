/**
 * Crash safety of queue mode, on a real Redis and a real docker-registry: `kill -9` the worker
 * process in the middle of a crawl, start a new one, and the crawl completes with nothing lost
 * (the index equals an embedded crawl's) and nothing indexed twice (every document and every
 * tag event once, the run's count of new manifests equal to the documents).
 */
import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { crawlRegistry } from '../../src/crawl/crawl-registry.js';
import { stopProcess, type CapturedProcess } from '../../src/demo/child-process.js';
import { pushBulkModels } from '../../src/demo/bulk.js';
import { Pusher } from '../../src/demo/pusher.js';
import { startRegistry, type RunningRegistry } from '../../src/demo/registry-process.js';
import { RegistryClient } from '../../src/registry/index.js';
import { logicalIndex } from '../support/logical-index.js';
import { finishedRun, queueCoordinator, startCrashTestWorker, waitFor } from '../support/queue-crawl.js';
import { startRedis, type RunningRedis } from '../support/redis-process.js';
import { tempIndex, type TempIndex } from '../support/temp-index.js';

const CLI = new URL('../../dist/src/cli.js', import.meta.url).pathname;
const REPOSITORIES = 6;
const TAGS = 40;
/** Requests per second to the registry, across workers: slow enough to kill the worker mid-crawl. */
const RATE_LIMIT = 150;

let registry: RunningRegistry;
let redis: RunningRedis;
let reference: TempIndex;
let queued: TempIndex;
const workers: CapturedProcess[] = [];

function startWorker(): Promise<CapturedProcess> {
  return startCrashTestWorker(['--db', queued.path], { REDIS_URL: redis.url }, workers);
}

beforeAll(async () => {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run npm run build first`);
  [registry, redis] = await Promise.all([startRegistry({ storage: 'inmemory' }), startRedis()]);
  const pusher = new Pusher(registry.url);
  await pushBulkModels(pusher, { repositories: REPOSITORIES, tagsPerRepository: TAGS }).finally(() => pusher.close());
  reference = tempIndex();
  queued = tempIndex();
  const client = new RegistryClient({ registry: registry.host, dockerConfigPath: null });
  await crawlRegistry(client, reference.index).finally(() => client.close());
}, 120_000);

afterAll(async () => {
  await Promise.all(workers.map((worker) => stopProcess(worker)));
  reference?.cleanup();
  queued?.cleanup();
  await Promise.all([registry?.stop(), redis?.stop()]);
});

describe('kill -9 of a worker in the middle of a crawl', () => {
  it('completes the crawl on a new worker with nothing lost and nothing indexed twice', async () => {
    const { queues, coordinator } = queueCoordinator(redis.url, queued.index, {
      id: 'local',
      url: registry.host,
      rateLimit: RATE_LIMIT,
    });
    try {
      const first = await startWorker();
      const { crawlId } = await coordinator.start('local', 'api');
      const total = REPOSITORIES * TAGS;
      await waitFor(
        () => queued.index.countDocuments() >= total / 5,
        () => `no progress: ${first.output()}`,
        60_000,
      );
      first.child.kill('SIGKILL');
      await first.exited;
      const atKill = queued.index.countDocuments();
      expect(atKill).toBeLessThan(total);
      expect(queued.index.getRun(crawlId)?.status).toBe('running');

      await startWorker();
      const run = await finishedRun(queued.index, crawlId, 120_000);
      expect(run.status).toBe('succeeded');
      expect(queued.index.listErrors({ runId: crawlId })).toEqual([]);
      expect(queued.index.countDocuments()).toBe(total);
      expect(logicalIndex(queued.index)).toEqual(logicalIndex(reference.index));
      expect(run.summary?.counts).toMatchObject({ repositories: REPOSITORIES, manifestsNew: total, tagsAdded: total });
      const events = queued.index.db
        .prepare('SELECT count(*) AS events, count(DISTINCT repository_id || tag) AS tags FROM tag_events')
        .get();
      expect(events).toEqual({ events: total, tags: total });
    } finally {
      await queues.close();
    }
  }, 240_000);
});
