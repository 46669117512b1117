/**
 * Crash safety of queue mode, on a real Redis and a real docker-registry: `kill -9` the worker
 * process in the middle of a crawl, start a new one, and the crawl completes with nothing lost
 * (the index equals an embedded crawl's) and nothing indexed twice (every document and every
 * tag event once, the run's count of new manifests equal to the documents).
 */
import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { stopProcess, type CapturedProcess } from '../../src/demo/child-process.js';
import type { RunningRegistry } from '../../src/demo/registry-process.js';
import { CRASH_CORPUS, crashRegistry, expectCompleteCrawl, killMidCrawl } from '../support/queue-crash.js';
import { finishedRun, queueCoordinator, startCrashTestWorker } from '../support/queue-crawl.js';
import { startRedis, type RunningRedis } from '../support/redis-process.js';
import { tempIndex, type TempIndex } from '../support/temp-index.js';

const CLI = new URL('../../dist/src/cli.js', import.meta.url).pathname;

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
  [{ registry, reference }, redis] = await Promise.all([crashRegistry(), startRedis()]);
  queued = tempIndex();
}, 120_000);

afterAll(async () => {
  await Promise.all(workers.map((worker) => stopProcess(worker)));
  reference?.cleanup();
  queued?.cleanup();
  await Promise.all([registry?.stop(), redis?.stop()]);
});

describe('kill -9 of a worker in the middle of a crawl', () => {
  it('completes the crawl on a new worker with nothing lost and nothing indexed twice', async () => {
    const registryConfig = { id: 'local', url: registry.host, rateLimit: CRASH_CORPUS.rateLimit };
    const { queues, coordinator } = queueCoordinator(redis.url, queued.index, registryConfig);
    try {
      const first = await startWorker();
      const { crawlId } = await coordinator.start('local', 'api');
      await killMidCrawl(queued.index, first, crawlId);
      await startWorker();
      const run = await finishedRun(queued.index, crawlId, 120_000);
      expectCompleteCrawl(queued.index, run, reference.index);
    } finally {
      await queues.close();
    }
  }, 240_000);
});
