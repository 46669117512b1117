/**
 * Queue mode on a real Redis and a real docker-registry: a crawl through BullMQ workers (fetch
 * jobs and one index writer) builds the same index as the embedded crawl, a recrawl fetches
 * nothing, and a new push is found by the next crawl.
 */
import { describe, expect, it } from 'vitest';
import { pushSampleSet } from '../../src/demo/sample-set.js';
import { omlmdArtifact, pushArtifact } from '../../src/demo/samples.js';
import { documentReference } from '../../src/domain/document.js';
import { logicalIndex } from '../support/logical-index.js';
import { finishedRun } from '../support/queue-crawl.js';
import { useQueueCrawl } from '../support/queue-crawl-suite.js';

const suite = useQueueCrawl(pushSampleSet, {
  clientDefaults: { dockerConfigPath: null, retry: { maxAttempts: 2, minDelayMs: 10 } },
});

describe('a crawl through queue workers', () => {
  it('builds the same index as the embedded crawl, with the same counts', async () => {
    const { embedded, queued, registry } = suite;
    const reference = await suite.crawlEmbedded();
    const run = await suite.crawlQueued();
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
    const first = await suite.coordinator.start('local', 'api');
    const second = await suite.coordinator.start('local', 'schedule');
    expect(second.crawlId).toBe(first.crawlId);
    await finishedRun(suite.queued.index, first.crawlId);
  });

  it('fetches nothing on a recrawl of an unchanged registry and changes no row', async () => {
    const before = logicalIndex(suite.queued.index);
    const run = await suite.crawlQueued();
    const repositories = suite.pushed.repositories.length;
    expect(run.summary?.counts).toMatchObject({ manifestsNew: 0, repositoriesUnchanged: repositories });
    expect(run.summary?.requests.byOperation['manifest.get'] ?? 0).toBe(0);
    expect(run.summary?.requests.byOperation['blob.get'] ?? 0).toBe(0);
    expect(logicalIndex(suite.queued.index)).toEqual(before);
  });

  it('indexes a model pushed since, and only that one', async () => {
    const pushed = await pushArtifact(
      suite.pusher,
      'models/late-arrival',
      omlmdArtifact({
        metadata: { name: 'late-arrival', customProperties: { accuracy: 0.97, license: 'MIT' } },
      }),
      'v1',
    );
    const run = await suite.crawlQueued();
    expect(run.summary?.counts.manifestsNew).toBe(1);
    const reference = documentReference(suite.registry.host, 'models/late-arrival', pushed.digest);
    const document = suite.queued.index.getDocument(reference);
    expect(document).toMatchObject({ tags: ['v1'], model: { license: 'MIT' } });
  });

  it('reports an unknown registry id as not_found without queuing anything', async () => {
    await expect(suite.coordinator.start('nope', 'api')).rejects.toMatchObject({ code: 'not_found' });
    expect(await suite.queues.crawl.count()).toBe(0);
  });
});
