/**
 * Queue mode against the in-process fake registry, for what docker-registry cannot do: the
 * referrers API, and injected faults. A transient failure is retried as a job (with backoff)
 * until it succeeds; a permanent one (a lying digest, a malformed manifest) is recorded once and
 * never retried; the rest of the repository is indexed regardless.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { documentReference } from '../../src/domain/document.js';
import type { QueueCoordinator } from '../../src/queue/coordinator.js';
import type { Queues } from '../../src/queue/queues.js';
import { silentLogger } from '../../src/runtime/logger.js';
import { startWorkers, type RunningWorkers } from '../../src/queue/workers/main.js';
import { FakeRegistry, type FakeDescriptor } from '../support/fake-registry.js';
import { finishedRun, queueCoordinator } from '../support/queue-crawl.js';
import { startRedis, type RunningRedis } from '../support/redis-process.js';
import { tempIndex, type TempIndex } from '../support/temp-index.js';

const CLIENT_ATTEMPTS = 2;
let fake: FakeRegistry;
let redis: RunningRedis;
let temp: TempIndex;
let workers: RunningWorkers;
let queues: Queues;
let coordinator: QueueCoordinator;
let lying: FakeDescriptor;

function pushModel(repository: string, tag: string, accuracy: number): FakeDescriptor {
  return fake.pushArtifact(repository, {
    tag,
    configMediaType: 'application/x-config',
    config: { name: repository, customProperties: { accuracy, license: 'Apache-2.0' } },
    layers: [
      {
        mediaType: 'application/x-mlmodel',
        content: `weights of ${repository}:${tag}`,
        annotations: { 'org.opencontainers.image.title': 'model.onnx' },
      },
    ],
  });
}

const signature = (repository: string, subject: FakeDescriptor) =>
  fake.pushArtifact(repository, {
    artifactType: 'application/vnd.cncf.notary.signature',
    layers: [{ mediaType: 'application/jose+json', content: `{"sig":"${subject.digest}"}` }],
    subject,
  });

const reference = (descriptor: FakeDescriptor) => documentReference(fake.host, 'models/m', descriptor.digest);

async function crawl() {
  const { crawlId } = await coordinator.start('fake', 'api');
  return finishedRun(temp.index, crawlId);
}

beforeAll(async () => {
  [fake, redis] = await Promise.all([FakeRegistry.start({ referrersApi: true }), startRedis()]);
  temp = tempIndex();
  workers = await startWorkers({
    redisUrl: redis.url,
    db: temp.path,
    roles: ['fetch', 'write'],
    logger: silentLogger,
    clientDefaults: { dockerConfigPath: null, retry: { maxAttempts: CLIENT_ATTEMPTS, minDelayMs: 1, maxDelayMs: 2 } },
  });
  ({ queues, coordinator } = queueCoordinator(redis.url, temp.index, { id: 'fake', url: fake.url }));
});

afterAll(async () => {
  await workers?.close();
  await queues?.close();
  temp?.cleanup();
  await Promise.all([fake?.close(), redis?.stop()]);
});

describe('queue mode under faults, on a registry with the referrers API', () => {
  it('retries a transient failure as a job, records a permanent one once, indexes the rest', async () => {
    const good = pushModel('models/m', 'good', 0.95);
    signature('models/m', good);
    // A repository the index has never seen is read by GET per tag (a failed GET is a failed
    // tag, tried again by the next crawl): crawled once, it is known, and its new manifests
    // are fetched by manifest jobs, which a transient failure retries.
    expect((await crawl()).summary?.counts.manifestsNew).toBe(1);
    const flaky = pushModel('models/m', 'flaky', 0.9);
    lying = pushModel('models/m', 'lying', 0.5);
    const flakyPath = `/v2/models/m/manifests/${flaky.digest}`;
    const lyingPath = `/v2/models/m/manifests/${lying.digest}`;
    // Two job attempts fail (each after the client's own retries); the third succeeds.
    fake.faults.add({ method: 'GET', path: flakyPath, status: 503, times: 2 * CLIENT_ATTEMPTS });
    fake.faults.add({
      method: 'GET',
      path: lyingPath,
      body: JSON.stringify({ schemaVersion: 2, config: {}, layers: [] }),
    });

    const run = await crawl();
    expect(run.status).toBe('succeeded');
    expect(temp.index.getDocument(reference(flaky))?.model?.metrics.accuracy).toBe(0.9);
    expect(fake.requestsTo(flakyPath).filter((request) => request.method === 'GET')).toHaveLength(
      2 * CLIENT_ATTEMPTS + 1,
    );
    expect(temp.index.getDocument(reference(lying))).toBeNull();
    expect(fake.requestsTo(lyingPath).filter((request) => request.method === 'GET')).toHaveLength(1);
    expect(temp.index.listErrors({ runId: run.id }).map((error) => `${error.code} ${error.reference}`)).toEqual([
      'digest_mismatch lying',
    ]);
    expect(run.summary?.errorsByCode).toEqual({ digest_mismatch: 1 });
    const signed = temp.index.getDocument(reference(good));
    expect(signed).toMatchObject({ signed: true, model: { metrics: { accuracy: 0.95 } } });
    expect(temp.index.getReferrersApi(fake.host)).toBe(true);
  }, 60_000);

  it('indexes what failed permanently once the registry serves it right', async () => {
    fake.faults.clear();
    const run = await crawl();
    expect(run.summary?.counts).toMatchObject({ repositoriesUnchanged: 0, manifestsNew: 1, manifestsUnchanged: 2 });
    expect(temp.index.getDocument(reference(lying))?.model?.metrics.accuracy).toBe(0.5);
  }, 60_000);

  it('finds a referrer added later on a recrawl that changes no tag', async () => {
    expect(temp.index.getDocument(reference(lying))?.signed).toBe(false);
    signature('models/m', lying);
    const run = await crawl();
    expect(run.summary?.counts).toMatchObject({ repositoriesUnchanged: 1, manifestsNew: 0 });
    // The new signature's manifest and envelope, once, for verification; no model is fetched.
    expect(run.summary?.requests.byOperation['manifest.get'] ?? 0).toBe(1);
    expect(temp.index.getDocument(reference(lying))?.signed).toBe(true);
    const again = await crawl();
    expect(again.summary?.requests.byOperation['manifest.get'] ?? 0).toBe(0);
    expect(again.summary?.requests.byOperation['blob.get'] ?? 0).toBe(0);
  }, 60_000);
});
