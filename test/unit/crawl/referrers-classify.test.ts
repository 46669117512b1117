/**
 * Referrers classified as real writers list them (FORMATS.md, "Referrers"), on the fake
 * registry's referrers API: cosign v3 bundles by predicate type, entries without annotations
 * (go-containerregistry), with the empty type (cosign #4422), manifests without artifactType
 * (cosign #4995). What is fetched: a referrer manifest only when the listing does not settle the
 * kind or it is a signature, its envelopes only for signatures, and nothing once recorded.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS, type FetchContext } from '../../../src/crawl/context.js';
import { ErrorCollector } from '../../../src/crawl/error-collector.js';
import { resolveReferrers } from '../../../src/crawl/referrers-unit.js';
import type { ReferrerSummary } from '../../../src/domain/document.js';
import { RegistryClient } from '../../../src/registry/index.js';
import { FakeRegistry, OCI_EMPTY, type FakeDescriptor } from '../../support/fake-registry.js';

const REPOSITORY = 'models/signed';
const BUNDLE = 'application/vnd.dev.sigstore.bundle.v0.3+json';
const COSIGN_SIGN = 'https://sigstore.dev/cosign/sign/v1';
const SLSA = 'https://slsa.dev/provenance/v1';
let fake: FakeRegistry | undefined;
let client: RegistryClient | undefined;

afterEach(async () => {
  await client?.close();
  await fake?.close();
  fake = client = undefined;
});

/** A DSSE bundle whose statement has `predicateType` (shape only: not verifiable). */
function bundleJson(subject: string, predicateType: string): string {
  const statement = {
    _type: 'https://in-toto.io/Statement/v1',
    subject: [{ name: 'model', digest: { sha256: subject.slice(7) } }],
    predicateType,
    predicate: {},
  };
  const payload = Buffer.from(JSON.stringify(statement)).toString('base64');
  return JSON.stringify({
    mediaType: BUNDLE,
    verificationMaterial: { publicKey: { hint: 'test' }, tlogEntries: [] },
    dsseEnvelope: { payload, payloadType: 'application/vnd.in-toto+json', signatures: [{ sig: 'AAAA', keyid: '' }] },
  });
}

interface BundleShape {
  predicateType: string;
  /** Annotations on the referrer manifest (cosign v3 writes them). */
  annotated?: boolean;
  artifactType?: boolean;
}

function pushBundle(registry: FakeRegistry, subject: FakeDescriptor, shape: BundleShape): FakeDescriptor {
  const annotations = {
    'dev.sigstore.bundle.content': 'dsse-envelope',
    'dev.sigstore.bundle.predicateType': shape.predicateType,
  };
  return registry.pushArtifact(REPOSITORY, {
    ...(shape.artifactType === false ? {} : { artifactType: BUNDLE }),
    layers: [{ mediaType: BUNDLE, content: bundleJson(subject.digest, shape.predicateType) }],
    ...(shape.annotated === false ? {} : { annotations }),
    subject,
  });
}

async function setup(): Promise<{ registry: FakeRegistry; model: FakeDescriptor }> {
  fake = await FakeRegistry.start({ referrersApi: true });
  const model = fake.pushArtifact(REPOSITORY, {
    tag: 'v1',
    configMediaType: 'application/x-config',
    config: { name: 'm' },
  });
  return { registry: fake, model };
}

async function resolve(
  registry: FakeRegistry,
  subject: string,
  known = new Map<string, ReferrerSummary>(),
): Promise<ReferrerSummary[]> {
  client ??= new RegistryClient({ registry: registry.host, dockerConfigPath: null });
  const context: FetchContext = {
    client,
    index: {
      hasDocument: () => false,
      mountOf: () => null,
      knownReferrer: (_registry, _repository, digest) => known.get(digest) ?? null,
    },
    errors: new ErrorCollector(registry.host),
    limits: DEFAULT_LIMITS,
    now: () => '2026-12-02T00:00:00.000Z',
  };
  return resolveReferrers(context, { registry: registry.host, repository: REPOSITORY, subject, tags: null });
}

const manifestGets = (registry: FakeRegistry, digest: string) =>
  registry.requestsTo(`/v2/${REPOSITORY}/manifests/${digest}`).filter((request) => request.method === 'GET').length;
const blobGets = (registry: FakeRegistry) => registry.requestsTo(/\/blobs\//).length;

describe('referrers classified as real signers write them', () => {
  it('a cosign v3 signature (sign/v1 bundle, spec listing) is a signature whose bundle is kept for verification', async () => {
    const { registry, model } = await setup();
    const signature = pushBundle(registry, model, { predicateType: COSIGN_SIGN });
    const [summary] = await resolve(registry, model.digest);
    expect(summary).toMatchObject({
      digest: signature.digest,
      kind: 'signature',
      predicateType: COSIGN_SIGN,
      artifactType: BUNDLE,
    });
    expect(summary?.material?.envelopes).toHaveLength(1);
    expect(summary?.material?.subject?.digest).toBe(model.digest);
    expect(JSON.parse(Buffer.from(summary?.material?.envelopes[0]?.data ?? '', 'base64').toString())).toMatchObject({
      mediaType: BUNDLE,
    });
  });

  it('a SLSA bundle with annotations in the listing is an attestation and nothing is fetched', async () => {
    const { registry, model } = await setup();
    const attestation = pushBundle(registry, model, { predicateType: SLSA });
    registry.clearRequests();
    const [summary] = await resolve(registry, model.digest);
    expect(summary).toMatchObject({ kind: 'attestation', predicateType: SLSA });
    expect(summary?.material).toBeUndefined();
    expect(manifestGets(registry, attestation.digest)).toBe(0);
    expect(blobGets(registry)).toBe(0);
  });

  it('an entry without annotations (ggcr) is settled from the fetched manifest', async () => {
    const { registry, model } = await setup();
    const attestation = pushBundle(registry, model, { predicateType: SLSA });
    registry.shapeListing(attestation.digest, ({ annotations: _dropped, ...entry }) => entry);
    registry.clearRequests();
    const [summary] = await resolve(registry, model.digest);
    expect(summary).toMatchObject({ kind: 'attestation', predicateType: SLSA, material: null });
    expect(manifestGets(registry, attestation.digest)).toBe(1);
    expect(blobGets(registry)).toBe(0);
  });

  it('an empty-artifactType entry (cosign #4422) of an unannotated manifest is settled by reading the bundle', async () => {
    const { registry, model } = await setup();
    const signature = pushBundle(registry, model, { predicateType: COSIGN_SIGN, annotated: false });
    registry.shapeListing(signature.digest, ({ annotations: _dropped, ...entry }) => ({
      ...entry,
      artifactType: OCI_EMPTY,
    }));
    const [summary] = await resolve(registry, model.digest);
    expect(summary).toMatchObject({ kind: 'signature', predicateType: COSIGN_SIGN, artifactType: BUNDLE });
    expect(summary?.material?.envelopes).toHaveLength(1);
  });

  it('a manifest without artifactType (cosign #4995): empty config and a bundle layer', async () => {
    const { registry, model } = await setup();
    const attestation = pushBundle(registry, model, {
      predicateType: 'https://cyclonedx.org/bom',
      artifactType: false,
      annotated: false,
    });
    const [summary] = await resolve(registry, model.digest);
    expect(summary).toMatchObject({
      digest: attestation.digest,
      kind: 'sbom',
      predicateType: 'https://cyclonedx.org/bom',
      artifactType: BUNDLE,
    });
    expect(summary?.material).toBeNull();
  });

  it('a recorded referrer is never fetched again', async () => {
    const { registry, model } = await setup();
    const signature = pushBundle(registry, model, { predicateType: COSIGN_SIGN });
    const [first] = await resolve(registry, model.digest);
    registry.clearRequests();
    const { material: _material, ...recorded } = first as ReferrerSummary;
    const [again] = await resolve(registry, model.digest, new Map([[signature.digest, recorded]]));
    expect(again).toMatchObject({ digest: signature.digest, kind: 'signature', predicateType: COSIGN_SIGN });
    expect(again?.material).toBeUndefined();
    expect(manifestGets(registry, signature.digest)).toBe(0);
    expect(blobGets(registry)).toBe(0);
  });

  it('a signature envelope over the size cap is kept as oversized, not fetched', async () => {
    const { registry, model } = await setup();
    registry.pushArtifact(REPOSITORY, {
      artifactType: 'application/vnd.cncf.notary.signature',
      layers: [{ mediaType: 'application/jose+json', content: 'x'.repeat(300 * 1024) }],
      subject: model,
    });
    registry.clearRequests();
    const [summary] = await resolve(registry, model.digest);
    expect(summary?.kind).toBe('signature');
    expect(summary?.material?.envelopes[0]?.data).toBeNull();
    expect(blobGets(registry)).toBe(0);
  });
});
