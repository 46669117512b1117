import { afterEach, describe, expect, it } from 'vitest';
import type { RegistryClient } from '../../../src/registry/index.js';
import { FakeRegistry, OCI_INDEX, type FakeDescriptor, type FakeRegistryOptions } from '../../support/fake-registry.js';
import { clientFor, rejectionOf } from './helpers.js';

const SIGNATURE = 'application/vnd.cncf.notary.signature';
const SBOM = 'application/spdx+json';

let fake: FakeRegistry;
let client: RegistryClient | undefined;
let subject: FakeDescriptor;
let signature: FakeDescriptor;
let sbom: FakeDescriptor;

afterEach(async () => {
  await client?.close();
  client = undefined;
  await fake?.close();
});

async function start(options: FakeRegistryOptions): Promise<void> {
  fake = await FakeRegistry.start(options);
  subject = fake.pushArtifact('models/m', {
    tag: 'v1',
    config: { name: 'm' },
    configMediaType: 'application/x-config',
  });
  signature = fake.pushArtifact('models/m', {
    artifactType: SIGNATURE,
    layers: [{ mediaType: 'application/jose+json', content: '{}' }],
    subject,
    annotations: { 'org.opencontainers.image.created': '2025-01-01T00:00:00Z' },
  });
  sbom = fake.pushArtifact('models/m', {
    artifactType: SBOM,
    layers: [{ mediaType: SBOM, content: '{"spdx":1}' }],
    subject,
  });
}

const digests = (descriptors: { digest: string }[]): string[] =>
  descriptors.map((descriptor) => descriptor.digest).sort();
const referrersPath = (): string => `/v2/models/m/referrers/${subject.digest}`;

describe('referrers API', () => {
  it('lists referrers with artifactType and annotations, and learns the API works', async () => {
    await start({ referrersApi: true });
    client = clientFor(fake);
    const referrers = await client.listReferrers('models/m', subject.digest);
    expect(digests(referrers)).toEqual(digests([signature, sbom]));
    expect(referrers.find((referrer) => referrer.digest === signature.digest)).toMatchObject({
      artifactType: SIGNATURE,
      annotations: { 'org.opencontainers.image.created': '2025-01-01T00:00:00Z' },
    });
    expect(client.referrersApi).toBe(true);
    expect(fake.requests.map((request) => request.path)).toEqual([referrersPath()]);
    expect(fake.requests[0]!.headers.accept).toBe(OCI_INDEX);
  });

  it('passes artifactType to a filtering server', async () => {
    await start({ referrersApi: true, referrersFilter: true });
    client = clientFor(fake);
    expect(digests(await client.listReferrers('models/m', subject.digest, { artifactType: SBOM }))).toEqual([
      sbom.digest,
    ]);
    expect(fake.requests[0]!.path).toBe(`${referrersPath()}?artifactType=${encodeURIComponent(SBOM)}`);
  });

  it('filters itself when the server did not apply the filter', async () => {
    await start({ referrersApi: true, referrersFilter: false });
    client = clientFor(fake);
    expect(digests(await client.listReferrers('models/m', subject.digest, { artifactType: SIGNATURE }))).toEqual([
      signature.digest,
    ]);
  });

  it('follows Link paging', async () => {
    await start({ referrersApi: true, referrersPageSize: 1 });
    client = clientFor(fake);
    expect(digests(await client.listReferrers('models/m', subject.digest))).toEqual(digests([signature, sbom]));
    expect(fake.requestsTo(referrersPath())).toHaveLength(2);
  });

  it('reports NAME_UNKNOWN without deciding about the API', async () => {
    await start({ referrersApi: true });
    client = clientFor(fake);
    const error = await rejectionOf(client.listReferrers('models/none', subject.digest));
    expect(error.code).toBe('name_unknown');
    expect(client.referrersApi).toBeNull();
  });

  it('works behind bearer auth', async () => {
    await start({ referrersApi: true, auth: { kind: 'bearer' } });
    client = clientFor(fake);
    expect(await client.listReferrers('models/m', subject.digest)).toHaveLength(2);
    expect(fake.tokenRequests).toHaveLength(1);
  });
});

describe('tag-schema fallback', () => {
  it('falls back on a plain 404 and remembers not to probe again', async () => {
    await start({ referrersApi: false });
    client = clientFor(fake);
    expect(digests(await client.listReferrers('models/m', subject.digest))).toEqual(digests([signature, sbom]));
    expect(client.referrersApi).toBe(false);
    const tagPath = `/v2/models/m/manifests/sha256-${subject.digest.slice('sha256:'.length)}`;
    expect(fake.requests.map((request) => request.path)).toEqual([referrersPath(), tagPath]);
    expect(digests(await client.listReferrers('models/m', subject.digest, { artifactType: SBOM }))).toEqual([
      sbom.digest,
    ]);
    expect(fake.requestsTo('/v2/models/m/referrers/')).toHaveLength(1);
    expect(fake.requestsTo(tagPath)).toHaveLength(2);
  });

  it('returns nothing when the fallback tag does not exist', async () => {
    await start({ referrersApi: false });
    client = clientFor(fake);
    expect(await client.listReferrers('models/m', signature.digest)).toEqual([]);
  });

  it('falls back when the API answers 200 with something that is not an index', async () => {
    await start({ referrersApi: true, referrersTagSchema: true });
    fake.faults.add({
      path: referrersPath(),
      status: 200,
      headers: { 'content-type': 'text/html' },
      body: '<html>registry UI</html>',
    });
    client = clientFor(fake);
    expect(digests(await client.listReferrers('models/m', subject.digest))).toEqual(digests([signature, sbom]));
    expect(client.referrersApi).toBe(false);
  });

  it('uses the tag schema directly when the caller remembered it', async () => {
    await start({ referrersApi: false });
    client = clientFor(fake);
    client.referrersApi = false;
    await client.listReferrers('models/m', subject.digest);
    expect(fake.requestsTo('/v2/models/m/referrers/')).toHaveLength(0);
  });

  it('does not give up on the API for a server error', async () => {
    await start({ referrersApi: true });
    fake.faults.add({ path: referrersPath(), status: 500 });
    client = clientFor(fake, { retry: { maxAttempts: 1 } });
    expect((await rejectionOf(client.listReferrers('models/m', subject.digest))).code).toBe('server_error');
    expect(client.referrersApi).toBeNull();
  });

  it('refuses a subject that is not a digest', async () => {
    await start({ referrersApi: true });
    client = clientFor(fake);
    expect((await rejectionOf(client.listReferrers('models/m', 'v1'))).code).toBe('invalid_reference');
  });
});
