import { afterEach, describe, expect, it } from 'vitest';
import { emptyOutcome } from '../../../src/crawl/repository-outcome.js';
import { planRepository } from '../../../src/crawl/repository-plan.js';
import type { CrawlClient } from '../../../src/crawl/crawl-registry.js';
import { emptyCounts } from '../../../src/domain/crawl.js';
import { jobId, type RepositoryJobData, type RepositoryResult, type WriteJobs } from '../../../src/queue/jobs.js';
import { crawlProcessor } from '../../../src/queue/workers/crawl-processor.js';
import { indexWriter } from '../../../src/queue/workers/index-writer.js';
import { repositoryProcessor } from '../../../src/queue/workers/repository-processor.js';
import { silentLogger } from '../../../src/runtime/logger.js';
import { fakeJob, fetchDepsOf, recordingQueues } from '../../support/fake-job.js';
import { tempIndex, type TempIndex } from '../../support/temp-index.js';
import { digestOf, modelDocument, REGISTRY, REPOSITORY } from '../store/fixtures.js';

const A = digestOf('a');
const B = digestOf('b');
const scope = {
  runId: 7,
  registryId: 'test',
  config: { id: 'test', url: REGISTRY },
  registry: REGISTRY,
  referrersApi: null,
};
const noRequests = { total: 0, byOperation: {} };

function fetchDeps(referrers: Map<string, unknown[]> = new Map()) {
  const { queues, added } = recordingQueues();
  const listed: string[] = [];
  const client = {
    registry: REGISTRY,
    referrersApi: true as boolean | null,
    stats: { total: 0, byOperation: {} },
    listReferrers: async (_repository: string, digest: string) => {
      listed.push(digest);
      return referrers.get(digest) ?? [];
    },
  } as unknown as CrawlClient;
  const deps = fetchDepsOf(queues, () => client);
  return { deps, added, listed };
}

function result(repository: string, outcome: RepositoryResult['outcome']): RepositoryResult {
  return {
    repository,
    outcome,
    error: null,
    referrersApi: true,
    requests: { total: 2, byOperation: { 'manifest.head': 2 } },
  };
}

describe('crawl processor, finish step', () => {
  it('sums the tally of the repositories into one summary and reports a child that failed without answering', async () => {
    const { deps, added } = fetchDeps();
    const startedAt = '2026-01-01T00:00:00.000Z';
    await deps.tally.add(7, 'repository/7/a', result('a', { ...emptyOutcome(), manifestsNew: 2 }));
    await deps.tally.add(
      7,
      'repository/7/b',
      result('b', { ...emptyOutcome(), unchanged: true, manifestsUnchanged: 3 }),
    );
    // A repository job that ran its last step again after a crash adds nothing the second time.
    await deps.tally.add(7, 'repository/7/a', result('a', { ...emptyOutcome(), manifestsNew: 2 }));
    const job = fakeJob(
      'crawl',
      { ...scope, step: 'finish' as const, startedAt, errors: [], requests: { total: 1, byOperation: { catalog: 1 } } },
      {},
      { 'bull:repository:repository/7/c': 'stalled' },
    );
    await expect(crawlProcessor(deps)(job, 'token')).resolves.toEqual({ runId: 7 });
    const finish = added.find((entry) => entry.name === 'finish')?.data as WriteJobs['finish'];
    expect(finish.summary).toMatchObject({
      registry: REGISTRY,
      status: 'succeeded',
      fatal: null,
      requests: { total: 5, byOperation: { catalog: 1, 'manifest.head': 4 } },
      counts: { ...emptyCounts(), repositories: 2, repositoriesUnchanged: 1, manifestsNew: 2, manifestsUnchanged: 3 },
    });
    expect(finish.referrersApi).toBe(true);
    expect(finish.errors.map((error) => error.message)).toEqual(['job failed: stalled']);
    // Done: the tally is forgotten.
    expect((await deps.tally.read(7)).counts).toEqual(emptyCounts());
  });
});

describe('repository processor, done step', () => {
  it('adds the repository to the tally once however often it runs, and answers the crawl nothing', async () => {
    const { deps } = fetchDeps();
    const outcome = { ...emptyOutcome(), manifestsNew: 4, tagsAdded: 4 };
    const requests = { total: 6, byOperation: { tags: 1, 'manifest.get': 5 } };
    const data = { ...scope, repository: REPOSITORY, step: 'done' as const, requests } satisfies RepositoryJobData;
    const children = { [`bull:write:${jobId('sync', 7, `${REGISTRY}/${REPOSITORY}`)}`]: outcome };
    const job = () => fakeJob('repository', data, children);
    expect(await repositoryProcessor(deps)(job(), 'token')).toBeNull();
    expect(await repositoryProcessor(deps)(job(), 'token')).toBeNull();
    expect(await deps.tally.read(7)).toEqual({
      counts: { ...emptyCounts(), repositories: 1, manifestsNew: 4, tagsAdded: 4 },
      requests,
      referrersApi: true,
      errors: [],
    });
  });

  it('adds a repository whose sync never answered as an error', async () => {
    const { deps } = fetchDeps();
    const data = { ...scope, repository: REPOSITORY, step: 'done' as const } satisfies RepositoryJobData;
    await repositoryProcessor(deps)(fakeJob('repository', data), 'token');
    const totals = await deps.tally.read(7);
    expect(totals.counts.repositories).toBe(0);
    expect(totals.errors.map((error) => error.message)).toEqual([
      'the index writer did not answer the sync of this repository',
    ]);
  });
});

describe('repository processor, referrers step', () => {
  const tags: Array<[string, string]> = [
    ['v1', A],
    ['v2', B],
  ];
  const plan = {
    ...planRepository({ fingerprint: null, tags: new Map() } as never, { tags, failed: [] }, (d) => d === A),
    knownReferrers: [],
  };
  const data: RepositoryJobData = { ...scope, repository: REPOSITORY, step: 'referrers' };
  const children = (manifestOk: boolean) => ({
    [`bull:write:plan/7/${REGISTRY.replace(':', '%3A')}/${REPOSITORY}`]: plan,
    'bull:manifest:manifest/7/b': {
      digest: B,
      ok: manifestOk,
      documents: manifestOk ? [document] : [],
      errors: manifestOk ? [] : [manifestError],
      requests: noRequests,
    },
  });
  const document = modelDocument('b', { tags: ['v2'] });
  const manifestError = {
    registry: REGISTRY,
    repository: REPOSITORY,
    reference: 'v2',
    code: 'not_found',
    message: 'manifest unknown',
    at: '2026-01-01T00:00:00.000Z',
  };

  it('hands the writer the outcome and the complete fingerprint once every manifest answered', async () => {
    const { deps, added, listed } = fetchDeps();
    const job = fakeJob('repository', data, children(true));
    await repositoryProcessor(deps)(job, 'token');
    const sync = added.find((entry) => entry.name === 'sync')?.data as WriteJobs['sync'];
    // The writer counts the documents it writes: the fetch side hands them over with none counted.
    expect(sync.outcome).toEqual({ ...emptyOutcome(), manifestsUnchanged: 1 });
    expect(sync.manifests).toEqual([{ digest: B, documents: [document] }]);
    expect(added.map((entry) => entry.name)).toEqual(['sync']);
    expect(sync.fingerprint).toBe(plan.fingerprint);
    expect(sync.tags).toEqual(tags);
    expect(new Set(listed)).toEqual(new Set([A, B]));
    expect(job.data.step).toBe('done');
  });

  it('saves the fingerprint incomplete when a manifest failed, so the next crawl tries it again', async () => {
    const { deps, added } = fetchDeps();
    await repositoryProcessor(deps)(fakeJob('repository', data, children(false)), 'token');
    const sync = added.find((entry) => entry.name === 'sync')?.data as WriteJobs['sync'];
    expect(sync.fingerprint).toBe(`incomplete:${plan.fingerprint}`);
    expect(sync.outcome.manifestsNew).toBe(0);
    expect(sync.errors).toEqual([manifestError]);
  });
});

describe('index writer', () => {
  let temp: TempIndex;
  afterEach(() => temp.cleanup());

  it('plans, syncs with the documents and finishes a repository over the index', async () => {
    temp = tempIndex();
    const { index } = temp;
    const runId = index.startRun(REGISTRY, {});
    const write = indexWriter({ index, logger: silentLogger });
    const run = (name: string, job: object) => write(fakeJob(name, job));
    const base = { runId, registry: REGISTRY, repository: REPOSITORY, errors: [] };
    const plan = (await run('plan', { ...base, resolved: { tags: [['v1', A]], failed: [] } })) as WriteJobs['plan'] & {
      fresh: unknown[];
    };
    expect(plan.fresh).toEqual([[A, ['v1']]]);
    const manifests = [{ digest: A, documents: [modelDocument('a', { tags: ['v1'] })] }];
    const sync = { ...base, tags: [['v1', A]], fingerprint: 'f', referrers: [], manifests, outcome: emptyOutcome() };
    expect(await run('sync', sync)).toEqual({ ...emptyOutcome(), manifestsNew: 1, tagsAdded: 1 });
    // A sync retried after a crash that followed its commit counts the documents it finds again.
    expect(await run('sync', sync)).toEqual({ ...emptyOutcome(), manifestsNew: 1 });
    expect(index.countDocuments()).toBe(1);
    expect(index.getRepositoryState(REGISTRY, REPOSITORY).fingerprint).toBe('f');
    const summary = {
      registry: REGISTRY,
      counts: { ...emptyCounts(), repositories: 1, manifestsNew: 1 },
      errorsByCode: {},
      requests: noRequests,
      startedAt: '2026-01-01T00:00:00.000Z',
      finishedAt: '2026-01-01T00:00:01.000Z',
      durationMs: 1000,
      status: 'succeeded',
      fatal: null,
    };
    expect(await run('finish', { runId, summary, referrersApi: true, errors: [] })).toEqual({ status: 'succeeded' });
    expect(index.getRun(runId)?.status).toBe('succeeded');
  });
});
