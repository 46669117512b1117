/**
 * The crawl pipeline against the in-process fake registry, for what no real registry here can
 * do: the referrers API itself, injected faults (lying digests, 5xx, 429, broken manifests),
 * and an index's mount from children fetched, already indexed, or missing.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { crawlRegistry } from '../../../src/crawl/crawl-registry.js';
import { documentReference } from '../../../src/domain/document.js';
import { RegistryClient } from '../../../src/registry/index.js';
import { digestOf, FakeRegistry, OCI_INDEX, type FakeDescriptor } from '../../support/fake-registry.js';
import { tempIndex, type TempIndex } from '../../support/temp-index.js';

const FAST_RETRY = { maxAttempts: 3, minDelayMs: 1, maxDelayMs: 5, retryAfterCapMs: 20 };
let fake: FakeRegistry | undefined;
let temp: TempIndex | undefined;

afterEach(async () => {
  temp?.cleanup();
  await fake?.close();
  fake = temp = undefined;
});

const modelConfig = (repository: string, accuracy: number) => ({
  name: repository,
  customProperties: { accuracy, license: 'Apache-2.0' },
});

function pushModel(registry: FakeRegistry, repository: string, tag: string, accuracy: number): FakeDescriptor {
  return registry.pushArtifact(repository, {
    tag,
    configMediaType: 'application/x-config',
    config: modelConfig(repository, accuracy),
    layers: [
      {
        mediaType: 'application/x-mlmodel',
        content: `weights of ${repository}:${tag}`,
        annotations: { 'org.opencontainers.image.title': 'model.onnx' },
      },
    ],
  });
}

async function crawl(registry: FakeRegistry, options: Parameters<typeof crawlRegistry>[2] = {}) {
  temp ??= tempIndex();
  const client = new RegistryClient({ registry: registry.host, retry: FAST_RETRY, dockerConfigPath: null });
  try {
    return await crawlRegistry(client, temp.index, options);
  } finally {
    await client.close();
  }
}

const signature = (registry: FakeRegistry, repository: string, subject: FakeDescriptor) =>
  registry.pushArtifact(repository, {
    artifactType: 'application/vnd.cncf.notary.signature',
    layers: [{ mediaType: 'application/jose+json', content: '{"sig":1}' }],
    subject,
  });

describe('referrers API registries', () => {
  it('embeds referrers listed by the API and remembers that the registry has it', async () => {
    fake = await FakeRegistry.start({ referrersApi: true });
    const model = pushModel(fake, 'models/a', 'v1', 0.9);
    signature(fake, 'models/a', model);
    const summary = await crawl(fake);
    expect(summary.status).toBe('succeeded');
    const document = temp!.index.getDocument(documentReference(fake.host, 'models/a', model.digest));
    expect(document?.signed).toBe(true);
    expect(document?.referrers.map((referrer) => referrer.kind)).toEqual(['signature']);
    expect(temp!.index.getReferrersApi(fake.host)).toBe(true);
    expect(fake.requestsTo(/\/manifests\/sha256-/)).toHaveLength(0);
  });

  it('picks up a referrer attached later without fetching a manifest or blob again', async () => {
    fake = await FakeRegistry.start({ referrersApi: true });
    const model = pushModel(fake, 'models/a', 'v1', 0.9);
    await crawl(fake);
    fake.pushArtifact('models/a', {
      artifactType: 'application/spdx+json',
      layers: [{ mediaType: 'application/spdx+json', content: '{"spdxVersion":"SPDX-2.3"}' }],
      subject: model,
    });
    const summary = await crawl(fake);
    expect(summary.requests.byOperation['manifest.get'] ?? 0).toBe(0);
    expect(summary.requests.byOperation['blob.get'] ?? 0).toBe(0);
    const document = temp!.index.getDocument(documentReference(fake.host, 'models/a', model.digest));
    expect(document?.referrers.map((referrer) => referrer.kind)).toEqual(['sbom']);
    expect(document?.signed).toBe(false);
  });
});

describe('faults: one bad item never fails the repository', () => {
  it('reports a lying manifest digest, a failing config blob and a malformed manifest, and indexes the rest', async () => {
    fake = await FakeRegistry.start({ referrersApi: false });
    const good = pushModel(fake, 'models/m', 'good', 0.95);
    const lying = pushModel(fake, 'models/m', 'lying', 0.5);
    const noConfig = pushModel(fake, 'models/m', 'no-config', 0.7);
    const malformed = fake.putManifest(
      'models/m',
      { schemaVersion: 2, mediaType: 'application/vnd.oci.image.manifest.v1+json', config: 5, layers: [] },
      { tag: 'malformed' },
    );
    // A repository never crawled is read by GET per tag: the lie is in the tag's answer.
    fake.faults.add({
      method: 'GET',
      path: '/v2/models/m/manifests/lying',
      body: JSON.stringify({ schemaVersion: 2, config: {}, layers: [] }),
    });
    const configDigest = digestOf(JSON.stringify(modelConfig('models/m', 0.7)));
    fake.faults.add({ method: 'GET', path: `/v2/models/m/blobs/${configDigest}`, status: 500 });

    const summary = await crawl(fake);
    expect(summary.status).toBe('succeeded');
    expect(summary.errorsByCode).toMatchObject({ digest_mismatch: 1, server_error: 1, invalid_manifest: 1 });
    const reference = (descriptor: FakeDescriptor) => documentReference(fake!.host, 'models/m', descriptor.digest);
    expect(temp!.index.getDocument(reference(good))?.model?.metrics.accuracy).toBe(0.95);
    expect(temp!.index.getDocument(reference(lying))).toBeNull();
    expect(temp!.index.getDocument(reference(malformed))).toBeNull();
    const withoutConfig = temp!.index.getDocument(reference(noConfig));
    expect(withoutConfig?.config).toBeNull();
    const stored = temp!.index.listErrors({ registry: fake.host }).map((error) => `${error.code} ${error.reference}`);
    expect(stored).toContain('digest_mismatch lying');
    expect(stored).toContain('invalid_manifest malformed');
  });

  it('tries a failed item again on the next crawl and indexes it once the fault is gone', async () => {
    fake = await FakeRegistry.start({ referrersApi: false });
    const model = pushModel(fake, 'models/r', 'v1', 0.8);
    // By tag (a new repository is read by GET per tag) or by digest: the manifest GET fails.
    const path = new RegExp(`/v2/models/r/manifests/(v1|${model.digest})$`);
    const fault = fake.faults.add({ method: 'GET', path, status: 500 });
    const first = await crawl(fake);
    expect(first.counts.errors).toBe(1);
    fake.faults.clear();
    expect(fault.hits).toBeGreaterThan(0);
    const second = await crawl(fake);
    expect(second.counts.repositoriesUnchanged).toBe(0);
    expect(second.counts.manifestsNew).toBe(1);
    expect(temp!.index.getDocument(documentReference(fake.host, 'models/r', model.digest))).not.toBeNull();
  });

  it('retries a 429 with Retry-After and completes', async () => {
    fake = await FakeRegistry.start();
    pushModel(fake, 'models/t', 'v1', 0.8);
    fake.faults.add({
      method: 'GET',
      path: '/v2/models/t/tags/list',
      times: 2,
      status: 429,
      headers: { 'Retry-After': '0' },
    });
    const summary = await crawl(fake);
    expect(summary.status).toBe('succeeded');
    expect(summary.counts.manifestsNew).toBe(1);
    expect(fake.requestsTo('/v2/models/t/tags/list')).toHaveLength(3);
  });

  it('counts every error but stores at most the cap', async () => {
    fake = await FakeRegistry.start();
    for (let i = 0; i < 5; i += 1) {
      const model = pushModel(fake, 'models/capped', `v${i}`, 0.5);
      fake.faults.add({ method: 'GET', path: new RegExp(`/manifests/(v${i}|${model.digest})$`), status: 400 });
    }
    const summary = await crawl(fake, { errorCap: 2 });
    expect(summary.counts.errors).toBe(5);
    expect(temp!.index.listErrors({ registry: fake.host })).toHaveLength(2);
  });

  it('fails as a whole when the catalog is refused, naming the way out', async () => {
    fake = await FakeRegistry.start({ catalog: false });
    pushModel(fake, 'models/x', 'v1', 0.5);
    const refused = await crawl(fake);
    expect(refused.status).toBe('failed');
    expect(refused.fatal?.code).toBe('unsupported');
    const explicit = await crawl(fake, { repositories: ['models/x'] });
    expect(explicit.status).toBe('succeeded');
    expect(explicit.counts.manifestsNew).toBe(1);
  });
});

/*
 * An index's mount comes from its children's documents, which decode cannot see: the crawl
 * computes it from the children it fetched, or from the stored documents of children already
 * indexed (not fetched again), and counts a child it could not fetch as unknown.
 */
const IMAGE_CONFIG = 'application/vnd.oci.image.config.v1+json';
function pushImage(registry: FakeRegistry, repository: string, architecture: string): FakeDescriptor {
  return registry.pushArtifact(repository, {
    configMediaType: IMAGE_CONFIG,
    config: { architecture, os: 'linux', rootfs: { type: 'layers', diff_ids: [`sha256:${'d'.repeat(64)}`] } },
    layers: [{ mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', content: `rootfs ${architecture}` }],
  });
}

function pushIndex(
  registry: FakeRegistry,
  repository: string,
  tag: string,
  children: FakeDescriptor[],
  note: string,
): FakeDescriptor {
  const manifests = children.map((child) => ({ ...child, platform: { os: 'linux', architecture: 'amd64' } }));
  return registry.putManifest(
    repository,
    { schemaVersion: 2, mediaType: OCI_INDEX, manifests, annotations: { note } },
    { tag },
  );
}

const mountOf = (registry: FakeRegistry, repository: string, digest: string) =>
  temp!.index.getDocument(documentReference(registry.host, repository, digest))?.mount;

describe('the mount of an image index', () => {
  it('is an image volume when every child fetched is one', async () => {
    fake = await FakeRegistry.start();
    const index = pushIndex(
      fake,
      'images/base',
      'multi',
      [pushImage(fake, 'images/base', 'amd64'), pushImage(fake, 'images/base', 'arm64')],
      'a',
    );
    await crawl(fake);
    expect(mountOf(fake, 'images/base', index.digest)).toEqual({
      imageVolume: true,
      artifactVolume: false,
      reason: 'unnamed_layer',
    });
  });

  it('reads the stored mounts of children already indexed, without fetching them again', async () => {
    fake = await FakeRegistry.start();
    const children = [pushImage(fake, 'images/base', 'amd64'), pushImage(fake, 'images/base', 'arm64')];
    pushIndex(fake, 'images/base', 'multi', children, 'first');
    await crawl(fake);
    const second = pushIndex(fake, 'images/base', 'multi-2', children, 'second');
    fake.clearRequests();
    await crawl(fake);
    for (const child of children) expect(fake.requestsTo(`/manifests/${child.digest}`)).toHaveLength(0);
    expect(mountOf(fake, 'images/base', second.digest)).toMatchObject({ imageVolume: true });
  });

  it('counts a child it could not fetch as unknown, and a model child as not an image', async () => {
    fake = await FakeRegistry.start();
    const image = pushImage(fake, 'images/mixed', 'amd64');
    const missing = {
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      digest: `sha256:${'0'.repeat(64)}`,
      size: 100,
    };
    const broken = pushIndex(fake, 'images/mixed', 'broken', [image, missing], 'broken');
    const model = fake.pushArtifact('images/mixed', {
      configMediaType: 'application/vnd.cncf.model.config.v1+json',
      config: { descriptor: { name: 'm' } },
      layers: [
        {
          mediaType: 'application/vnd.cncf.model.weight.v1.raw',
          content: 'w',
          annotations: { 'org.cnai.model.filepath': 'w' },
        },
      ],
    });
    const mixed = pushIndex(fake, 'images/mixed', 'mixed', [image, model], 'mixed');
    await crawl(fake);
    expect(mountOf(fake, 'images/mixed', broken.digest)).toEqual({
      imageVolume: false,
      artifactVolume: false,
      reason: 'child_unknown',
    });
    expect(mountOf(fake, 'images/mixed', mixed.digest)).toEqual({
      imageVolume: false,
      artifactVolume: false,
      reason: 'not_an_image_config',
    });
  });
});
