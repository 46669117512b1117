/**
 * The service end to end, in both modes: a real docker-registry sends its notifications to the
 * real API server; pushes become queryable without a crawl, a signature pushed later signs its
 * subject, a deleted manifest leaves the index, and a per-second schedule starts crawls. Queue
 * mode runs on a real Redis with workers (fetch and the index writer) in this process: events
 * are applied by the writer, schedules are BullMQ job schedulers.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Pusher } from '../../src/demo/pusher.js';
import { startRegistry, type RunningRegistry } from '../../src/demo/registry-process.js';
import {
  attachReferrer,
  descriptorOf,
  notationSignatureArtifact,
  omlmdArtifact,
  pushArtifact,
  spdxSbomArtifact,
} from '../../src/demo/samples.js';
import { documentReference, type ArtifactDocument } from '../../src/domain/document.js';
import type { IndexStore } from '../../src/store/index.js';
import { startQueueService } from '../../src/queue/service.js';
import { startService } from '../../src/embedded/index.js';
import { silentLogger } from '../../src/runtime/index.js';
import { testPoolSettings } from '../support/query-pool.js';
import { startWorkers } from '../../src/queue/workers/main.js';
import { startRedis } from '../support/redis-process.js';
import { tempIndex, type TempIndex } from '../support/temp-index.js';

const ADMIN_TOKEN = 'admin-token-service-events';
const EVENT_SECRET = 'event-secret-service-events';
const POLL_MS = 25;
const POLL_LIMIT_MS = 5_000;
const REPOSITORY = 'models/pushed';

/** What the tests need of a running service, whichever the mode. */
interface ServiceUnderTest {
  url: string;
  index: IndexStore;
  /** Resolves once no crawl is waiting or running. */
  idle(): Promise<void>;
  /** Whether the registry has a schedule armed. */
  scheduled(registryId: string): Promise<boolean>;
  close(): Promise<unknown>;
}

const SERVICE = {
  port: 0,
  host: '127.0.0.1',
  logger: silentLogger,
  processMetrics: false,
  api: { adminToken: ADMIN_TOKEN, eventSecret: EVENT_SECRET },
  queryPool: testPoolSettings(),
};

async function embedded(db: string): Promise<ServiceUnderTest> {
  const service = await startService({ ...SERVICE, db });
  return {
    ...service,
    idle: () => service.coordinator.idle(),
    scheduled: async (id) => service.scheduler.nextFire(id) !== null,
  };
}

async function queued(db: string): Promise<ServiceUnderTest> {
  const redis = await startRedis();
  const service = await startQueueService({ ...SERVICE, db, redisUrl: redis.url });
  const workers = await startWorkers({
    redisUrl: redis.url,
    db,
    roles: ['fetch', 'write'],
    logger: silentLogger,
    clientDefaults: { dockerConfigPath: null },
  });
  return {
    ...service,
    idle: async () => {
      while ((await service.coordinator.activeCrawl('local')) !== null)
        await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    },
    scheduled: async (id) => (await service.queues.schedule.getJobScheduler(`schedule/${id}`)) !== undefined,
    close: async () => {
      await workers.close();
      await service.close();
      await redis.stop();
    },
  };
}

describe.each([
  ['embedded', embedded],
  ['queue', queued],
] as const)('%s service with a real registry sending push events', (mode, start) => {
  let temp: TempIndex;
  let service: ServiceUnderTest;
  let registry: RunningRegistry;
  let pusher: Pusher;

  beforeAll(async () => {
    temp = tempIndex();
    temp.index.close();
    service = await start(temp.path);
    registry = await startRegistry({
      notifications: {
        url: `${service.url}/v1/events/distribution?registry=local`,
        headers: { Authorization: `Bearer ${EVENT_SECRET}` },
      },
    });
    pusher = new Pusher(registry.url);
    const created = await api('POST', '/v1/registries', { id: 'local', url: registry.url });
    expect(created.status).toBe(201);
  }, 30_000);

  afterAll(async () => {
    await pusher?.close();
    await registry?.stop();
    await service?.close();
    temp?.cleanup();
  });

  async function api(method: string, path: string, body?: unknown): Promise<Response> {
    const headers: Record<string, string> = { Authorization: `Bearer ${ADMIN_TOKEN}` };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    return fetch(`${service.url}${path}`, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  }

  /** The documents `q` matches through `GET /v1/models`. */
  async function query(q: string): Promise<ArtifactDocument[]> {
    const response = await api('GET', `/v1/models?q=${encodeURIComponent(q)}`);
    expect(response.status).toBe(200);
    return ((await response.json()) as { items: ArtifactDocument[] }).items;
  }

  /** Polls every POLL_MS until `check` holds, at most POLL_LIMIT_MS; resolves with the time it took. */
  async function pollUntil(check: () => Promise<boolean>, what: string): Promise<number> {
    const started = performance.now();
    while (performance.now() - started < POLL_LIMIT_MS) {
      if (await check()) return performance.now() - started;
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
    throw new Error(`${what}: not seen within ${POLL_LIMIT_MS} ms`);
  }

  const name = `pushed-${randomBytes(4).toString('hex')}`;
  const model = omlmdArtifact({ metadata: { name, customProperties: { accuracy: 0.93, license: 'Apache-2.0' } } });
  const byName = `$[?@.model.name == '${name}']`;
  const reference = () => documentReference(registry.host, REPOSITORY, model.digest);

  it('makes a pushed model queryable without a crawl', async () => {
    await pushArtifact(pusher, REPOSITORY, model, 'v1');
    const latency = await pollUntil(async () => (await query(byName)).length === 1, 'the pushed model');
    console.log(`push-to-queryable latency: ${Math.round(latency)} ms (polled every ${POLL_MS} ms)`);
    const [document] = await query(byName);
    expect(document).toMatchObject({ reference: reference(), tags: ['v1'], format: 'omlmd', signed: false });
    expect(document?.model?.metrics.accuracy).toBe(0.93);
    const metrics = await (await api('GET', '/metrics')).text();
    // Embedded: this process fetched the manifest. Queue mode: a fetch worker did; the API shows queue depth.
    if (mode === 'embedded')
      expect(metrics).toMatch(/ocidex_registry_requests_total\{operation="manifest.get",status="200"\} [1-9]/);
    else expect(metrics).toMatch(/ocidex_queue_depth\{queue="ocidex-write"\} \d+/);
    const crawls = (await (await api('GET', '/v1/crawls')).json()) as { items: unknown[] };
    expect(crawls.items).toEqual([]);
  });

  it('signs the subject when a signature referrer is pushed later', async () => {
    await attachReferrer(pusher, REPOSITORY, model.digest, notationSignatureArtifact(descriptorOf(model)));
    await pollUntil(async () => (await query(`${byName}`))[0]?.signed === true, 'the signature');
    const [document] = await query(byName);
    expect(document?.referrers.map((referrer) => referrer.kind)).toEqual(['signature']);
    expect(service.index.listRuns()).toEqual([]);
  });

  it('nests a signature pushed on an SBOM under the SBOM in the model', async () => {
    const sbom = spdxSbomArtifact(descriptorOf(model), name);
    await attachReferrer(pusher, REPOSITORY, model.digest, sbom);
    await pollUntil(
      async () => (await query(byName))[0]?.referrers.some((referrer) => referrer.kind === 'sbom') === true,
      'the SBOM',
    );
    await attachReferrer(pusher, REPOSITORY, sbom.digest, notationSignatureArtifact(descriptorOf(sbom)));
    const nested = async () =>
      (await query(byName))[0]?.referrers.find((referrer) => referrer.digest === sbom.digest)?.referrers ?? [];
    await pollUntil(async () => (await nested()).length === 1, "the SBOM's signature");
    expect((await nested()).map((referrer) => referrer.kind)).toEqual(['signature']);
    expect(service.index.listRuns()).toEqual([]);
  });

  it('regression: a delete event was believed; one for a manifest the registry still has removes nothing', async () => {
    const target = {
      repository: REPOSITORY,
      digest: model.digest,
      url: `${registry.url}/v2/${REPOSITORY}/manifests/${model.digest}`,
    };
    const forged = {
      events: [
        { id: 'forged-delete', action: 'delete', target, request: { host: registry.host }, actor: {}, source: {} },
      ],
    };
    const response = await fetch(`${service.url}/v1/events/distribution?registry=local`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${EVENT_SECRET}`, 'Content-Type': 'application/json' },
      body: JSON.stringify(forged),
    });
    expect(response.status).toBe(202);
    expect(await response.json()).toEqual({ accepted: 1, ignored: 0 });
    // Events of a registry apply in arrival order: once a later push shows, the delete was applied.
    await pushArtifact(pusher, REPOSITORY, model, 'v2');
    await pollUntil(async () => (await query(byName))[0]?.tags.includes('v2') === true, 'the later push');
    // Removed and indexed again by the push, it would have lost its tag v1.
    expect(service.index.getDocument(reference())?.tags).toEqual(['v1', 'v2']);
  });

  it('removes a deleted manifest from the index', async () => {
    await pusher.deleteManifest(REPOSITORY, model.digest);
    await pollUntil(async () => (await query(byName)).length === 0, 'the delete');
    expect(service.index.getDocument(reference())).toBeNull();
  });

  it('starts crawls on a per-second schedule set through the API, and stops when it is removed', async () => {
    expect((await api('PATCH', '/v1/registries/local', { schedule: '* * * * * *' })).status).toBe(200);
    const scheduled = () => service.index.listRuns().filter((run) => run.params.trigger === 'schedule');
    await pollUntil(async () => scheduled().length > 0, 'a scheduled crawl');
    expect((await api('PATCH', '/v1/registries/local', { schedule: null })).status).toBe(200);
    await service.idle();
    const [run] = scheduled();
    expect(run).toMatchObject({
      registry: registry.host,
      status: 'succeeded',
      params: { registryId: 'local', trigger: 'schedule' },
    });
    expect(await service.scheduled('local')).toBe(false);
  });
});
