/**
 * Queue mode on a real Redis and a real docker-registry: a crawl through BullMQ workers (fetch
 * jobs and one index writer) builds the same index as the embedded crawl, a recrawl fetches
 * nothing, and a new push is found by the next crawl.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { crawlRegistry } from '../../src/crawl/crawl-registry.js';
import { Pusher } from '../../src/demo/pusher.js';
import { startRegistry, type RunningRegistry } from '../../src/demo/registry-process.js';
import { pushSampleSet, type SampleSetInfo } from '../../src/demo/sample-set.js';
import { omlmdArtifact, pushArtifact } from '../../src/demo/samples.js';
import { documentReference } from '../../src/domain/document.js';
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
let pusher: Pusher;
let samples: SampleSetInfo;
let embedded: TempIndex;
let queued: TempIndex;
let workers: RunningWorkers;
let queues: Queues;
let coordinator: QueueCoordinator;

beforeAll(async () => {
  [registry, redis] = await Promise.all([startRegistry(), startRedis()]);
  pusher = new Pusher(registry.url);
  samples = await pushSampleSet(pusher);
  embedded = tempIndex();
  queued = tempIndex();
  workers = await startWorkers({
    redisUrl: redis.url,
    db: queued.path,
    roles: ['fetch', 'write'],
    logger: silentLogger,
    clientDefaults: { dockerConfigPath: null, retry: { maxAttempts: 2, minDelayMs: 10 } },
  });
  ({ queues, coordinator } = queueCoordinator(redis.url, queued.index, { id: 'local', url: registry.host }));
}, 60_000);

afterAll(async () => {
  await workers?.close();
  await queues?.close();
  embedded?.cleanup();
  queued?.cleanup();
  await pusher?.close();
  await Promise.all([registry?.stop(), redis?.stop()]);
});

async function crawlQueued() {
  const { crawlId } = await coordinator.start('local', 'api');
  return finishedRun(queued.index, crawlId);
}

describe('a crawl through queue workers', () => {
  it('builds the same index as the embedded crawl, with the same counts', async () => {
    const client = new RegistryClient({ registry: registry.host, dockerConfigPath: null });
    const reference = await crawlRegistry(client, embedded.index).finally(() => client.close());
    const run = await crawlQueued();
    expect(run.status).toBe('succeeded');
    expect(logicalIndex(queued.index)).toEqual(logicalIndex(embedded.index));
    expect(run.summary?.counts).toEqual(reference.counts);
    expect(run.summary?.counts.manifestsNew).toBe(queued.index.countDocuments());
    expect(run.summary?.errorsByCode).toEqual(reference.errorsByCode);
    expect(
      queued.index
        .listErrors({ runId: run.id })
        .map((error) => error.code)
        .sort(),
    ).toEqual(
      embedded.index
        .listErrors({})
        .map((error) => error.code)
        .sort(),
    );
    expect(queued.index.getReferrersApi(registry.host)).toBe(false);
    // Queue mode counts registry operations per job. Both modes read these new repositories by
    // GET per tag (the writer tells the fetch worker the repository is new): no HEAD, and no
    // manifest fetched twice. The embedded crawl stores a batch's referrers before listing the
    // other subjects' (a referrer listed twice is fetched once): it may need fewer blob GETs.
    expect(run.summary?.requests.byOperation['blob.get']).toBeGreaterThanOrEqual(
      reference.requests.byOperation['blob.get']!,
    );
    expect(reference.requests.byOperation['manifest.head'] ?? 0).toBe(0);
    expect(run.summary?.requests.byOperation['manifest.head'] ?? 0).toBe(0);
    expect(run.summary?.requests.byOperation['manifest.get']).toBe(reference.requests.byOperation['manifest.get']);
  });

  it("answers the running crawl's id when the registry is started again", async () => {
    const first = await coordinator.start('local', 'api');
    const second = await coordinator.start('local', 'schedule');
    expect(second.crawlId).toBe(first.crawlId);
    await finishedRun(queued.index, first.crawlId);
  });

  it('fetches nothing on a recrawl of an unchanged registry and changes no row', async () => {
    const before = logicalIndex(queued.index);
    const run = await crawlQueued();
    expect(run.summary?.counts).toMatchObject({ manifestsNew: 0, repositoriesUnchanged: samples.repositories.length });
    expect(run.summary?.requests.byOperation['manifest.get'] ?? 0).toBe(0);
    expect(run.summary?.requests.byOperation['blob.get'] ?? 0).toBe(0);
    expect(logicalIndex(queued.index)).toEqual(before);
  });

  it('indexes a model pushed since, and only that one', async () => {
    const pushed = await pushArtifact(
      pusher,
      'models/late-arrival',
      omlmdArtifact({
        metadata: { name: 'late-arrival', customProperties: { accuracy: 0.97, license: 'MIT' } },
      }),
      'v1',
    );
    const run = await crawlQueued();
    expect(run.summary?.counts.manifestsNew).toBe(1);
    const document = queued.index.getDocument(documentReference(registry.host, 'models/late-arrival', pushed.digest));
    expect(document).toMatchObject({ tags: ['v1'], model: { license: 'MIT' } });
  });

  it('reports an unknown registry id as not_found without queuing anything', async () => {
    await expect(coordinator.start('nope', 'api')).rejects.toMatchObject({ code: 'not_found' });
    expect(await queues.crawl.count()).toBe(0);
  });
});
