import { afterEach, describe, expect, it } from 'vitest';
import { MediaType } from '../../../src/domain/oci.js';
import { DEFAULT_MAX_MANIFEST_BYTES, type RegistryClient } from '../../../src/registry/index.js';
import { digestOf, FakeRegistry, OCI_MANIFEST } from '../../support/fake-registry.js';
import { clientFor, rejectionOf } from './helpers.js';

let fake: FakeRegistry;
let client: RegistryClient | undefined;

afterEach(async () => {
  await client?.close();
  client = undefined;
  await fake?.close();
});

const MANIFEST = {
  schemaVersion: 2,
  mediaType: OCI_MANIFEST,
  config: { mediaType: MediaType.ociEmpty, digest: digestOf('{}'), size: 2 },
  layers: [],
};

describe('fetchManifest', () => {
  it('returns the bytes under the digest, fetched by tag and by digest', async () => {
    fake = await FakeRegistry.start();
    const pushed = fake.putManifest('repo', MANIFEST, { tag: 'v1' });
    client = clientFor(fake);
    const byTag = await client.fetchManifest('repo', 'v1');
    expect(byTag).toMatchObject({ digest: pushed.digest, mediaType: OCI_MANIFEST, size: pushed.size });
    expect(Buffer.from(byTag.bytes).toString()).toBe(JSON.stringify(MANIFEST));
    expect((await client.fetchManifest('repo', pushed.digest)).digest).toBe(pushed.digest);
  });

  it('rejects a lying Docker-Content-Digest, without retrying', async () => {
    fake = await FakeRegistry.start();
    fake.putManifest('repo', MANIFEST, { tag: 'v1' });
    fake.faults.add({ path: '/v2/repo/manifests/v1', setHeaders: { 'docker-content-digest': digestOf('other') } });
    client = clientFor(fake);
    const error = await rejectionOf(client.fetchManifest('repo', 'v1'));
    expect(error.code).toBe('digest_mismatch');
    expect(error.transient).toBe(false);
    expect(fake.requests).toHaveLength(1);
  });

  it('verifies a manifest fetched by digest even when the header is missing', async () => {
    fake = await FakeRegistry.start();
    const pushed = fake.putManifest('repo', MANIFEST);
    fake.faults.add({
      path: `/v2/repo/manifests/${pushed.digest}`,
      body: JSON.stringify({ ...MANIFEST, annotations: { x: 'y' } }),
      setHeaders: { 'docker-content-digest': null },
    });
    client = clientFor(fake);
    expect((await rejectionOf(client.fetchManifest('repo', pushed.digest))).code).toBe('digest_mismatch');
  });

  it('computes sha256 itself when the registry sends no digest', async () => {
    fake = await FakeRegistry.start();
    const pushed = fake.putManifest('repo', MANIFEST, { tag: 'v1' });
    fake.faults.add({ path: '/v2/repo/manifests/v1', setHeaders: { 'docker-content-digest': null } });
    client = clientFor(fake);
    expect((await client.fetchManifest('repo', 'v1')).digest).toBe(pushed.digest);
  });

  it('verifies sha512 digests', async () => {
    fake = await FakeRegistry.start();
    const pushed = fake.putManifest('repo', MANIFEST, { tag: 'v1', algorithm: 'sha512' });
    expect(pushed.digest).toMatch(/^sha512:[0-9a-f]{128}$/);
    client = clientFor(fake);
    expect((await client.fetchManifest('repo', pushed.digest)).digest).toBe(pushed.digest);
    expect((await client.fetchManifest('repo', 'v1')).digest).toBe(pushed.digest);
    fake.faults.add({
      path: '/v2/repo/manifests/v1',
      body: JSON.stringify({ ...MANIFEST, layers: [MANIFEST.config] }),
    });
    expect((await rejectionOf(client.fetchManifest('repo', 'v1'))).code).toBe('digest_mismatch');
  });

  it.each([
    ['an unknown type', 'text/html', MANIFEST],
    ['a type the body contradicts', MediaType.ociIndex, MANIFEST],
    ['a Docker type for an OCI body', MediaType.dockerManifest, MANIFEST],
    [
      'a generic type and an unknown body mediaType',
      'application/json',
      { ...MANIFEST, mediaType: 'application/x-other' },
    ],
    ['a generic type and a body of no known shape', 'application/json', { schemaVersion: 2 }],
  ])('rejects %s with content_type_mismatch', async (_name, contentType, body) => {
    fake = await FakeRegistry.start();
    fake.putManifest('repo', body, { tag: 'v1', mediaType: OCI_MANIFEST });
    fake.faults.add({ path: '/v2/repo/manifests/v1', setHeaders: { 'content-type': contentType } });
    client = clientFor(fake);
    const error = await rejectionOf(client.fetchManifest('repo', 'v1'));
    expect(error.code).toBe('content_type_mismatch');
  });

  it.each([
    ['application/json with mediaType', 'application/json', MANIFEST, OCI_MANIFEST],
    [
      'octet-stream, manifest by shape',
      'application/octet-stream',
      { schemaVersion: 2, config: MANIFEST.config, layers: [] },
      OCI_MANIFEST,
    ],
    ['no type, index by shape', null, { schemaVersion: 2, manifests: [] }, MediaType.ociIndex],
    ['params on a known type', `${OCI_MANIFEST}; charset=utf-8`, MANIFEST, OCI_MANIFEST],
  ])('accepts %s', async (_name, contentType, body, expected) => {
    fake = await FakeRegistry.start();
    fake.putManifest('repo', body, { tag: 'v1', mediaType: OCI_MANIFEST });
    fake.faults.add({ path: '/v2/repo/manifests/v1', setHeaders: { 'content-type': contentType } });
    client = clientFor(fake);
    expect((await client.fetchManifest('repo', 'v1')).mediaType).toBe(expected);
  });

  it('rejects a body that is not JSON as invalid_manifest', async () => {
    fake = await FakeRegistry.start();
    fake.putManifest('repo', MANIFEST, { tag: 'v1' });
    fake.faults.add({ path: '/v2/repo/manifests/v1', body: '<html>', setHeaders: { 'docker-content-digest': null } });
    client = clientFor(fake);
    expect((await rejectionOf(client.fetchManifest('repo', 'v1'))).code).toBe('invalid_manifest');
  });

  it('maps 404s: manifest_unknown, name_unknown', async () => {
    fake = await FakeRegistry.start();
    fake.putManifest('repo', MANIFEST, { tag: 'v1' });
    client = clientFor(fake);
    const missingTag = await rejectionOf(client.fetchManifest('repo', 'v2'));
    expect(missingTag.code).toBe('manifest_unknown');
    expect(missingTag.details).toMatchObject({ status: 404, repository: 'repo', reference: 'v2' });
    expect((await rejectionOf(client.fetchManifest('other', 'v1'))).code).toBe('name_unknown');
  });
});

describe('size limits', () => {
  it('refuses a manifest by Content-Length before reading it', async () => {
    fake = await FakeRegistry.start();
    fake.putManifest('repo', MANIFEST, { tag: 'v1' });
    // The body never completes: reading it would hang until the timeout.
    fake.faults.add({ path: '/v2/repo/manifests/v1', declaredLength: DEFAULT_MAX_MANIFEST_BYTES + 1, stall: true });
    client = clientFor(fake, { timeoutMs: 10_000 });
    const error = await rejectionOf(client.fetchManifest('repo', 'v1'));
    expect(error.code).toBe('size_exceeds_limit');
    expect(fake.requests).toHaveLength(1);
  });

  it('stops reading a chunked manifest as soon as it passes the limit', async () => {
    fake = await FakeRegistry.start();
    fake.putManifest('repo', MANIFEST, { tag: 'v1' });
    fake.faults.add({
      path: '/v2/repo/manifests/v1',
      chunked: true,
      stall: true,
      body: Buffer.alloc(DEFAULT_MAX_MANIFEST_BYTES + 1, 0x20),
    });
    client = clientFor(fake, { timeoutMs: 10_000 });
    expect((await rejectionOf(client.fetchManifest('repo', 'v1'))).code).toBe('size_exceeds_limit');
  });

  it('applies maxManifestBytes', async () => {
    fake = await FakeRegistry.start();
    const pushed = fake.putManifest('repo', MANIFEST, { tag: 'v1' });
    client = clientFor(fake, { maxManifestBytes: pushed.size - 1 });
    expect((await rejectionOf(client.fetchManifest('repo', 'v1'))).code).toBe('size_exceeds_limit');
  });

  it('refuses a blob larger than its descriptor allows without a request', async () => {
    fake = await FakeRegistry.start();
    const blob = fake.putBlob('repo', 'x'.repeat(2048));
    client = clientFor(fake, { maxBlobBytes: 1024 });
    expect((await rejectionOf(client.fetchBlob('repo', blob))).code).toBe('size_exceeds_limit');
    expect(fake.requests).toHaveLength(0);
    expect(await client.fetchBlob('repo', blob, { maxBytes: 4096 })).toHaveLength(2048);
  });

  it('refuses a blob by Content-Length and by streaming when its size is unknown', async () => {
    fake = await FakeRegistry.start();
    const blob = fake.putBlob('repo', 'y'.repeat(2048));
    client = clientFor(fake, { maxBlobBytes: 1024 });
    fake.faults.add({ path: `/v2/repo/blobs/${blob.digest}`, stall: true, times: 1 });
    expect((await rejectionOf(client.fetchBlob('repo', { digest: blob.digest }))).code).toBe('size_exceeds_limit');
    fake.faults.add({ path: `/v2/repo/blobs/${blob.digest}`, stall: true, chunked: true, times: 1 });
    expect((await rejectionOf(client.fetchBlob('repo', { digest: blob.digest }))).code).toBe('size_exceeds_limit');
  });
});

describe('fetchBlob', () => {
  it('returns verified bytes, sha256 and sha512', async () => {
    fake = await FakeRegistry.start();
    const sha256 = fake.putBlob('repo', 'hello');
    const sha512 = fake.putBlob('repo', 'hello', 'sha512');
    client = clientFor(fake);
    expect(Buffer.from(await client.fetchBlob('repo', sha256)).toString()).toBe('hello');
    expect(Buffer.from(await client.fetchBlob('repo', sha512)).toString()).toBe('hello');
    expect(fake.requests.map((request) => request.path)).toEqual([
      `/v2/repo/blobs/${sha256.digest}`,
      `/v2/repo/blobs/${sha512.digest}`,
    ]);
  });

  it.each(['sha256', 'sha512'] as const)('rejects a %s digest mismatch without retrying', async (algorithm) => {
    fake = await FakeRegistry.start();
    const blob = fake.putBlob('repo', 'hello', algorithm);
    fake.faults.add({ path: `/v2/repo/blobs/${blob.digest}`, body: 'jello' });
    client = clientFor(fake);
    const error = await rejectionOf(client.fetchBlob('repo', blob));
    expect(error.code).toBe('digest_mismatch');
    expect(fake.requests).toHaveLength(1);
  });

  it('rejects a size that disagrees with the descriptor', async () => {
    fake = await FakeRegistry.start();
    const blob = fake.putBlob('repo', 'hello');
    client = clientFor(fake);
    expect((await rejectionOf(client.fetchBlob('repo', { digest: blob.digest, size: 4 }))).code).toBe(
      'digest_mismatch',
    );
  });

  it('refuses digests it cannot verify', async () => {
    fake = await FakeRegistry.start();
    client = clientFor(fake);
    expect((await rejectionOf(client.fetchBlob('repo', { digest: 'md5:abc' }))).code).toBe('invalid_reference');
    expect(fake.requests).toHaveLength(0);
  });

  it('reports a missing blob as not_found', async () => {
    fake = await FakeRegistry.start();
    fake.putBlob('repo', 'a');
    client = clientFor(fake);
    expect((await rejectionOf(client.fetchBlob('repo', { digest: digestOf('b') }))).code).toBe('not_found');
  });

  it('follows a redirect to storage without sending Authorization there', async () => {
    fake = await FakeRegistry.start({ redirectBlobs: true, auth: { kind: 'bearer' } });
    const blob = fake.putBlob('repo', 'weights');
    client = clientFor(fake);
    expect(Buffer.from(await client.fetchBlob('repo', blob)).toString()).toBe('weights');
    const [storage] = fake.requestsTo('/blobs/', 'storage');
    expect(storage!.path).toBe(`/blobs/${blob.digest}?X-Amz-Signature=fake-signature`);
    expect(storage!.headers.authorization).toBeUndefined();
    expect(fake.requestsTo('/v2/repo/blobs/').at(-1)!.headers.authorization).toMatch(/^Bearer /);
    expect(client.stats.byOperation['blob.get']).toBe(3);
    expect(client.stats.byStatus['307']).toBe(1);
  });

  it('gives up after 5 redirects', async () => {
    fake = await FakeRegistry.start();
    const blob = fake.putBlob('repo', 'x');
    fake.faults.add({
      path: `/v2/repo/blobs/${blob.digest}`,
      status: 307,
      headers: { location: `/v2/repo/blobs/${blob.digest}` },
    });
    client = clientFor(fake);
    expect((await rejectionOf(client.fetchBlob('repo', blob))).code).toBe('bad_response');
    expect(fake.requests).toHaveLength(6);
  });

  it('retries a failing storage origin', async () => {
    fake = await FakeRegistry.start({ redirectBlobs: true });
    const blob = fake.putBlob('repo', 'weights');
    fake.faults.add({ server: 'storage', path: `/blobs/${blob.digest}`, status: 503, times: 1 });
    client = clientFor(fake);
    expect(Buffer.from(await client.fetchBlob('repo', blob)).toString()).toBe('weights');
    expect(fake.requestsTo('/blobs/', 'storage')).toHaveLength(2);
  });
});

describe('resolveManifest', () => {
  it('uses HEAD only when it says enough', async () => {
    fake = await FakeRegistry.start();
    const pushed = fake.putManifest('repo', MANIFEST, { tag: 'v1' });
    client = clientFor(fake);
    expect(await client.resolveManifest('repo', 'v1')).toEqual({
      digest: pushed.digest,
      mediaType: OCI_MANIFEST,
      size: pushed.size,
    });
    expect(client.stats.byOperation).toMatchObject({ 'manifest.head': 1, 'manifest.get': 0 });
  });

  it('returns null on 404', async () => {
    fake = await FakeRegistry.start();
    fake.putManifest('repo', MANIFEST, { tag: 'v1' });
    client = clientFor(fake);
    expect(await client.resolveManifest('repo', 'missing')).toBeNull();
    expect(await client.resolveManifest('nope', 'v1')).toBeNull();
  });

  it('falls back to a verified GET when HEAD lacks Docker-Content-Digest', async () => {
    fake = await FakeRegistry.start();
    const pushed = fake.putManifest('repo', MANIFEST, { tag: 'v1' });
    fake.faults.add({ method: 'HEAD', path: '/v2/repo/manifests/v1', setHeaders: { 'docker-content-digest': null } });
    client = clientFor(fake);
    expect(await client.resolveManifest('repo', 'v1')).toEqual({
      digest: pushed.digest,
      mediaType: OCI_MANIFEST,
      size: pushed.size,
    });
    expect(client.stats.byOperation).toMatchObject({ 'manifest.head': 1, 'manifest.get': 1 });
  });
});
