import { afterEach, describe, expect, it } from 'vitest';
import { emptyOutcome } from '../../../src/crawl/repository-outcome.js';
import { planRepository } from '../../../src/crawl/repository-plan.js';
import type { CrawlClient } from '../../../src/crawl/crawl-registry.js';
import type { FetchedManifest, RepositoryJobData, WriteJobs } from '../../../src/queue/jobs.js';
import { syncChunks } from '../../../src/queue/sync-chunks.js';
import { indexWriter } from '../../../src/queue/workers/index-writer.js';
import { repositoryProcessor } from '../../../src/queue/workers/repository-processor.js';
import { silentLogger } from '../../../src/runtime/logger.js';
import { fakeJob, fetchDepsOf, recordingQueues } from '../../support/fake-job.js';
import { tempIndex, type TempIndex } from '../../support/temp-index.js';
import { digestOf, modelDocument, REGISTRY, REPOSITORY } from '../store/fixtures.js';

const NAMES = ['a', 'b', 'c'];
const manifests: FetchedManifest[] = NAMES.map((name, at) => ({
  digest: digestOf(name),
  documents: [modelDocument(name, { tags: [`v${at + 1}`] })],
}));
const tags: Array<[string, string]> = NAMES.map((name, at) => [`v${at + 1}`, digestOf(name)]);
const named = `${REGISTRY.replace(':', '%3A')}/${REPOSITORY}`;

describe('syncChunks', () => {
  it('keeps a sync that fits in one chunk, else cuts it by documents and by bytes', () => {
    expect(syncChunks(manifests, [])).toHaveLength(1);
    const byCount = syncChunks(manifests, [[digestOf('a'), []]], { bytes: 1 << 20, documents: 2 });
    expect(byCount.map((chunk) => [chunk.manifests.length, chunk.referrers.length])).toEqual([
      [2, 0],
      [1, 1],
    ]);
    // Every item is larger than the bound: each is a chunk of its own, none is dropped.
    const byBytes = syncChunks(manifests, [], { bytes: 10, documents: 100 });
    expect(byBytes.map((chunk) => chunk.manifests.map((manifest) => manifest.digest))).toEqual(
      NAMES.map((name) => [digestOf(name)]),
    );
  });
});

describe('a repository job handing over a chunked sync', () => {
  const plan = {
    ...planRepository({ fingerprint: null, tags: new Map() }, { tags, failed: [] }, () => false),
    knownReferrers: [],
  };

  async function handOver(answered: number) {
    const { queues, added } = recordingQueues();
    const client = { registry: REGISTRY, referrersApi: false, listReferrers: async () => [] } as unknown as CrawlClient;
    const deps = fetchDepsOf(queues, () => client, { syncChunk: { bytes: 1 << 20, documents: 1 } });
    const scope = { runId: 7, registryId: 'test', config: { id: 'test', url: REGISTRY }, registry: REGISTRY };
    const data: RepositoryJobData = { ...scope, referrersApi: false, repository: REPOSITORY, step: 'referrers' };
    const children: Record<string, unknown> = { [`bull:write:plan/7/${named}`]: plan };
    manifests.forEach((manifest, at) => {
      const result = { ...manifest, ok: true, errors: [], requests: { total: 0, byOperation: {} } };
      children[`bull:manifest:manifest/7/${named}@${manifest.digest}`] = result;
      if (at < answered) children[`bull:write:chunk/7/${named}/${at}`] = { written: 1 };
    });
    const job = fakeJob('repository', data, children);
    await repositoryProcessor(deps)(job, 'token');
    return { added, job };
  }

  it('adds one chunk job per chunk, then a final sync without documents that saves the fingerprint', async () => {
    const { added, job } = await handOver(3);
    expect(added.map((entry) => entry.name)).toEqual(['chunk', 'chunk', 'chunk', 'sync']);
    const chunks = added.filter((entry) => entry.name === 'chunk').map((entry) => entry.data as WriteJobs['chunk']);
    expect(chunks.flatMap((chunk) => chunk.manifests.map((manifest) => manifest.digest)).sort()).toEqual(
      manifests.map((manifest) => manifest.digest).sort(),
    );
    const sync = added.at(-1)?.data as WriteJobs['sync'];
    expect(sync).toMatchObject({ manifests: [], referrers: [], fingerprint: plan.fingerprint, tags: plan.tags });
    expect(sync.outcome.manifestsNew).toBe(3);
    expect(job.data).toMatchObject({ step: 'done', chunked: undefined });
  });

  it('saves the fingerprint incomplete when a chunk did not answer, so the next crawl tries again', async () => {
    const { added } = await handOver(2);
    const sync = added.at(-1)?.data as WriteJobs['sync'];
    expect(sync.fingerprint).toBe(`incomplete:${plan.fingerprint}`);
    expect(sync.outcome.manifestsNew).toBe(2);
    expect(sync.errors.map((error) => error.message)).toEqual([
      'the index writer did not answer 1 of 3 chunks of this repository',
    ]);
  });
});

describe('the index writer, a chunked sync', () => {
  let temp: TempIndex;
  afterEach(() => temp.cleanup());

  it('writes the documents chunk by chunk; the tags and fingerprint only with the final sync', async () => {
    temp = tempIndex();
    const { index } = temp;
    const runId = index.startRun(REGISTRY, {});
    const write = indexWriter({ index, logger: silentLogger });
    const base = { runId, registry: REGISTRY, repository: REPOSITORY };
    for (const chunk of syncChunks(manifests, [], { bytes: 1 << 20, documents: 1 }))
      expect(await write(fakeJob('chunk', { ...base, ...chunk }))).toEqual({ written: 1 });
    expect(index.countDocuments()).toBe(3);
    expect(index.getRepositoryState(REGISTRY, REPOSITORY).fingerprint).toBeNull();
    const outcome = { ...emptyOutcome(), manifestsNew: 3 };
    const sync = { ...base, tags, fingerprint: 'f', referrers: [], manifests: [], outcome, errors: [] };
    expect(await write(fakeJob('sync', sync))).toEqual({ ...outcome, tagsAdded: 3 });
    expect(index.getRepositoryState(REGISTRY, REPOSITORY).fingerprint).toBe('f');
    expect(index.getRun(runId)?.progress).toMatchObject({ manifestsNew: 3 });
  });
});
