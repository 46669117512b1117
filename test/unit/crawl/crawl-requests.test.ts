/**
 * What a crawl asks the registry, counted on the fake registry: a repository never crawled is
 * read by GET per tag (no HEAD), a recrawl by HEAD only, a fallback referrers tag is fetched
 * once, and HEADs go over kept-alive connections (undici closes one after a HEAD unless told).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { crawlRegistry } from '../../../src/crawl/crawl-registry.js';
import { requestsPerManifest } from '../../../src/domain/crawl.js';
import { documentReference } from '../../../src/domain/document.js';
import { RegistryClient } from '../../../src/registry/index.js';
import { FakeRegistry, type FakeDescriptor } from '../../support/fake-registry.js';
import { tempIndex, type TempIndex } from '../../support/temp-index.js';

let fake: FakeRegistry | undefined;
let temp: TempIndex | undefined;
afterEach(async () => {
  temp?.cleanup();
  await fake?.close();
  fake = temp = undefined;
});

function pushModel(registry: FakeRegistry, repository: string, tag: string): FakeDescriptor {
  return registry.pushArtifact(repository, {
    tag,
    configMediaType: 'application/x-config',
    config: { name: repository, tag },
    layers: [{ mediaType: 'application/x-mlmodel', content: `weights of ${repository}:${tag}` }],
  });
}

const sign = (registry: FakeRegistry, repository: string, subject: FakeDescriptor, content = '{"sig":1}') =>
  registry.pushArtifact(repository, {
    artifactType: 'application/vnd.cncf.notary.signature',
    layers: [{ mediaType: 'application/jose+json', content }],
    subject,
  });

async function crawl(registry: FakeRegistry, concurrency = 8) {
  temp ??= tempIndex();
  const client = new RegistryClient({ registry: registry.host, concurrency, dockerConfigPath: null });
  try {
    return await crawlRegistry(client, temp.index, { limits: { manifestConcurrency: concurrency } });
  } finally {
    await client.close();
  }
}

const heads = (registry: FakeRegistry) => registry.requests.filter((request) => request.method === 'HEAD');
const manifestGets = (registry: FakeRegistry) =>
  registry.requests.filter((request) => request.method === 'GET' && request.path.includes('/manifests/'));

describe('requests a crawl makes', () => {
  it('reads a new repository by GET per tag, then recrawls it by HEAD with no GET', async () => {
    fake = await FakeRegistry.start();
    for (const tag of ['v1', 'v2', 'v3']) pushModel(fake, 'models/a', tag);
    const first = await crawl(fake);
    expect(first.counts.manifestsNew).toBe(3);
    expect(heads(fake)).toHaveLength(0);
    expect(
      manifestGets(fake)
        .map((request) => request.path)
        .sort(),
    ).toEqual(['v1', 'v2', 'v3'].map((tag) => `/v2/models/a/manifests/${tag}`));
    fake.clearRequests();
    const again = await crawl(fake);
    expect(again.counts.repositoriesUnchanged).toBe(1);
    expect(heads(fake)).toHaveLength(3);
    expect(manifestGets(fake)).toHaveLength(0);
  });

  it('HEADs a known repository and GETs only the new digest by digest', async () => {
    fake = await FakeRegistry.start();
    pushModel(fake, 'models/a', 'v1');
    await crawl(fake);
    const added = pushModel(fake, 'models/a', 'v2');
    fake.clearRequests();
    const summary = await crawl(fake);
    expect(summary.counts.manifestsNew).toBe(1);
    expect(heads(fake)).toHaveLength(2);
    expect(manifestGets(fake).map((request) => request.path)).toEqual([`/v2/models/a/manifests/${added.digest}`]);
  });

  it('fetches a fallback referrers tag once, by tag on a new repository and by digest after a HEAD', async () => {
    fake = await FakeRegistry.start({ referrersApi: false });
    const model = pushModel(fake, 'models/s', 'v1');
    sign(fake, 'models/s', model);
    const fallback = `sha256-${model.digest.slice('sha256:'.length)}`;
    await crawl(fake);
    const document = temp!.index.getDocument(documentReference(fake.host, 'models/s', model.digest));
    expect(document?.referrers.map((referrer) => referrer.kind)).toEqual(['signature']);
    expect(fake.requestsTo(`/v2/models/s/manifests/${fallback}`)).toHaveLength(1);
    expect(heads(fake)).toHaveLength(0);
    const fallbackIndex = fake.requestsTo(`/v2/models/s/manifests/${fallback}`)[0]!;
    expect(fallbackIndex.method).toBe('GET');

    sign(fake, 'models/s', model, '{"sig":2}');
    fake.clearRequests();
    await crawl(fake);
    const moved = manifestGets(fake).filter((request) => !request.path.endsWith(fallback));
    expect(fake.requestsTo(`/v2/models/s/manifests/${fallback}`).map((request) => request.method)).toEqual(['HEAD']);
    // The moved tag's index by digest, then the new signature's manifest: one GET each.
    expect(moved).toHaveLength(2);
    expect(new Set(moved.map((request) => request.path)).size).toBe(2);
  });

  it('probes the referrers API once per client, also when new repositories are read by GET per tag', async () => {
    fake = await FakeRegistry.start({ referrersApi: false });
    for (const repository of ['models/a', 'models/b', 'models/c'])
      sign(fake, repository, pushModel(fake, repository, 'v1'));
    const summary = await crawl(fake);
    expect(summary.counts.referrers).toBe(3);
    expect(fake.requestsTo(/\/referrers\//)).toHaveLength(1);
  });

  it('reuses kept-alive connections for HEADs: a recrawl opens at most `concurrency` connections', async () => {
    fake = await FakeRegistry.start();
    for (let i = 0; i < 12; i += 1) pushModel(fake, 'models/k', `v${i}`);
    await crawl(fake, 2);
    fake.connections = 0;
    fake.clearRequests();
    await crawl(fake, 2);
    expect(heads(fake)).toHaveLength(12);
    expect(fake.connections).toBeGreaterThan(0);
    expect(fake.connections).toBeLessThanOrEqual(2);
  });

  it('streams a paged catalog: pages are read as repositories are crawled, never all ahead', async () => {
    const pageSize = 20;
    fake = await FakeRegistry.start({ pageSize });
    for (let i = 0; i < 600; i += 1) pushModel(fake, `models/r${String(i).padStart(4, '0')}`, 'v1');
    temp = tempIndex();
    const client = new RegistryClient({ registry: fake.host, dockerConfigPath: null });
    let mostAhead = 0;
    const summary = await crawlRegistry(client, temp.index, {
      limits: { repositoryConcurrency: 4 },
      onRepository: ({ counts }) => {
        const listed = fake!.requestsTo('/v2/_catalog').length * pageSize;
        mostAhead = Math.max(mostAhead, listed - counts.repositories);
      },
    }).finally(() => client.close());
    expect(summary.counts.repositories).toBe(600);
    expect(fake.requestsTo('/v2/_catalog')).toHaveLength(600 / pageSize);
    // At most the page being consumed, the next one and the repositories in flight are held.
    expect(mostAhead).toBeLessThanOrEqual(2 * pageSize + 4);
  });

  it('says requests per manifest in the summary', async () => {
    fake = await FakeRegistry.start();
    for (const tag of ['v1', 'v2']) pushModel(fake, 'models/p', tag);
    const summary = await crawl(fake);
    expect(summary.requests.total).toBe(fake.requests.length);
    expect(requestsPerManifest(summary)).toBe(fake.requests.length / 2);
  });
});
