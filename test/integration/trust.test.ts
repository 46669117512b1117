/**
 * Trust end to end on a real docker-registry (no referrers API: every referrer lives in the
 * tag-schema fallback index): signatures made by the tests themselves (an offline Sigstore, a
 * Notation CA, cosign keys) and by notation itself (notation-go's test data), pushed in the
 * shapes real writers use, crawled with the trust policies of an `ocidex.yaml`, and asserted:
 * kind, `verified`, `signers`, every status and reason. A recrawl fetches no referrer again;
 * `ocidex verify` after a policy change makes no request (the registry is stopped by then).
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { crawlRegistry } from '../../src/crawl/crawl-registry.js';
import { applyTrustPolicies } from '../../src/crawl/trust-update.js';
import { jsonBytes } from '../../src/demo/bytes.js';
import { Pusher } from '../../src/demo/pusher.js';
import { startRegistry, type RunningRegistry } from '../../src/demo/registry-process.js';
import {
  attachReferrer,
  cosignKeySignature,
  descriptorOf,
  EMPTY_CONFIG,
  generateSigningKey,
  manifestArtifact,
  omlmdArtifact,
  pushArtifact,
  spdxSbomArtifact,
  type SampleArtifact,
  type SigningKey,
} from '../../src/demo/samples.js';
import { documentReference, type ArtifactDocument, type ReferrerSummary } from '../../src/domain/document.js';
import type { Descriptor } from '../../src/domain/oci.js';
import { QueryEngine } from '../../src/query/index.js';
import { RegistryClient } from '../../src/registry/index.js';
import { loadConfigFile } from '../../src/runtime/config-file.js';
import { createTestCa, signJws, type TestCa, type TestCertificate } from '../support/notation-signer.js';
import { createTestSigstore, type TestSigstore } from '../support/sigstore-signer.js';
import { finishedRun, queueCoordinator } from '../support/queue-crawl.js';
import { startRedis } from '../support/redis-process.js';
import { tempIndex, type TempIndex } from '../support/temp-index.js';
import { silentLogger } from '../../src/runtime/logger.js';
import { startWorkers } from '../../src/queue/workers/main.js';

const BUNDLE = 'application/vnd.dev.sigstore.bundle.v0.3+json';
const COSIGN_SIGN = 'https://sigstore.dev/cosign/sign/v1';
const SLSA = 'https://slsa.dev/provenance/v1';
const NOTATION = 'application/vnd.cncf.notary.signature';
const CI = {
  san: 'https://github.com/acme/ci/.github/workflows/release.yml@refs/heads/main',
  issuer: 'https://token.actions.githubusercontent.com',
};
const INTRUDER = {
  san: 'https://github.com/evil/fork/.github/workflows/release.yml@refs/heads/main',
  issuer: CI.issuer,
};
const SIGNER_DN = 'C=US, ST=WA, O=Acme, CN=model-signer';
const NOTATION_FIXTURES = fileURLToPath(new URL('../fixtures/notation/internal/testdata/', import.meta.url));

let registry: RunningRegistry;
let pusher: Pusher;
let sigstore: TestSigstore;
let ca: TestCa;
let otherCa: TestCa;
let leaf: TestCertificate;
let key: SigningKey;
let temp: TempIndex;
let configDir: string;
const models = new Map<string, Descriptor>();
const referrers = new Map<string, string>();

type EntryShape = (entry: Descriptor) => Descriptor;
const SPEC: EntryShape = (entry) => entry;
const GGCR: EntryShape = ({ annotations: _dropped, ...entry }) => entry;
const EMPTY_TYPE: EntryShape = ({ annotations: _dropped, ...entry }) => ({
  ...entry,
  artifactType: 'application/vnd.oci.empty.v1+json',
});
const NO_TYPE: EntryShape = ({ annotations: _dropped, artifactType: _type, ...entry }) => entry;

async function pushModel(repository: string): Promise<Descriptor> {
  const artifact = omlmdArtifact({
    metadata: {
      name: repository,
      description: null,
      author: 'ci',
      customProperties: { accuracy: 0.96, license: 'Apache-2.0' },
      model_format_name: 'onnx',
    },
    modelFile: 'model.onnx',
    modelBytes: jsonBytes({ weights: repository }),
    includeYaml: false,
  });
  await pushArtifact(pusher, repository, artifact, 'v1');
  models.set(repository, descriptorOf(artifact));
  return descriptorOf(artifact);
}

async function attach(
  repository: string,
  subject: Descriptor,
  artifact: SampleArtifact,
  shape: EntryShape = SPEC,
): Promise<string> {
  const attached = await attachReferrer(pusher, repository, subject.digest, artifact, shape);
  referrers.set(repository, attached.referrer.digest);
  return attached.referrer.digest;
}

/** A referrer holding a Sigstore bundle, as cosign v3 writes it (or with its annotations or type left out). */
function bundleArtifact(
  subject: Descriptor,
  bundle: unknown,
  options: { predicateType?: string; annotated?: boolean; typed?: boolean } = {},
) {
  const annotations = {
    'dev.sigstore.bundle.content': 'dsse-envelope',
    'dev.sigstore.bundle.predicateType': options.predicateType ?? COSIGN_SIGN,
  };
  return manifestArtifact({
    ...(options.typed === false ? {} : { artifactType: BUNDLE }),
    config: EMPTY_CONFIG,
    layers: [{ mediaType: BUNDLE, bytes: typeof bundle === 'string' ? Buffer.from(bundle) : jsonBytes(bundle) }],
    subject,
    ...(options.annotated === false ? {} : { annotations }),
  });
}

function notationArtifact(subject: Descriptor, envelope: Uint8Array) {
  return manifestArtifact({
    artifactType: NOTATION,
    config: EMPTY_CONFIG,
    layers: [{ mediaType: 'application/jose+json', bytes: envelope }],
    subject,
    annotations: { 'org.opencontainers.image.created': '2026-12-01T00:00:00Z' },
  });
}

async function keylessBundle(subject: string, identity = CI, predicateType = COSIGN_SIGN) {
  return sigstore.signDsseBundle({ subjectDigest: subject, identity, predicateType });
}

/** Pushes the notation-go image (an OCI layout) and attaches notation's own JWS envelope to it. */
async function pushNotationGoImage(repository: string): Promise<void> {
  const layout = join(NOTATION_FIXTURES, 'oci-layout');
  const index = JSON.parse(readFileSync(join(layout, 'index.json'), 'utf8')) as { manifests: Descriptor[] };
  const descriptor = index.manifests[0] as Descriptor;
  const blob = (digest: string) =>
    new Uint8Array(readFileSync(join(layout, 'blobs', 'sha256', digest.slice('sha256:'.length))));
  const manifest = JSON.parse(Buffer.from(blob(descriptor.digest)).toString()) as {
    config: Descriptor;
    layers: Descriptor[];
  };
  for (const part of [manifest.config, ...manifest.layers]) await pusher.pushBlob(repository, blob(part.digest));
  await pusher.pushManifest(repository, 'v2', blob(descriptor.digest), descriptor.mediaType);
  const subject = { mediaType: descriptor.mediaType, digest: descriptor.digest, size: descriptor.size };
  models.set(repository, subject);
  await attach(
    repository,
    subject,
    notationArtifact(subject, new Uint8Array(readFileSync(join(NOTATION_FIXTURES, 'jws_signature.sig')))),
  );
}

/** The ocidex.yaml a user writes, with the files it names; returns its path. */
function writeConfig(name: string, options: { notation?: boolean; identities?: Array<typeof CI> } = {}): string {
  const dir = join(configDir, name);
  mkdirSync(join(dir, 'notation-ca'), { recursive: true });
  mkdirSync(join(dir, 'notation-go'), { recursive: true });
  writeFileSync(join(dir, 'trusted_root.json'), JSON.stringify(sigstore.trustedRoot));
  writeFileSync(join(dir, 'cosign.pub'), key.publicKeyPem);
  writeFileSync(join(dir, 'notation-ca', 'acme.pem'), ca.trustStorePem);
  writeFileSync(join(dir, 'notation-go', 'leaf.pem'), readFileSync(join(NOTATION_FIXTURES, 'jws_signature-leaf.pem')));
  const identities = (options.identities ?? [CI]).map(
    (identity) => `{ issuer: "${identity.issuer}", subject: "${identity.san}" }`,
  );
  const notation =
    options.notation === false
      ? ''
      : `
      notation:
        trustStore: notation-ca/
        trustedIdentities: ["x509.subject: ${SIGNER_DN}"]`;
  const yaml = `
trust:
  policies:
    - name: notation-go
      scope: ["${registry.host}/trust/alpine"]
      notation:
        trustStore: notation-go/
        trustedIdentities: ["*"]
    - name: ci-models
      scope: ["${registry.host}/trust/**"]
      sigstore:
        trustedRoot: trusted_root.json
        identities: [${identities.join(', ')}]
        publicKeys: [cosign.pub]${notation}
`;
  writeFileSync(join(dir, 'ocidex.yaml'), yaml);
  return join(dir, 'ocidex.yaml');
}

beforeAll(async () => {
  registry = await startRegistry();
  pusher = new Pusher(registry.url);
  configDir = mkdtempSync(join(tmpdir(), 'ocidex-trust-'));
  sigstore = await createTestSigstore();
  [ca, otherCa] = await Promise.all([
    createTestCa({ intermediate: true, name: 'Acme' }),
    createTestCa({ name: 'Elsewhere' }),
  ]);
  leaf = await ca.issueLeaf({ subject: SIGNER_DN });
  key = generateSigningKey();

  // Good signatures, one shape each.
  for (const [repository, shape, options] of [
    ['trust/cosign-v3', SPEC, {}],
    ['trust/ggcr', GGCR, {}],
    ['trust/empty-type', EMPTY_TYPE, { annotated: false }],
    ['trust/no-type', NO_TYPE, { annotated: false, typed: false }],
  ] as const) {
    const model = await pushModel(repository);
    await attach(repository, model, bundleArtifact(model, await keylessBundle(model.digest), options), shape);
  }
  const notationModel = await pushModel('trust/notation');
  await attach(
    'trust/notation',
    notationModel,
    notationArtifact(notationModel, signJws({ target: notationModel, leaf, chain: ca.chain })),
  );
  const tagged = await pushModel('trust/cosign-key');
  const sig = cosignKeySignature(tagged, `${registry.host}/trust/cosign-key`, key.privateKey);
  await pushArtifact(pusher, 'trust/cosign-key', sig.artifact, sig.tag ?? undefined);
  referrers.set('trust/cosign-key', sig.artifact.digest);
  const keyed = await pushModel('trust/cosign-key-referrer');
  await attach(
    'trust/cosign-key-referrer',
    keyed,
    cosignKeySignature(keyed, `${registry.host}/trust/cosign-key-referrer`, key.privateKey, { referrer: true })
      .artifact,
  );
  await pushNotationGoImage('trust/alpine');

  // Bad input, each on its own model.
  const other = await pushModel('trust/other-identity');
  await attach('trust/other-identity', other, bundleArtifact(other, await keylessBundle(other.digest, INTRUDER)));
  const elsewhere = await pushModel('trust/other-artifact');
  await attach('trust/other-artifact', elsewhere, bundleArtifact(elsewhere, await keylessBundle(notationModel.digest)));
  const forged = await pushModel('trust/forged');
  await attach(
    'trust/forged',
    forged,
    cosignKeySignature(forged, `${registry.host}/trust/forged`, generateSigningKey().privateKey, { referrer: true })
      .artifact,
  );
  const malformed = await pushModel('trust/malformed');
  await attach(
    'trust/malformed',
    malformed,
    bundleArtifact(malformed, '{"mediaType": "application/vnd.dev.sigstore.bundle.v0.3+json", "verificationMat'),
  );
  const oversized = await pushModel('trust/oversized');
  await attach('trust/oversized', oversized, notationArtifact(oversized, new Uint8Array(300 * 1024).fill(0x7b)));
  const untrusted = await pushModel('trust/untrusted-ca');
  const stranger = await otherCa.issueLeaf({ subject: SIGNER_DN });
  await attach(
    'trust/untrusted-ca',
    untrusted,
    notationArtifact(untrusted, signJws({ target: untrusted, leaf: stranger, chain: otherCa.chain })),
  );
  const expired = await pushModel('trust/expired');
  await attach(
    'trust/expired',
    expired,
    notationArtifact(
      expired,
      signJws({
        target: expired,
        leaf,
        chain: ca.chain,
        signingTime: new Date(Date.now() - 7_200_000),
        expiry: new Date(Date.now() - 3_600_000),
      }),
    ),
  );

  // An attestation and an SBOM whose own signature is nested under it.
  const attested = await pushModel('trust/attested');
  await attach(
    'trust/attested',
    attested,
    bundleArtifact(attested, await keylessBundle(attested.digest, CI, SLSA), { predicateType: SLSA }),
  );
  const withSbom = await pushModel('trust/sbom');
  const sbom = spdxSbomArtifact(withSbom, 'trust-sbom');
  await attach('trust/sbom', withSbom, sbom);
  await attachReferrer(
    pusher,
    'trust/sbom',
    sbom.digest,
    bundleArtifact(descriptorOf(sbom), await keylessBundle(sbom.digest)),
  );

  // Outside every policy's scope.
  const unscoped = await pushModel('elsewhere/unscoped');
  await attach('elsewhere/unscoped', unscoped, bundleArtifact(unscoped, await keylessBundle(unscoped.digest)));
  temp = tempIndex();
}, 120_000);

afterAll(async () => {
  temp?.cleanup();
  await pusher?.close();
  await registry?.stop();
  if (configDir) rmSync(configDir, { recursive: true, force: true });
});

async function crawl() {
  const client = new RegistryClient({ registry: registry.host, dockerConfigPath: null });
  try {
    return await crawlRegistry(client, temp.index);
  } finally {
    await client.close();
  }
}

const documentOf = (repository: string): ArtifactDocument => {
  const document = temp.index.getDocument(
    documentReference(registry.host, repository, models.get(repository)?.digest ?? ''),
  );
  if (document === null) throw new Error(`${repository} is not indexed`);
  return document;
};
const signatureOf = (repository: string): ReferrerSummary | undefined =>
  documentOf(repository).referrers.find((referrer) => referrer.digest === referrers.get(repository));

describe('signatures verified against the trust policies of ocidex.yaml', () => {
  it('verifies every good signature, whatever shape its writer gave it', async () => {
    const file = await loadConfigFile(writeConfig('first'));
    applyTrustPolicies(temp.index, file.trust ?? []);
    const summary = await crawl();
    expect(summary.status).toBe('succeeded');
    for (const repository of ['trust/cosign-v3', 'trust/ggcr', 'trust/empty-type', 'trust/no-type']) {
      expect(documentOf(repository), repository).toMatchObject({ signed: true, verified: true, signers: [CI.san] });
      expect(signatureOf(repository), repository).toMatchObject({
        kind: 'signature',
        predicateType: COSIGN_SIGN,
        verification: { status: 'verified', policy: 'ci-models', signer: CI.san, reason: null },
      });
    }
    expect(documentOf('trust/notation')).toMatchObject({ verified: true, signers: [`x509.subject: ${SIGNER_DN}`] });
    expect(documentOf('trust/cosign-key')).toMatchObject({ verified: true, signers: [key.keyId] });
    expect(documentOf('trust/cosign-key-referrer')).toMatchObject({ verified: true, signers: [key.keyId] });
  });

  it("verifies notation-go's real signature over its real image against its certificate", () => {
    expect(signatureOf('trust/alpine')?.verification).toMatchObject({ status: 'verified', policy: 'notation-go' });
    expect(documentOf('trust/alpine').signers).toEqual(['x509.subject: C=US, ST=WA, L=Seattle, O=Notary, CN=alpine']);
  });

  it.each([
    ['trust/other-identity', 'untrusted_identity'],
    ['trust/other-artifact', 'digest_mismatch'],
    ['trust/forged', 'untrusted_key'],
    ['trust/malformed', 'malformed'],
    ['trust/oversized', 'oversized'],
    ['trust/untrusted-ca', 'untrusted_chain'],
    ['trust/expired', 'expired'],
  ])('%s: failed, %s, and still indexed', (repository, reason) => {
    expect(documentOf(repository)).toMatchObject({ kind: 'model', signed: true, verified: false, signers: [] });
    expect(signatureOf(repository)?.verification).toMatchObject({ status: 'failed', policy: 'ci-models', reason });
  });

  it('reports the intruder as the signer of the failed signature', () => {
    expect(signatureOf('trust/other-identity')?.verification?.signer).toBe(INTRUDER.san);
  });

  it('an attestation is no signature; a signature on an SBOM verifies nested, not for the model', () => {
    expect(documentOf('trust/attested')).toMatchObject({ signed: false, verified: false });
    expect(signatureOf('trust/attested')).toMatchObject({ kind: 'attestation', predicateType: SLSA });
    expect(signatureOf('trust/attested')?.verification).toBeUndefined();
    const sbom = documentOf('trust/sbom');
    expect(sbom).toMatchObject({ signed: false, verified: false });
    expect(sbom.referrers[0]?.referrers[0]?.verification).toMatchObject({ status: 'verified', signer: CI.san });
  });

  it('a signature no policy covers is unverified', () => {
    expect(signatureOf('elsewhere/unscoped')?.verification).toEqual({
      status: 'unverified',
      policy: null,
      signer: null,
      reason: 'no_policy',
    });
    expect(documentOf('elsewhere/unscoped')).toMatchObject({ signed: true, verified: false });
  });

  it('answers trust queries across the registry', () => {
    const engine = new QueryEngine(temp.index.db);
    const verified = engine.query('$[?@.verified == true && @.model.license == "Apache-2.0"].repository').items;
    expect([...verified].sort()).toEqual([
      'trust/cosign-key',
      'trust/cosign-key-referrer',
      'trust/cosign-v3',
      'trust/empty-type',
      'trust/ggcr',
      'trust/no-type',
      'trust/notation',
    ]);
    const byCi = engine.query(`$[?@.signers[?@ == "${CI.san}"]].repository`).items;
    expect([...byCi].sort()).toEqual(['trust/cosign-v3', 'trust/empty-type', 'trust/ggcr', 'trust/no-type']);
  });

  it('a recrawl fetches no referrer manifest or blob again', async () => {
    const summary = await crawl();
    expect(summary.requests.total).toBeGreaterThan(0);
    expect(summary.requests.byOperation['manifest.get'] ?? 0).toBe(0);
    expect(summary.requests.byOperation['blob.get'] ?? 0).toBe(0);
    expect(documentOf('trust/cosign-v3').verified).toBe(true);
  });

  it('queue mode (fetch workers, one index writer) verifies exactly as the embedded crawl did', async () => {
    const redis = await startRedis();
    const queued = tempIndex();
    const workers = await startWorkers({
      redisUrl: redis.url,
      db: queued.path,
      roles: ['fetch', 'write'],
      logger: silentLogger,
      clientDefaults: { dockerConfigPath: null },
    });
    const { queues, coordinator } = queueCoordinator(redis.url, queued.index, { id: 'local', url: registry.host });
    try {
      applyTrustPolicies(queued.index, (await loadConfigFile(writeConfig('queued'))).trust ?? []);
      const run = await finishedRun(queued.index, (await coordinator.start('local', 'api')).crawlId);
      expect(run.status).toBe('succeeded');
      const trustOf = (index: TempIndex['index']) =>
        [...index.iterateDocuments()].map((document) => ({
          reference: document.reference,
          verified: document.verified,
          signers: document.signers,
          statuses: document.referrers.map((referrer) => [
            referrer.kind,
            referrer.predicateType,
            referrer.verification,
          ]),
        }));
      expect(trustOf(queued.index)).toEqual(trustOf(temp.index));
    } finally {
      await workers.close();
      await queues.close();
      queued.cleanup();
      await redis.stop();
    }
  });

  it('ocidex verify after a policy change re-verifies from stored material, with the registry gone', async () => {
    await registry.stop();
    const changed = await loadConfigFile(writeConfig('second', { notation: false, identities: [INTRUDER] }));
    const update = applyTrustPolicies(temp.index, changed.trust ?? [], true);
    expect(update.changed).toBe(true);
    expect(documentOf('trust/cosign-v3')).toMatchObject({ verified: false, signers: [] });
    expect(signatureOf('trust/cosign-v3')?.verification).toMatchObject({
      status: 'failed',
      reason: 'untrusted_identity',
    });
    expect(documentOf('trust/other-identity')).toMatchObject({ verified: true, signers: [INTRUDER.san] });
    expect(signatureOf('trust/notation')?.verification).toMatchObject({
      status: 'failed',
      reason: 'no_trust_material',
    });
    expect(documentOf('trust/cosign-key').verified).toBe(true);
    expect(update.statuses.verified).toBeGreaterThan(0);
  });
});
