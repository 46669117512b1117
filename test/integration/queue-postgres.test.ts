/**
 * Queue mode on PostgreSQL, on a real Redis, a real docker-registry and a real PostgreSQL: two
 * workers write the index concurrently (no single writer); `kill -9` one in the middle of a
 * crawl and the other completes it with nothing lost (the index equals an embedded crawl's into
 * SQLite) and nothing indexed twice (every document and every tag event once, the run's count of
 * new manifests equal to the documents).
 */
import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stopProcess, type CapturedProcess } from '../../src/demo/child-process.js';
import type { RunningRegistry } from '../../src/demo/registry-process.js';
import { openIndex, type IndexStore } from '../../src/store/index.js';
import { startPostgres, type RunningPostgres } from '../support/postgres-process.js';
import { CRASH_CORPUS, crashRegistry, expectCompleteCrawl, killMidCrawl } from '../support/queue-crash.js';
import { finishedRun, queueCoordinator, startCrashTestWorker } from '../support/queue-crawl.js';
import { startRedis, type RunningRedis } from '../support/redis-process.js';
import type { TempIndex } from '../support/temp-index.js';

const CLI = new URL('../../dist/src/cli.js', import.meta.url).pathname;

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
  [{ registry, reference }, redis, postgres] = await Promise.all([crashRegistry(), startRedis(), startPostgres()]);
  queued = openIndex(postgres.url);
}, 120_000);

afterAll(async () => {
  await Promise.all(workers.map((worker) => stopProcess(worker)));
  reference?.cleanup();
  queued?.close();
  await Promise.all([registry?.stop(), redis?.stop(), postgres?.stop()]);
});

describe('two fetch workers writing PostgreSQL, kill -9 of one in the middle of a crawl', () => {
  it('completes the crawl on the other with nothing lost and nothing indexed twice', async () => {
    const registryConfig = { id: 'local', url: registry.host, rateLimit: CRASH_CORPUS.rateLimit };
    const { queues, coordinator } = queueCoordinator(redis.url, queued, registryConfig);
    try {
      const [first] = await Promise.all([startWorker(), startWorker()]);
      if (first === undefined) throw new Error('no worker');
      const { crawlId } = await coordinator.start('local', 'api');
      await killMidCrawl(queued, first, crawlId);
      const run = await finishedRun(queued, crawlId, 120_000);
      expect(queued.db.dialect).toBe('postgres');
      expectCompleteCrawl(queued, run, reference.index);
    } finally {
      await queues.close();
    }
  }, 240_000);
});
