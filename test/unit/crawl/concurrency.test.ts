import { describe, expect, it } from 'vitest';
import { forEachConcurrent } from '../../../src/crawl/concurrency.js';
import { repositoryFilter } from '../../../src/crawl/repository-filter.js';
import { repositoryFingerprint } from '../../../src/crawl/fingerprint.js';

describe('forEachConcurrent', () => {
  it('pulls a paged source lazily, never far ahead of the workers', async () => {
    let produced = 0;
    let aheadMax = 0;
    let done = 0;
    async function* catalog() {
      for (let i = 0; i < 50; i += 1) {
        produced += 1;
        yield `repo-${i}`;
      }
    }
    await forEachConcurrent(catalog(), 3, async () => {
      aheadMax = Math.max(aheadMax, produced - done);
      await new Promise((resolve) => setTimeout(resolve, 1));
      done += 1;
    });
    expect(done).toBe(50);
    expect(aheadMax).toBeLessThanOrEqual(3);
  });

  it('keeps at most `limit` workers in flight', async () => {
    let inFlight = 0;
    let peak = 0;
    await forEachConcurrent(
      Array.from({ length: 20 }, (_, i) => i),
      4,
      async () => {
        inFlight += 1;
        peak = Math.max(peak, inFlight);
        await new Promise((resolve) => setTimeout(resolve, 2));
        inFlight -= 1;
      },
    );
    expect(peak).toBe(4);
  });

  it('stops taking items after a worker throws, and rethrows', async () => {
    const seen: number[] = [];
    const run = forEachConcurrent([1, 2, 3, 4, 5, 6], 1, async (item) => {
      seen.push(item);
      if (item === 2) throw new Error('boom');
    });
    await expect(run).rejects.toThrow('boom');
    expect(seen).toEqual([1, 2]);
  });
});

describe('repositoryFilter', () => {
  it('includes by any include glob and drops any excluded name', () => {
    const accept = repositoryFilter(['models/**', 'llm/*'], ['**/tmp-*']);
    expect(['models/a', 'models/x/tmp-1', 'llm/b', 'llm/b/c', 'images/x'].filter(accept)).toEqual([
      'models/a',
      'llm/b',
    ]);
    expect(repositoryFilter()('anything/at/all')).toBe(true);
  });
});

describe('repositoryFingerprint', () => {
  it('depends on tags and digests, not on their order', () => {
    const a = repositoryFingerprint(
      new Map([
        ['v1', 'sha256:1'],
        ['v2', 'sha256:2'],
      ]),
    );
    expect(
      repositoryFingerprint(
        new Map([
          ['v2', 'sha256:2'],
          ['v1', 'sha256:1'],
        ]),
      ),
    ).toBe(a);
    expect(
      repositoryFingerprint(
        new Map([
          ['v1', 'sha256:2'],
          ['v2', 'sha256:1'],
        ]),
      ),
    ).not.toBe(a);
    expect(repositoryFingerprint(new Map([['v1', 'sha256:1']]))).not.toBe(a);
  });
});
