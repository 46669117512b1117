/**
 * A signature over raw bytes (a cosign simple-signing payload): as a @sigstore/verify signature
 * content for keyless checks, and verified directly against the policy's keys for key-pair signing.
 * Algorithms as cosign signs: ECDSA and RSA PKCS#1 v1.5 over SHA-256, Ed25519 over the message.
 */
import { createHash, verify, type KeyObject } from 'node:crypto';
import type { SignedEntity } from '@sigstore/verify';
import type { SignatureCheck } from '../domain/trust.js';
import type { TrustedKey } from './sigstore-keys.js';
import { failed } from './sigstore-reasons.js';

/** Verifies a signature over `data` with one key, never throwing. */
export function verifyBlob(data: Uint8Array, key: KeyObject, signature: Uint8Array): boolean {
  try {
    const algorithm = key.asymmetricKeyType === 'ed25519' ? null : 'sha256';
    return verify(algorithm, data, key, signature);
  } catch {
    return false;
  }
}

/** Key-pair signing: the first policy key the signature verifies with is the signer. */
export function verifyBlobWithKeys(
  keys: readonly TrustedKey[],
  data: Uint8Array,
  signature: Uint8Array,
): SignatureCheck {
  if (keys.length === 0) return failed('no_trust_material', 'the policy holds no public keys');
  const signer = keys.find((candidate) => verifyBlob(data, candidate.key, signature));
  return signer
    ? { ok: true, signer: signer.signer }
    : failed('untrusted_key', `the signature verifies with none of the policy's ${keys.length} public keys`);
}

/** The payload and its signature as @sigstore/verify compares them with a Rekor hashedrekord entry. */
export function blobSignatureContent(data: Uint8Array, signature: Buffer): SignedEntity['signature'] {
  const digest = createHash('sha256').update(data).digest();
  return {
    signature,
    compareSignature: (other) => other.equals(signature),
    compareDigest: (other) => other.equals(digest),
    verifySignature: (key) => verifyBlob(data, key, signature),
  };
}
