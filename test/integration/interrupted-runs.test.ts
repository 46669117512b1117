/**
 * Runs left `running` by a dead process are marked failed when the service starts: those whose
 * owner process is gone, and in queue mode only those whose crawl job is gone from Redis too.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { emptyCounts } from '../../src/domain/crawl.js';
import { jobId } from '../../src/queue/jobs.js';
import { Queues } from '../../src/queue/queues.js';
import { startQueueService } from '../../src/queue/service.js';
import { startService } from '../../src/embedded/index.js';
import { silentLogger } from '../../src/runtime/index.js';
import { testPoolSettings } from '../support/query-pool.js';
import { startRedis, type RunningRedis } from '../support/redis-process.js';
import { deadOwner, liveOwner, setRunOwner } from '../support/run-owners.js';
import { tempIndex, type TempIndex } from '../support/temp-index.js';

const SERVICE = {
  port: 0,
  host: '127.0.0.1',
  logger: silentLogger,
  processMetrics: false,
  api: {},
  queryPool: testPoolSettings(),
};
let temp: TempIndex | undefined;
let redis: RunningRedis | undefined;

afterEach(async () => {
  temp?.cleanup();
  await redis?.stop();
  temp = redis = undefined;
});

/** An index holding one running run per registry id, with some progress. */
function indexWithRunningRuns(...registryIds: string[]): { path: string; runs: number[] } {
  temp = tempIndex();
  const runs = registryIds.map((registryId) => {
    const run = temp!.index.startRun(`${registryId}.example`, { registryId, trigger: 'api' });
    temp!.index.updateRunProgress(run, { ...emptyCounts(), repositories: 3, manifestsNew: 7 });
    setRunOwner(temp!.index, run, deadOwner());
    return run;
  });
  return { path: temp.path, runs };
}

describe('crawls interrupted by a dead process', () => {
  it('are marked failed, keeping their counts, when the embedded service starts', async () => {
    const {
      path,
      runs: [run],
    } = indexWithRunningRuns('gone');
    const service = await startService({ ...SERVICE, db: path });
    try {
      const record = service.index.getRun(run!);
      expect(record).toMatchObject({
        status: 'failed',
        summary: { fatal: { code: 'aborted' }, counts: { repositories: 3, manifestsNew: 7 } },
      });
    } finally {
      await service.close();
    }
  });

  it('regression: a serve starting beside a live CLI crawl marked its run aborted; only a gone owner is', async () => {
    const {
      path,
      runs: [live, dead],
    } = indexWithRunningRuns('live', 'dead');
    const cli = liveOwner();
    try {
      setRunOwner(temp!.index, live!, cli.owner);
      const service = await startService({ ...SERVICE, db: path });
      try {
        expect(service.index.getRun(live!)?.status).toBe('running');
        expect(service.index.getRun(dead!)).toMatchObject({
          status: 'failed',
          summary: { fatal: { code: 'aborted' } },
        });
      } finally {
        await service.close();
      }
      await cli.kill();
      const restarted = await startService({ ...SERVICE, db: path });
      try {
        expect(restarted.index.getRun(live!)).toMatchObject({
          status: 'failed',
          summary: { fatal: { code: 'aborted' } },
        });
      } finally {
        await restarted.close();
      }
    } finally {
      await cli.kill();
    }
  });

  it('in queue mode, only those whose crawl job is gone', async () => {
    const {
      path,
      runs: [queued, gone],
    } = indexWithRunningRuns('queued', 'gone');
    redis = await startRedis();
    const queues = new Queues({ redisUrl: redis.url });
    await queues.crawl.add('crawl', { runId: queued } as never, { jobId: jobId('crawl', 'queued') });
    await queues.close();
    const service = await startQueueService({ ...SERVICE, db: path, redisUrl: redis.url });
    try {
      expect(service.index.getRun(queued!)?.status).toBe('running');
      expect(service.index.getRun(gone!)).toMatchObject({ status: 'failed', summary: { fatal: { code: 'aborted' } } });
    } finally {
      await service.close();
    }
  });
});
