/**
 * Verifiable cosign key-pair signatures (`cosign sign --key`), made with Node's crypto: an
 * ECDSA P-256 key, and the simple-signing payload signed as cosign does (SHA-256, DER signature,
 * base64 in the layer annotation `dev.cosignproject.cosign/signature`). Written either as the
 * tag-based `sha256-<hex>.sig` manifest or as an OCI 1.1 referrer (cosign's
 * `--registry-referrers-mode=oci-1-1`: artifactType `application/vnd.dev.cosign.artifact.sig.v1+json`).
 * The demo, the crawl benchmark and the trust tests sign with it.
 */
import { createHash, generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { MediaType, type Descriptor, type ImageManifest } from '../domain/oci.js';
import { EMPTY_CONFIG, manifestArtifact, type SampleArtifact } from './artifact.js';
import { jsonBytes, sha256Digest } from './bytes.js';
import { cosignSignatureTag, ReferrerType } from './samples-referrers.js';

export const COSIGN_SIGNATURE_ANNOTATION = 'dev.cosignproject.cosign/signature';
export const COSIGN_REFERRER_TYPE = 'application/vnd.dev.cosign.artifact.sig.v1+json';

export interface SigningKey {
  privateKey: KeyObject;
  /** The public key as `cosign public-key` prints it (PEM, SPKI). */
  publicKeyPem: string;
  /** `key:sha256:<hex of the SPKI DER>`: the signer ocidex reports for this key. */
  keyId: string;
}

/** A fresh ECDSA P-256 key pair (cosign's default). */
export function generateSigningKey(): SigningKey {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const der = publicKey.export({ type: 'spki', format: 'der' });
  return {
    privateKey,
    publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    keyId: `key:sha256:${createHash('sha256').update(der).digest('hex')}`,
  };
}

/** The simple-signing payload cosign signs for `digest` pushed as `dockerReference`. */
export function simpleSigningPayload(digest: string, dockerReference: string): Uint8Array {
  return jsonBytes({
    critical: {
      identity: { 'docker-reference': dockerReference },
      image: { 'docker-manifest-digest': digest },
      type: 'cosign container image signature',
    },
    optional: null,
  });
}

/** base64 of the DER ECDSA-SHA256 signature over `payload`. */
export function signPayload(payload: Uint8Array, key: KeyObject): string {
  return sign('sha256', payload, key).toString('base64');
}

/**
 * A verifiable cosign signature of `subject` signed by `key` (or over `signedDigest` instead,
 * to forge one over another artifact): `{tag}` for the tag-based form, `subject` set for the
 * OCI 1.1 referrer form.
 */
export function cosignKeySignature(
  subject: Descriptor,
  dockerReference: string,
  key: KeyObject,
  options: { referrer?: boolean; signedDigest?: string } = {},
): { tag: string | null; artifact: SampleArtifact<ImageManifest> } {
  const payload = simpleSigningPayload(options.signedDigest ?? subject.digest, dockerReference);
  const layer = {
    mediaType: ReferrerType.cosignSimpleSigning,
    bytes: payload,
    annotations: { [COSIGN_SIGNATURE_ANNOTATION]: signPayload(payload, key) },
  };
  if (options.referrer === true) {
    return {
      tag: null,
      artifact: manifestArtifact({
        artifactType: COSIGN_REFERRER_TYPE,
        config: EMPTY_CONFIG,
        layers: [layer],
        subject,
      }),
    };
  }
  const config = {
    architecture: '',
    created: '0001-01-01T00:00:00Z',
    history: [{ created: '0001-01-01T00:00:00Z' }],
    os: '',
    rootfs: { type: 'layers', diff_ids: [sha256Digest(payload)] },
    config: {},
  };
  const artifact = manifestArtifact({
    config: { mediaType: MediaType.ociImageConfig, bytes: jsonBytes(config) },
    layers: [layer],
  });
  return { tag: cosignSignatureTag(subject.digest), artifact };
}
