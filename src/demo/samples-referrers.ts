/**
 * Artifacts that describe another manifest: a Notation signature and an SPDX SBOM (both with
 * `subject`, as `notation sign` and `oras attach` write them), and a cosign tag-based `.sig`.
 * See /work/shared/FORMATS.md "Referrers". Signatures are shaped right but not verifiable.
 */
import { MediaType, type Descriptor, type ImageManifest } from '../domain/oci.js';
import { EMPTY_CONFIG, manifestArtifact, type SampleArtifact } from './artifact.js';
import { jsonBytes, sha256Digest, textBytes } from './bytes.js';

export const ReferrerType = {
  notation: 'application/vnd.cncf.notary.signature',
  jose: 'application/jose+json',
  spdx: 'application/spdx+json',
  cosignSimpleSigning: 'application/vnd.dev.cosign.simplesigning.v1+json',
} as const;

export const NOTATION_THUMBPRINT_ANNOTATION = 'io.cncf.notary.x509chain.thumbprint#S256';
const CREATED = 'org.opencontainers.image.created';
const DEFAULT_CREATED = '2025-06-02T10:00:00Z';

/** A Notation (JWS) signature on `subject`. */
export function notationSignatureArtifact(
  subject: Descriptor,
  created = DEFAULT_CREATED,
): SampleArtifact<ImageManifest> {
  const payload = { targetArtifact: subject };
  const protectedHeader = {
    alg: 'PS256',
    cty: 'application/vnd.cncf.notary.payload.v1+json',
    'io.cncf.notary.signingTime': created,
  };
  const envelope = {
    payload: base64Url(JSON.stringify(payload)),
    protected: base64Url(JSON.stringify(protectedHeader)),
    header: { x5c: [base64Url(`ocidex demo certificate for ${subject.digest}`)] },
    signature: base64Url(sha256Digest(textBytes(`signature:${subject.digest}:${created}`))),
  };
  const thumbprint = sha256Digest(textBytes('ocidex demo signing certificate')).slice('sha256:'.length);
  return manifestArtifact({
    artifactType: ReferrerType.notation,
    config: EMPTY_CONFIG,
    layers: [{ mediaType: ReferrerType.jose, bytes: jsonBytes(envelope) }],
    subject,
    annotations: { [NOTATION_THUMBPRINT_ANNOTATION]: JSON.stringify([thumbprint]), [CREATED]: created },
  });
}

/** An SPDX 2.3 SBOM attached to `subject` (`oras attach --artifact-type application/spdx+json`). */
export function spdxSbomArtifact(
  subject: Descriptor,
  packageName: string,
  created = DEFAULT_CREATED,
): SampleArtifact<ImageManifest> {
  const document = {
    spdxVersion: 'SPDX-2.3',
    dataLicense: 'CC0-1.0',
    SPDXID: 'SPDXRef-DOCUMENT',
    name: packageName,
    documentNamespace: `https://ocidex.example/spdx/${subject.digest}`,
    creationInfo: { created, creators: ['Tool: ocidex-demo'] },
    packages: [
      { SPDXID: 'SPDXRef-Package-onnxruntime', name: 'onnxruntime', versionInfo: '1.18.0', licenseConcluded: 'MIT' },
      { SPDXID: 'SPDXRef-Package-numpy', name: 'numpy', versionInfo: '1.26.4', licenseConcluded: 'BSD-3-Clause' },
    ],
  };
  return manifestArtifact({
    artifactType: ReferrerType.spdx,
    config: EMPTY_CONFIG,
    layers: [
      {
        mediaType: ReferrerType.spdx,
        bytes: jsonBytes(document),
        annotations: { 'org.opencontainers.image.title': 'sbom.spdx.json' },
      },
    ],
    subject,
    annotations: { [CREATED]: created },
  });
}

/** The cosign tag for a signature of `digest`: `sha256-<hex>.sig`. */
export function cosignSignatureTag(digest: string): string {
  return `${digest.replace(':', '-')}.sig`;
}

/**
 * A cosign tag-based signature of `subject` (no `subject` field: it is found by its tag),
 * pushed in the subject's repository under `cosignSignatureTag(subject.digest)`.
 */
export function cosignSignatureArtifact(
  subject: Descriptor,
  dockerReference: string,
): { tag: string; artifact: SampleArtifact<ImageManifest> } {
  const simpleSigning = {
    critical: {
      identity: { 'docker-reference': dockerReference },
      image: { 'docker-manifest-digest': subject.digest },
      type: 'cosign container image signature',
    },
    optional: null,
  };
  const layerBytes = jsonBytes(simpleSigning);
  const config = {
    architecture: '',
    created: '0001-01-01T00:00:00Z',
    history: [{ created: '0001-01-01T00:00:00Z' }],
    os: '',
    rootfs: { type: 'layers', diff_ids: [sha256Digest(layerBytes)] },
    config: {},
  };
  const signature = Buffer.from(sha256Digest(layerBytes)).toString('base64');
  const artifact = manifestArtifact({
    config: { mediaType: MediaType.ociImageConfig, bytes: jsonBytes(config) },
    layers: [
      {
        mediaType: ReferrerType.cosignSimpleSigning,
        bytes: layerBytes,
        annotations: { 'dev.cosignproject.cosign/signature': signature },
      },
    ],
  });
  return { tag: cosignSignatureTag(subject.digest), artifact };
}

function base64Url(text: string): string {
  return Buffer.from(text, 'utf8').toString('base64url');
}
