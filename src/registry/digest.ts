/**
 * Digests (OCI image-spec "Digests"): parsing, computing and verifying. sha256 and sha512 are
 * verified; other algorithms cannot be, so they are refused where verification is required.
 */
import { hash } from 'node:crypto';
import { OcidexError } from '../domain/errors.js';

/** Algorithms this client can verify. */
export type DigestAlgorithm = 'sha256' | 'sha512';

/** The encoded part of a verifiable digest: lower-case hex of the algorithm's length. */
const ENCODED: Readonly<Record<DigestAlgorithm, RegExp>> = { sha256: /^[a-f0-9]{64}$/, sha512: /^[a-f0-9]{128}$/ };

/** OCI digest grammar: `algorithm ":" encoded`. */
const DIGEST_PATTERN = /^[a-z0-9]+(?:[+._-][a-z0-9]+)*:[a-zA-Z0-9=_-]+$/;

/** A digest split at its first colon. */
export interface ParsedDigest {
  algorithm: string;
  encoded: string;
}

/** Splits a digest that follows the grammar (registered algorithms checked strictly), or null. */
export function parseDigest(text: string): ParsedDigest | null {
  if (!DIGEST_PATTERN.test(text)) return null;
  const at = text.indexOf(':');
  const algorithm = text.slice(0, at);
  const encoded = text.slice(at + 1);
  if (isVerifiable(algorithm) && !ENCODED[algorithm].test(encoded)) return null;
  return { algorithm, encoded };
}

function isVerifiable(algorithm: string): algorithm is DigestAlgorithm {
  return algorithm === 'sha256' || algorithm === 'sha512';
}

/** Whether `text` is a digest this client can verify. */
export function isVerifiableDigest(text: string): boolean {
  const parsed = parseDigest(text);
  return parsed !== null && isVerifiable(parsed.algorithm);
}

/** `algorithm:hex` of `bytes`. */
export function computeDigest(bytes: Uint8Array, algorithm: DigestAlgorithm = 'sha256'): string {
  // One-shot hash (Node >= 20.12): a fraction of createHash's cost for the small bodies fetched here.
  return `${algorithm}:${hash(algorithm, bytes, 'hex')}`;
}

/**
 * Checks `bytes` against `expected`; throws `digest_mismatch` (not transient: the content is
 * wrong, not the connection) or `invalid_reference` for a digest that cannot be verified.
 */
export function verifyDigest(expected: string, bytes: Uint8Array, what: string): void {
  const parsed = parseDigest(expected);
  if (parsed === null || !isVerifiable(parsed.algorithm)) {
    throw new OcidexError('invalid_reference', `cannot verify ${what}: unsupported digest ${expected.slice(0, 100)}`);
  }
  const actual = computeDigest(bytes, parsed.algorithm);
  if (actual !== expected) {
    // The digest received is not shown: a hash of whatever answered tells a reader about it.
    throw new OcidexError('digest_mismatch', `${what}: content does not match ${expected}`, { transient: false });
  }
}

/** The referrers tag-schema tag of a digest: `<algorithm cut to 32>-<encoded cut to 64>`. */
export function referrersTag(digest: string): string {
  const parsed = parseDigest(digest);
  if (parsed === null) throw new OcidexError('invalid_reference', `invalid digest: ${digest.slice(0, 100)}`);
  return `${parsed.algorithm.slice(0, 32)}-${parsed.encoded.slice(0, 64)}`;
}
