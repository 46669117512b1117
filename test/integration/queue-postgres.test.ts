/**
 * Queue mode on PostgreSQL, on a real Redis, a real docker-registry and a real PostgreSQL: two
 * workers write the index concurrently (no single writer); `kill -9` one in the middle of a
 * crawl and the other completes it with nothing lost (the index equals an embedded crawl's into
 * SQLite) and nothing indexed twice (every document and every tag event once, the run's count of
 * new manifests equal to the documents).
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
import { startPostgres, type RunningPostgres } from '../support/postgres-process.js';
import { tempIndex, type TempIndex } from '../support/temp-index.js';
import { openIndex, type IndexStore } from '../../src/store/index.js';

const CLI = new URL('../../dist/src/cli.js', import.meta.url).pathname;
const REPOSITORIES = 6;
const TAGS = 40;
/** Requests per second to the registry, across workers: slow enough to kill the worker mid-crawl. */
const RATE_LIMIT = 150;

let registry: RunningRegistry;
let redis: RunningRedis;
let postgres: RunningPostgres;
let reference: TempIndex;
let queued: IndexStore;
const workers: CapturedProcess[] = [];

function startWorker(): Promise<CapturedProcess> {
  return startCrashTestWorker(
    ['--roles', 'fetch'],
    { REDIS_URL: redis.url, OCIDEX_DATABASE_URL: postgres.url },
    workers,
  );
}

beforeAll(async () => {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run npm run build first`);
  [registry, redis, postgres] = await Promise.all([
    startRegistry({ storage: 'inmemory' }),
    startRedis(),
    startPostgres(),
  ]);
  const pusher = new Pusher(registry.url);
  await pushBulkModels(pusher, { repositories: REPOSITORIES, tagsPerRepository: TAGS }).finally(() => pusher.close());
  reference = tempIndex();
  queued = openIndex(postgres.url);
  const client = new RegistryClient({ registry: registry.host, dockerConfigPath: null });
  await crawlRegistry(client, reference.index).finally(() => client.close());
}, 120_000);

afterAll(async () => {
  await Promise.all(workers.map((worker) => stopProcess(worker)));
  reference?.cleanup();
  queued?.close();
  await Promise.all([registry?.stop(), redis?.stop(), postgres?.stop()]);
});

describe('two fetch workers writing PostgreSQL, kill -9 of one in the middle of a crawl', () => {
  it('completes the crawl on the other with nothing lost and nothing indexed twice', async () => {
    const { queues, coordinator } = queueCoordinator(redis.url, queued, {
      id: 'local',
      url: registry.host,
      rateLimit: RATE_LIMIT,
    });
    try {
      const [first] = await Promise.all([startWorker(), startWorker()]);
      if (first === undefined) throw new Error('no worker');
      const { crawlId } = await coordinator.start('local', 'api');
      const total = REPOSITORIES * TAGS;
      await waitFor(
        () => queued.countDocuments() >= total / 5,
        () => `no progress: ${first.output()}`,
        60_000,
      );
      first.child.kill('SIGKILL');
      await first.exited;
      const atKill = queued.countDocuments();
      expect(atKill).toBeLessThan(total);
      expect(queued.getRun(crawlId)?.status).toBe('running');

      const run = await finishedRun(queued, crawlId, 120_000);
      expect(run.status).toBe('succeeded');
      expect(queued.listErrors({ runId: crawlId })).toEqual([]);
      expect(queued.countDocuments()).toBe(total);
      expect(logicalIndex(queued)).toEqual(logicalIndex(reference.index));
      expect(run.summary?.counts).toMatchObject({ repositories: REPOSITORIES, manifestsNew: total, tagsAdded: total });
      expect(queued.db.dialect).toBe('postgres');
      const events = queued.db
        .prepare('SELECT count(*) AS events, count(DISTINCT repository_id || tag) AS tags FROM tag_events')
        .get();
      expect(events).toEqual({ events: total, tags: total });
    } finally {
      await queues.close();
    }
  }, 240_000);
});
