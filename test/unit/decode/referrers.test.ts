import { describe, expect, it } from 'vitest';
import { summarizeReferrer } from '../../../src/decode/index.js';
import { MediaType, type Descriptor, type ImageManifest } from '../../../src/domain/oci.js';

const DIGEST = `sha256:${'b'.repeat(64)}`;
const referrer = (artifactType?: string, annotations?: Record<string, string>): Descriptor => ({
  mediaType: MediaType.ociManifest,
  digest: DIGEST,
  size: 700,
  ...(artifactType === undefined ? {} : { artifactType }),
  ...(annotations === undefined ? {} : { annotations }),
});
const EMPTY = { mediaType: MediaType.ociEmpty, digest: 'sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a', size: 2 };
const manifestOf = (config: Descriptor, layerTypes: string[], artifactType?: string): ImageManifest => ({
  schemaVersion: 2,
  mediaType: MediaType.ociManifest,
  ...(artifactType === undefined ? {} : { artifactType }),
  config,
  layers: layerTypes.map((mediaType, index) => ({ mediaType, digest: `sha256:${String(index).repeat(64)}`, size: 10 })),
});

describe('summarizeReferrer', () => {
  it.each([
    ['application/vnd.cncf.notary.signature', 'signature'],
    ['application/vnd.dev.sigstore.bundle.v0.3+json', 'signature'],
    ['application/vnd.dev.sigstore.bundle+json;version=0.2', 'signature'],
    ['application/vnd.dev.cosign.simplesigning.v1+json', 'signature'],
    ['application/vnd.dev.cosign.artifact.sig.v1+json', 'signature'],
    ['application/spdx+json', 'sbom'],
    ['text/spdx', 'sbom'],
    ['application/vnd.cyclonedx+json', 'sbom'],
    ['application/vnd.cyclonedx+xml', 'sbom'],
    ['application/vnd.syft+json', 'sbom'],
    ['application/vnd.dev.cosign.artifact.sbom.v1+json', 'sbom'],
    ['application/vnd.in-toto+json', 'attestation'],
    ['application/vnd.dsse.envelope.v1+json', 'attestation'],
    ['APPLICATION/VND.IN-TOTO+JSON', 'attestation'],
    ['application/vnd.example.readme.v1', 'artifact'],
    ['application/vnd.oci.empty.v1+json', 'artifact'],
  ])('%s is a %s', (artifactType, kind) => {
    expect(summarizeReferrer(referrer(artifactType))).toEqual({
      digest: DIGEST,
      mediaType: MediaType.ociManifest,
      artifactType,
      kind,
      annotations: {},
      referrers: [],
    });
  });

  it('tells a sigstore attestation bundle (predicateType set) from a signature bundle', () => {
    const bundle = 'application/vnd.dev.sigstore.bundle.v0.3+json';
    const annotations = { 'dev.sigstore.bundle.content': 'dsse-envelope', 'dev.sigstore.bundle.predicateType': 'https://slsa.dev/provenance/v1' };
    expect(summarizeReferrer(referrer(bundle, annotations)).kind).toBe('attestation');
    expect(summarizeReferrer(referrer(`${bundle.replace('.v0.3', '')};version=0.2`, annotations)).kind).toBe('attestation');
    expect(summarizeReferrer(referrer(bundle, { 'dev.sigstore.bundle.content': 'message-signature' })).kind).toBe('signature');
  });

  it('classifies a legacy notation signature by its manifest config media type', () => {
    const config = { ...EMPTY, mediaType: 'application/vnd.cncf.notary.signature' };
    const summary = summarizeReferrer(referrer(), manifestOf(config, ['application/jose+json']));
    expect(summary).toMatchObject({ kind: 'signature', artifactType: 'application/vnd.cncf.notary.signature' });
  });

  it('prefers the descriptor artifactType over the manifest', () => {
    const manifest = manifestOf(EMPTY, ['application/spdx+json'], 'application/vnd.cyclonedx+json');
    expect(summarizeReferrer(referrer('application/spdx+json'), manifest).artifactType).toBe('application/spdx+json');
    expect(summarizeReferrer(referrer(), manifest).kind).toBe('sbom');
  });

  it('classifies cosign tag-based manifests by their layers', () => {
    const config = { ...EMPTY, mediaType: MediaType.ociImageConfig, size: 233 };
    expect(summarizeReferrer(referrer(), manifestOf(config, ['application/vnd.dev.cosign.simplesigning.v1+json'])).kind).toBe('signature');
    expect(summarizeReferrer(referrer(), manifestOf(config, ['application/vnd.dsse.envelope.v1+json'])).kind).toBe('attestation');
  });

  it('is an artifact without an artifact type, and null stays null', () => {
    expect(summarizeReferrer(referrer())).toMatchObject({ kind: 'artifact', artifactType: null });
  });

  it('decodes `+json` annotations of the descriptor', () => {
    const summary = summarizeReferrer(referrer('application/vnd.in-toto+json', { 'predicate+json': '{"type":"slsa"}' }));
    expect(summary.annotations).toEqual({ predicate: { type: 'slsa' } });
  });
});
