/** Push events applied by the embedded sink against the in-process fake registry. */
import { afterEach, describe, expect, it } from 'vitest';
import type { PushEvent } from '../../../src/domain/registry.js';
import { documentReference } from '../../../src/domain/document.js';
import { applyTrustPolicies } from '../../../src/crawl/trust-update.js';
import {
  COSIGN_REFERRER_TYPE,
  COSIGN_SIGNATURE_ANNOTATION,
  generateSigningKey,
  signPayload,
  simpleSigningPayload,
  type SigningKey,
} from '../../../src/demo/samples-signing.js';
import { verifyIndex } from '../../../src/store/index.js';
import { EmbeddedEventSink } from '../../../src/embedded/index.js';
import { ClientPool, IndexRegistryStore, type ServiceLogger } from '../../../src/runtime/index.js';
import { FakeRegistry, OCI_INDEX, type FakeDescriptor } from '../../support/fake-registry.js';
import { tempIndex, type TempIndex } from '../../support/temp-index.js';

const FAST_RETRY = { maxAttempts: 2, minDelayMs: 1, maxDelayMs: 5, retryAfterCapMs: 20 };
let fake: FakeRegistry | undefined;
let temp: TempIndex | undefined;
let clients: ClientPool | undefined;

afterEach(async () => {
  await clients?.close();
  temp?.cleanup();
  await fake?.close();
  fake = temp = clients = undefined;
});

async function setup(options: { referrersApi?: boolean; referrersTagSchema?: boolean; maxPending?: number } = {}) {
  const { referrersApi = true, referrersTagSchema } = options;
  fake = await FakeRegistry.start(
    referrersTagSchema === undefined ? { referrersApi } : { referrersApi, referrersTagSchema },
  );
  temp = tempIndex();
  const registries = new IndexRegistryStore(temp.index);
  await registries.create({ id: 'fake', url: fake.url });
  clients = new ClientPool({ retry: FAST_RETRY, dockerConfigPath: null });
  const logged: string[] = [];
  const logger: ServiceLogger = {
    info: (message, fields) => logged.push(`${message} ${JSON.stringify(fields)}`),
    error: (message, fields) => logged.push(`ERROR ${message} ${JSON.stringify(fields)}`),
  };
  const sink = new EmbeddedEventSink({
    index: temp.index,
    registries,
    clients,
    logger,
    maxPending: options.maxPending,
  });
  return { fake, index: temp.index, sink, logged };
}

const pushModel = (registry: FakeRegistry, tag?: string): FakeDescriptor =>
  registry.pushArtifact('models/a', {
    ...(tag === undefined ? {} : { tag }),
    configMediaType: 'application/x-config',
    config: { name: 'models/a', customProperties: { accuracy: 0.9 } },
    layers: [
      {
        mediaType: 'application/x-mlmodel',
        content: 'weights',
        annotations: { 'org.opencontainers.image.title': 'model.onnx' },
      },
    ],
  });

const signature = (registry: FakeRegistry, subject: FakeDescriptor): FakeDescriptor =>
  registry.pushArtifact('models/a', {
    artifactType: 'application/vnd.cncf.notary.signature',
    layers: [{ mediaType: 'application/jose+json', content: '{"sig":1}' }],
    subject,
  });

const event = (digest: string, tag: string | null = null): PushEvent => ({
  registry: 'fake',
  repository: 'models/a',
  digest,
  tag,
  mediaType: null,
});

describe('EmbeddedEventSink', () => {
  it('indexes a pushed manifest with its tag; a duplicate push fetches nothing again', async () => {
    const { fake, index, sink } = await setup();
    const model = pushModel(fake, 'v1');
    await sink.push(event(model.digest, 'v1'));
    await sink.idle();
    const reference = documentReference(fake.host, 'models/a', model.digest);
    expect(index.getDocument(reference)).toMatchObject({ tags: ['v1'], kind: 'model', signed: false });
    const fetches = fake.requestsTo(/\/(manifests|blobs)\//).filter((request) => request.method === 'GET').length;
    await sink.push(event(model.digest, 'v1'));
    await sink.push(event(model.digest, 'v1'));
    await sink.idle();
    expect(fake.requestsTo(/\/(manifests|blobs)\//).filter((request) => request.method === 'GET')).toHaveLength(
      fetches,
    );
    expect(index.countDocuments()).toBe(1);
    expect(index.tagHistory(fake.host, 'models/a')).toHaveLength(1);
    expect(index.listRuns()).toEqual([]);
    expect(verifyIndex(index.db)).toEqual([]);
  });

  it('signs the subject when its signature is pushed later, and unsigns it when the signature is deleted', async () => {
    const { fake, index, sink } = await setup();
    const model = pushModel(fake, 'v1');
    await sink.push(event(model.digest, 'v1'));
    const signed = signature(fake, model);
    await sink.push(event(signed.digest));
    await sink.idle();
    const reference = documentReference(fake.host, 'models/a', model.digest);
    expect(index.getDocument(reference)).toMatchObject({
      signed: true,
      referrers: [{ digest: signed.digest, kind: 'signature' }],
    });
    fake.deleteManifest('models/a', signed.digest);
    await sink.remove(event(signed.digest));
    await sink.idle();
    expect(index.getDocument(reference)).toMatchObject({ signed: false, referrers: [] });
  });

  it('verifies a signature pushed later against the trust policies in the index, as a crawl does', async () => {
    const { fake, index, sink } = await setup();
    const key = generateSigningKey();
    const intruder = generateSigningKey();
    applyTrustPolicies(index, [
      {
        name: 'ci',
        scope: [`${fake.host}/models/**`],
        sigstore: { trustedRoot: null, identities: [], publicKeys: [key.publicKeyPem] },
        notation: null,
      },
    ]);
    const model = pushModel(fake, 'v1');
    await sink.push(event(model.digest, 'v1'));
    const cosignReferrer = (signer: SigningKey) => {
      const payload = simpleSigningPayload(model.digest, `${fake.host}/models/a`);
      return fake.pushArtifact('models/a', {
        artifactType: COSIGN_REFERRER_TYPE,
        layers: [
          {
            mediaType: 'application/vnd.dev.cosign.simplesigning.v1+json',
            content: payload,
            annotations: { [COSIGN_SIGNATURE_ANNOTATION]: signPayload(payload, signer.privateKey) },
          },
        ],
        subject: model,
      });
    };
    const forged = cosignReferrer(intruder);
    await sink.push(event(forged.digest));
    await sink.idle();
    const reference = documentReference(fake.host, 'models/a', model.digest);
    expect(index.getDocument(reference)).toMatchObject({ signed: true, verified: false, signers: [] });
    expect(index.getDocument(reference)?.referrers[0]?.verification).toMatchObject({ status: 'failed', policy: 'ci' });
    const genuine = cosignReferrer(key);
    await sink.push(event(genuine.digest));
    await sink.idle();
    expect(index.getDocument(reference)).toMatchObject({ signed: true, verified: true, signers: [key.keyId] });
  });

  it('follows the referrers tag schema: the pushed fallback index signs its subject, even before its tag resolves', async () => {
    // distribution notifies a push before it links the tag: the event's tag may not resolve yet.
    const { fake, index, sink } = await setup({ referrersApi: false, referrersTagSchema: false });
    const model = pushModel(fake, 'v1');
    await sink.push(event(model.digest, 'v1'));
    const signed = signature(fake, model);
    const fallback = fake.putManifest('models/a', {
      schemaVersion: 2,
      mediaType: OCI_INDEX,
      manifests: fake.referrersOf('models/a', model.digest),
    });
    const fallbackTag = `sha256-${model.digest.slice('sha256:'.length)}`;
    await sink.push(event(signed.digest));
    await sink.push(event(fallback.digest, fallbackTag));
    await sink.idle();
    expect(fake.requestsTo(`/v2/models/a/manifests/${fallbackTag}`).map((request) => request.method)).not.toContain(
      'PUT',
    );
    expect(index.getDocument(documentReference(fake.host, 'models/a', model.digest))).toMatchObject({
      signed: true,
      referrers: [{ digest: signed.digest, kind: 'signature' }],
    });
    // Only the model is a document: referrers live in their subject's document, and the fallback
    // index is no version.
    expect(index.countDocuments()).toBe(1);
    expect(index.getRepositoryState(fake.host, 'models/a').tags.get(fallbackTag)).toBe(fallback.digest);
    expect(verifyIndex(index.db)).toEqual([]);
  });

  it('removes a deleted manifest with its tags; a delete of an unknown digest changes nothing', async () => {
    const { fake, index, sink } = await setup();
    const model = pushModel(fake, 'v1');
    await sink.push(event(model.digest, 'v1'));
    await sink.remove(event(`sha256:${'0'.repeat(64)}`));
    await sink.idle();
    expect(index.countDocuments()).toBe(1);
    fake.deleteManifest('models/a', model.digest);
    await sink.remove(event(model.digest));
    await sink.remove(event(model.digest));
    await sink.idle();
    expect(index.countDocuments()).toBe(0);
    expect(index.getRepositoryState(fake.host, 'models/a').tags.size).toBe(0);
  });

  it('regression: a delete event was believed; the document stays while a HEAD of the manifest still finds it', async () => {
    const { fake, index, sink, logged } = await setup();
    const model = pushModel(fake, 'v1');
    await sink.push(event(model.digest, 'v1'));
    await sink.remove(event(model.digest));
    await sink.idle();
    expect(index.countDocuments()).toBe(1);
    expect(fake.requestsTo(`/v2/models/a/manifests/${model.digest}`).map((request) => request.method)).toContain(
      'HEAD',
    );
    expect(logged.some((line) => line.includes('"outcome":"kept"'))).toBe(true);
    fake.faults.add({ method: 'HEAD', path: `/v2/models/a/manifests/${model.digest}`, status: 503 });
    fake.deleteManifest('models/a', model.digest);
    await sink.remove(event(model.digest));
    await sink.idle();
    expect(index.countDocuments()).toBe(1); // a HEAD that fails otherwise removes nothing
  });

  it('skips a push whose manifest the registry no longer has (delivered after its delete), without an error', async () => {
    const { fake, index, sink, logged } = await setup();
    const gone = `sha256:${'a'.repeat(64)}`;
    await sink.remove(event(gone));
    await sink.push(event(gone, 'v1'));
    await sink.idle();
    expect(index.countDocuments()).toBe(0);
    expect(index.listErrors()).toEqual([]);
    expect(logged.some((line) => line.includes('"outcome":"gone"'))).toBe(true);
    expect(fake.requestsTo(`/v2/models/a/manifests/${gone}`)).not.toHaveLength(0);
  });

  it('records a failing event as an error of no run and goes on with the next', async () => {
    const { fake, index, sink } = await setup();
    const model = pushModel(fake, 'v1');
    fake.faults.add({ path: `/v2/models/a/manifests/${model.digest}`, method: 'GET', status: 403, times: 1 });
    await sink.push(event(model.digest, 'v1'));
    await sink.push(event(model.digest, 'v1'));
    await sink.idle();
    expect(index.listErrors()).toMatchObject([
      { registry: fake.host, repository: 'models/a', reference: model.digest, code: 'denied' },
    ]);
    expect(index.countDocuments()).toBe(1);
  });

  it('records an error when the credential variable of the registry is unset', async () => {
    const { fake, index, sink } = await setup();
    await new IndexRegistryStore(index).update('fake', {
      credentials: { passwordEnv: 'OCIDEX_CRED_TEST_UNSET_VARIABLE' },
    });
    await sink.push(event(pushModel(fake, 'v1').digest, 'v1'));
    await sink.idle();
    expect(index.listErrors()).toMatchObject([
      { code: 'invalid_argument', message: expect.stringMatching(/OCIDEX_CRED_TEST_UNSET_VARIABLE is not set/) },
    ]);
    expect(index.countDocuments()).toBe(0);
  });

  it('bounds its queue: past the limit a push is refused as too many requests; unknown registries are ignored', async () => {
    const { fake, index, sink } = await setup({ maxPending: 1 });
    const model = pushModel(fake, 'v1');
    fake.faults.add({ path: `/v2/models/a/manifests/${model.digest}`, method: 'GET', delayMs: 100, times: 1 });
    await sink.push(event(model.digest, 'v1'));
    await expect(sink.push(event(model.digest, 'v1'))).rejects.toMatchObject({ code: 'too_many_requests' });
    await sink.idle();
    await sink.push({ ...event(model.digest), registry: 'removed' });
    await sink.idle();
    expect(index.countDocuments()).toBe(1);
    await sink.close();
    await expect(sink.push(event(model.digest))).rejects.toMatchObject({ code: 'timeout' });
  });

  it('on close, finishes queued events within the grace period and drops the rest without recording errors', async () => {
    const { fake, index, sink, logged } = await setup();
    const model = pushModel(fake, 'v1');
    fake.faults.add({ path: `/v2/models/a/manifests/${model.digest}`, method: 'GET', delayMs: 5_000, times: 1 });
    await sink.push(event(model.digest, 'v1'));
    await sink.push(event(model.digest, 'v2'));
    const started = Date.now();
    await sink.close(50);
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(index.countDocuments()).toBe(0);
    expect(index.listErrors()).toEqual([]);
    expect(logged.filter((line) => line.startsWith('push event dropped'))).toHaveLength(2);
  });
});
