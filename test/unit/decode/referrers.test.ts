import { describe, expect, it } from 'vitest';
import { listingSettles, summarizeReferrer } from '../../../src/decode/index.js';
import { MediaType, type Descriptor, type ImageManifest } from '../../../src/domain/oci.js';

const DIGEST = `sha256:${'b'.repeat(64)}`;
const referrer = (artifactType?: string, annotations?: Record<string, string>): Descriptor => ({
  mediaType: MediaType.ociManifest,
  digest: DIGEST,
  size: 700,
  ...(artifactType === undefined ? {} : { artifactType }),
  ...(annotations === undefined ? {} : { annotations }),
});
const EMPTY = {
  mediaType: MediaType.ociEmpty,
  digest: 'sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a',
  size: 2,
};
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
  ])('%s is a %s', (artifactType, kind) => {
    expect(summarizeReferrer(referrer(artifactType))).toEqual({
      digest: DIGEST,
      mediaType: MediaType.ociManifest,
      artifactType,
      kind,
      predicateType: null,
      annotations: {},
      referrers: [],
    });
    expect(listingSettles(referrer(artifactType))).toBe(true);
  });

  const BUNDLE = 'application/vnd.dev.sigstore.bundle.v0.3+json';
  const dsse = (predicateType: string) => ({
    'dev.sigstore.bundle.content': 'dsse-envelope',
    'dev.sigstore.bundle.predicateType': predicateType,
  });

  it.each([
    ['https://sigstore.dev/cosign/sign/v1', 'signature'],
    ['https://slsa.dev/provenance/v1', 'attestation'],
    ['https://in-toto.io/attestation/vulns/v0.1', 'attestation'],
    ['https://spdx.dev/Document', 'sbom'],
    ['https://spdx.dev/Document/v2.3', 'sbom'],
    ['https://cyclonedx.org/bom', 'sbom'],
    ['https://cyclonedx.org/bom/v1.5', 'sbom'],
  ])('a cosign v3 bundle with predicateType %s is a %s', (predicateType, kind) => {
    const summary = summarizeReferrer(referrer(BUNDLE, dsse(predicateType)));
    expect(summary).toMatchObject({ kind, predicateType });
    expect(listingSettles(referrer(BUNDLE, dsse(predicateType)))).toBe(true);
    const older = `${BUNDLE.replace('.v0.3', '')};version=0.2`;
    expect(summarizeReferrer(referrer(older, dsse(predicateType))).kind).toBe(kind);
  });

  it('a message-signature bundle is a signature, settled by the listing', () => {
    const listed = referrer(BUNDLE, { 'dev.sigstore.bundle.content': 'message-signature' });
    expect(summarizeReferrer(listed)).toMatchObject({ kind: 'signature', predicateType: null });
    expect(listingSettles(listed)).toBe(true);
  });

  it('a bundle entry without annotations (the ggcr fallback index) is unsettled: its manifest decides', () => {
    const listed = referrer(BUNDLE);
    expect(summarizeReferrer(listed).kind).toBe('artifact');
    expect(listingSettles(listed)).toBe(false);
    expect(listingSettles(referrer(BUNDLE, { 'dev.sigstore.bundle.content': 'dsse-envelope' }))).toBe(false);
    const manifest = {
      ...manifestOf(EMPTY, [BUNDLE], BUNDLE),
      annotations: dsse('https://sigstore.dev/cosign/sign/v1'),
    };
    expect(summarizeReferrer(listed, manifest)).toMatchObject({
      kind: 'signature',
      predicateType: 'https://sigstore.dev/cosign/sign/v1',
    });
  });

  it('an empty-artifactType entry (cosign #4422) is unsettled and classified by the manifest layers', () => {
    const listed = referrer(MediaType.ociEmpty);
    expect(listingSettles(listed)).toBe(false);
    expect(summarizeReferrer(listed)).toMatchObject({ kind: 'artifact', artifactType: null });
    const manifest = manifestOf(EMPTY, [BUNDLE]);
    // A bundle layer alone says nothing of its predicate: the fetched bundle's statement tells.
    expect(summarizeReferrer(listed, manifest).kind).toBe('artifact');
    expect(summarizeReferrer(listed, manifest, 'https://sigstore.dev/cosign/sign/v1')).toMatchObject({
      kind: 'signature',
      artifactType: BUNDLE,
    });
    expect(summarizeReferrer(listed, manifest, 'https://slsa.dev/provenance/v1').kind).toBe('attestation');
  });

  it('a referrer manifest with no artifactType (cosign #4995) is classified by its layer and annotations', () => {
    const manifest = { ...manifestOf(EMPTY, [BUNDLE]), annotations: dsse('https://sigstore.dev/cosign/sign/v1') };
    expect(summarizeReferrer(referrer(), manifest)).toMatchObject({ kind: 'signature', artifactType: BUNDLE });
  });

  it('a listing entry without artifactType is unsettled', () => {
    expect(listingSettles(referrer())).toBe(false);
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
    expect(
      summarizeReferrer(referrer(), manifestOf(config, ['application/vnd.dev.cosign.simplesigning.v1+json'])).kind,
    ).toBe('signature');
    expect(summarizeReferrer(referrer(), manifestOf(config, ['application/vnd.dsse.envelope.v1+json'])).kind).toBe(
      'attestation',
    );
  });

  it('is an artifact without an artifact type, and null stays null', () => {
    expect(summarizeReferrer(referrer())).toMatchObject({ kind: 'artifact', artifactType: null });
  });

  it('decodes `+json` annotations of the descriptor', () => {
    const summary = summarizeReferrer(
      referrer('application/vnd.in-toto+json', { 'predicate+json': '{"type":"slsa"}' }),
    );
    expect(summary.annotations).toEqual({ predicate: { type: 'slsa' } });
  });
});
