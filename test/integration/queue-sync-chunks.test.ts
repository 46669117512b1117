/**
 * A repository's sync in chunks on a real Redis and a real docker-registry: with a chunk of at
 * most two documents, queue mode builds the same index with the same counts as the embedded
 * crawl, and a recrawl finds every repository unchanged (the fingerprints were saved whole).
 */
import { describe, expect, it } from 'vitest';
import { pushBulkModels } from '../../src/demo/bulk.js';
import { logicalIndex } from '../support/logical-index.js';
import { useQueueCrawl } from '../support/queue-crawl-suite.js';

const suite = useQueueCrawl(
  (pusher) => pushBulkModels(pusher, { repositories: 2, tagsPerRepository: 5, concurrency: 4 }),
  {
    syncChunk: { bytes: 1 << 20, documents: 2 },
  },
);

describe('a queue crawl with its syncs in chunks of two documents', () => {
  it('builds the same index with the same counts as the embedded crawl', async () => {
    const reference = await suite.crawlEmbedded();
    const run = await suite.crawlQueued();
    expect(run.summary?.counts).toEqual(reference.counts);
    expect(run.summary?.counts.manifestsNew).toBe(10);
    expect(logicalIndex(suite.queued.index)).toEqual(logicalIndex(suite.embedded.index));
  });

  it('saved whole fingerprints: a recrawl finds every repository unchanged', async () => {
    const run = await suite.crawlQueued();
    expect(run.summary?.counts).toMatchObject({ repositoriesUnchanged: 2, manifestsNew: 0 });
  });
});
