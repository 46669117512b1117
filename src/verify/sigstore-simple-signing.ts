/**
 * cosign tag-based `.sig` signatures (legacy, before bundles): the layer blob is a simple-signing
 * payload naming the signed manifest digest, and its annotations carry the signature and, keyless,
 * the Fulcio certificate and Rekor SET. Key-pair: the signature must verify with a policy key (no
 * transparency evidence is checked, as `cosign verify --key --insecure-ignore-tlog`). Keyless: the
 * payload is verified as a signed entity by @sigstore/verify, exactly like a bundle.
 */
import { X509Certificate } from '@sigstore/core';
import type { SignedEntity } from '@sigstore/verify';
import type { SignatureCheck } from '../domain/trust.js';
import {
  COSIGN_CERTIFICATE_ANNOTATION,
  COSIGN_REKOR_BUNDLE_ANNOTATION,
  COSIGN_SIGNATURE_ANNOTATION,
} from './cosign-annotations.js';
import { rekorBundleToTLogEntry } from './cosign-rekor-bundle.js';
import { failed } from './sigstore-reasons.js';
import { verifyCertificateEntity } from './sigstore-run.js';
import { blobSignatureContent, verifyBlobWithKeys } from './sigstore-blob-signature.js';
import { checkSimpleSigningDigest, parseSimpleSigning } from './simple-signing-payload.js';
import { isTargetDigest, parseTargetDigest } from './sigstore-target.js';
import type { SigstoreTrustMaterial } from './sigstore-trust.js';
import type { SignedTarget } from './sigstore-types.js';

/** Verifies a `.sig` layer (payload blob + annotations) over `target` with one policy's trust. */
export function verifySimpleSigningPayload(
  material: SigstoreTrustMaterial,
  payload: Uint8Array,
  annotations: Record<string, string>,
  target: SignedTarget,
): SignatureCheck {
  const digest = parseTargetDigest(target?.digest);
  if (!isTargetDigest(digest)) return digest;
  const parsed = parseSimpleSigning(payload);
  if ('ok' in parsed) return parsed;
  const signatureText = annotations?.[COSIGN_SIGNATURE_ANNOTATION];
  if (typeof signatureText !== 'string' || !/^[A-Za-z0-9+/]+={0,2}$/.test(signatureText)) {
    return failed('malformed', `the ${COSIGN_SIGNATURE_ANNOTATION} annotation is missing or not base64`);
  }
  const signature = Buffer.from(signatureText, 'base64');
  const certificate = annotations[COSIGN_CERTIFICATE_ANNOTATION];
  const check =
    certificate === undefined
      ? verifyBlobWithKeys(material.keys, payload, signature)
      : verifyKeyless(material, payload, signature, certificate, annotations[COSIGN_REKOR_BUNDLE_ANNOTATION]);
  if (!check.ok) return check;
  return checkSimpleSigningDigest(parsed, digest) ?? check;
}

function verifyKeyless(
  material: SigstoreTrustMaterial,
  payload: Uint8Array,
  signature: Buffer,
  certificatePem: string,
  rekorBundle: string | undefined,
): SignatureCheck {
  if (rekorBundle === undefined) {
    return failed('invalid_log_entry', `a keyless signature needs its Rekor entry (${COSIGN_REKOR_BUNDLE_ANNOTATION})`);
  }
  let entity: SignedEntity;
  try {
    const tlogEntry = rekorBundleToTLogEntry(rekorBundle);
    entity = {
      signature: blobSignatureContent(payload, signature),
      key: { $case: 'certificate', certificate: X509Certificate.parse(certificatePem) },
      tlogEntries: [tlogEntry],
      timestamps: [{ $case: 'transparency-log', tlogEntry }],
    };
  } catch (error) {
    return failed('malformed', `the keyless signature annotations cannot be read: ${(error as Error).message}`);
  }
  return verifyCertificateEntity(material, entity);
}
