import { afterEach, describe, expect, it } from 'vitest';
import { planRepository } from '../../../src/crawl/repository-plan.js';
import type { ManifestJobData, RepositoryJobData, WriteJobs } from '../../../src/queue/jobs.js';
import { indexWriter } from '../../../src/queue/workers/index-writer.js';
import { manifestProcessor } from '../../../src/queue/workers/manifest-processor.js';
import { repositoryProcessor } from '../../../src/queue/workers/repository-processor.js';
import { RegistryClient } from '../../../src/registry/index.js';
import { silentLogger } from '../../../src/runtime/logger.js';
import { FakeRegistry, type FakeDescriptor } from '../../support/fake-registry.js';
import { fakeJob, fetchDepsOf, recordingQueues } from '../../support/fake-job.js';
import { tempIndex, type TempIndex } from '../../support/temp-index.js';

const REPOSITORY = 'models/a';
let fake: FakeRegistry | undefined;
let client: RegistryClient | undefined;
let temp: TempIndex | undefined;
afterEach(async () => {
  await client?.close();
  await fake?.close();
  temp?.cleanup();
  fake = client = temp = undefined;
});

async function registryWithModels(): Promise<FakeDescriptor[]> {
  fake = await FakeRegistry.start();
  client = new RegistryClient({ registry: fake.host, dockerConfigPath: null });
  return ['v1', 'v2'].map((tag) =>
    fake!.pushArtifact(REPOSITORY, {
      tag,
      configMediaType: 'application/x-config',
      config: { name: REPOSITORY, tag },
      layers: [{ mediaType: 'application/x-mlmodel', content: `weights ${tag}` }],
    }),
  );
}

/** Runs a repository job from its `resolve` step with the writer's answers given up front. */
async function resolveRepository(isNew: boolean, models: FakeDescriptor[]) {
  const { queues, added } = recordingQueues();
  const deps = fetchDepsOf(queues, () => client!);
  const scope = { runId: 1, registryId: 'fake', config: { id: 'fake', url: fake!.url }, registry: fake!.host };
  const data: RepositoryJobData = { ...scope, referrersApi: false, repository: REPOSITORY, step: 'resolve' };
  const tags: Array<[string, string]> = models.map((model, i) => [`v${i + 1}`, model.digest]);
  const plan = planRepository({ fingerprint: null, tags: new Map() }, { tags, failed: [] }, () => false);
  const named = `${fake!.host.replace(':', '%3A')}/${REPOSITORY}`;
  const children = {
    [`bull:write:state/1/${named}`]: { isNew },
    [`bull:write:plan/1/${named}`]: { ...plan, knownReferrers: [] },
  };
  await repositoryProcessor(deps)(fakeJob('repository', data, children), 'token');
  const manifestJobs = added.filter((entry) => entry.name === 'manifest').map((entry) => entry.data as ManifestJobData);
  return { deps, manifestJobs };
}

const requests = (method: string, part: string) =>
  fake!.requests.filter((request) => request.method === method && request.path.includes(part));

describe('queue mode, a repository the index has never seen', () => {
  it('the writer answers whether the index knows the repository', async () => {
    temp = tempIndex();
    const write = indexWriter({ index: temp.index, logger: silentLogger });
    const state = (): Promise<unknown> =>
      write(fakeJob('state', { registry: 'r.example', repository: REPOSITORY } satisfies WriteJobs['state']));
    expect(await state()).toEqual({ isNew: true });
    temp.index.syncRepository({
      registry: 'r.example',
      repository: REPOSITORY,
      tags: new Map([['v1', `sha256:${'a'.repeat(64)}`]]),
      fingerprint: 'f',
      at: new Date().toISOString(),
    });
    expect(await state()).toEqual({ isNew: false });
  });

  it('is read by GET per tag, each body handed to its manifest job, never fetched again', async () => {
    const models = await registryWithModels();
    const { deps, manifestJobs } = await resolveRepository(true, models);
    expect(requests('HEAD', '/manifests/')).toHaveLength(0);
    expect(requests('GET', '/manifests/').map((request) => request.path.split('/').pop())).toEqual(
      expect.arrayContaining(['v1', 'v2']),
    );
    expect(manifestJobs.map((job) => job.manifest?.digest).sort()).toEqual(models.map((m) => m.digest).sort());
    fake!.clearRequests();
    const result = await manifestProcessor(deps)(fakeJob('manifest', manifestJobs[0]!));
    expect(result.documents.map((document) => document.digest)).toEqual([manifestJobs[0]!.digest]);
    expect(requests('GET', '/manifests/')).toHaveLength(0);
    expect(result.requests.byOperation).toEqual({ 'blob.get': 1 });
  });

  it('a known repository is resolved by HEAD and its manifest jobs fetch by digest', async () => {
    const models = await registryWithModels();
    const { manifestJobs } = await resolveRepository(false, models);
    expect(requests('HEAD', '/manifests/')).toHaveLength(2);
    expect(requests('GET', '/manifests/')).toHaveLength(0);
    expect(manifestJobs.map((job) => job.manifest)).toEqual([undefined, undefined]);
  });
});
