/**
 * The signature algorithms a Notary Project signature may use, and the rule that the signing key
 * decides which one (signature-specification.md, "Signature Algorithm Requirements" and
 * "Algorithm Selection"; signature-envelope-jws.md, "Supported alg header values"): RSA 2048/3072/4096
 * with RSASSA-PSS SHA-256/384/512 (salt length = hash length), EC P-256/384/521 with ECDSA
 * SHA-256/384/512; JWS carries ECDSA signatures as raw r||s (RFC 7518 §3.4).
 */
import { constants, verify } from 'node:crypto';
import type { KeyObject } from 'node:crypto';

/** Parameters of one JWS `alg` value. */
export interface JwsAlgorithm {
  name: string;
  hash: 'sha256' | 'sha384' | 'sha512';
  /** Hash length in bytes: the PSS salt length. */
  hashLength: number;
  key: 'rsa' | 'ec';
  /** RSA modulus bits or EC curve name the key must have. */
  keySize: number | string;
  /** Length of a raw ECDSA signature (r||s). */
  signatureLength?: number;
}

/** The Notary Project's subset of JWS `alg` values (RFC 7518 §3.1). */
export const JWS_ALGORITHMS: ReadonlyMap<string, JwsAlgorithm> = new Map(
  [
    { name: 'PS256', hash: 'sha256', hashLength: 32, key: 'rsa', keySize: 2048 },
    { name: 'PS384', hash: 'sha384', hashLength: 48, key: 'rsa', keySize: 3072 },
    { name: 'PS512', hash: 'sha512', hashLength: 64, key: 'rsa', keySize: 4096 },
    { name: 'ES256', hash: 'sha256', hashLength: 32, key: 'ec', keySize: 'prime256v1', signatureLength: 64 },
    { name: 'ES384', hash: 'sha384', hashLength: 48, key: 'ec', keySize: 'secp384r1', signatureLength: 96 },
    { name: 'ES512', hash: 'sha512', hashLength: 64, key: 'ec', keySize: 'secp521r1', signatureLength: 132 },
  ].map((algorithm) => [algorithm.name, algorithm as JwsAlgorithm]),
);

/** The algorithm the spec assigns to `key`, or undefined for a key type or size it does not allow. */
export function algorithmForKey(key: KeyObject): JwsAlgorithm | undefined {
  const details = key.asymmetricKeyDetails;
  const size = key.asymmetricKeyType === 'rsa' ? details?.modulusLength : details?.namedCurve;
  for (const algorithm of JWS_ALGORITHMS.values()) {
    if (algorithm.key === key.asymmetricKeyType && algorithm.keySize === size) return algorithm;
  }
  return undefined;
}

/** Verifies a JWS signature over `input`; false for any signature that does not verify. */
export function verifyJwsSignature(
  algorithm: JwsAlgorithm,
  key: KeyObject,
  input: Uint8Array,
  signature: Uint8Array,
): boolean {
  try {
    if (algorithm.key === 'ec') {
      if (signature.length !== algorithm.signatureLength) return false;
      return verify(algorithm.hash, input, { key, dsaEncoding: 'ieee-p1363' }, signature);
    }
    const options = { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: algorithm.hashLength };
    return verify(algorithm.hash, input, options, signature);
  } catch {
    return false; // OpenSSL rejects some malformed signatures by throwing instead of answering false
  }
}
