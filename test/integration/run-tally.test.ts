/**
 * The run tally of queue mode (src/queue/run-tally.ts) on a real redis-server, two connections
 * standing for two workers: a repository is added once however often (or from however many
 * workers) its last step runs, the totals come back as added, and clearing leaves no key.
 */
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { emptyOutcome } from '../../src/crawl/repository-outcome.js';
import { emptyCounts } from '../../src/domain/crawl.js';
import type { RepositoryResult } from '../../src/queue/jobs.js';
import { RedisRunTally } from '../../src/queue/run-tally.js';
import { useRedisPair } from '../support/redis-pair.js';

const redis = useRedisPair();

const requests = { total: 3, byOperation: { tags: 1, 'manifest.get': 2 } };

function result(repository: string, manifestsNew: number, referrersApi: boolean | null = false): RepositoryResult {
  return { repository, outcome: { ...emptyOutcome(), manifestsNew }, error: null, referrersApi, requests };
}

describe('RedisRunTally', () => {
  it('adds each repository once across workers and retries, and reads the totals', async () => {
    const prefix = `test-${randomUUID()}`;
    const [a, b] = [new RedisRunTally(redis.first, prefix), new RedisRunTally(redis.second, prefix)];
    const failure = {
      registry: 'r',
      repository: 'c',
      reference: null,
      code: 'denied' as const,
      message: 'no',
      at: '2026-01-01T00:00:00.000Z',
    };
    await Promise.all([
      a.add(1, 'repository/1/a', result('a', 2)),
      b.add(1, 'repository/1/a', result('a', 2)),
      a.add(1, 'repository/1/b', result('b', 5, null)),
      b.add(1, 'repository/1/c', { ...result('c', 0), outcome: null, error: failure, requests: noRequests() }),
      b.add(2, 'repository/2/a', result('a', 7)),
    ]);
    await a.add(1, 'repository/1/b', result('b', 5, null));
    expect(await b.read(1)).toEqual({
      counts: { ...emptyCounts(), repositories: 2, manifestsNew: 7 },
      requests: { total: 6, byOperation: { tags: 2, 'manifest.get': 4 } },
      referrersApi: false,
      errors: [failure],
    });
    expect((await a.read(2)).counts.manifestsNew).toBe(7);
    await a.clear(1);
    expect(await redis.first.keys(`${prefix}:run-tally:1*`)).toEqual([]);
    expect(await b.read(1)).toEqual({ counts: emptyCounts(), requests: noRequests(), referrersApi: null, errors: [] });
    expect(await redis.first.keys(`${prefix}:run-tally:2*`)).toHaveLength(2);
  });

  it('keeps a tally no finish ever clears for a week at most', async () => {
    const prefix = `test-${randomUUID()}`;
    await new RedisRunTally(redis.first, prefix).add(3, 'repository/3/a', result('a', 1));
    const ttl = await redis.first.ttl(`${prefix}:run-tally:3`);
    expect(ttl).toBeGreaterThan(6 * 24 * 3600);
    expect(ttl).toBeLessThanOrEqual(7 * 24 * 3600);
  });
});

function noRequests() {
  return { total: 0, byOperation: {} };
}
