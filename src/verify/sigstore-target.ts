/**
 * The signed target's digest, split once: Sigstore content names digests by algorithm and hex
 * (in-toto `subject[].digest.sha256`, `messageDigest`, `docker-manifest-digest`), OCI as `alg:hex`.
 */
import type { SignatureCheck } from '../domain/trust.js';
import { failed } from './sigstore-reasons.js';

/** An OCI digest the verifier can compare. */
export interface TargetDigest {
  algorithm: 'sha256' | 'sha512';
  hex: string;
  /** The `alg:hex` form. */
  digest: string;
}

const DIGEST_PATTERN = /^(sha256|sha512):([0-9a-f]+)$/;
const HEX_LENGTH = { sha256: 64, sha512: 128 } as const;

/** Parses `target.digest`; a digest ocidex cannot compare is a mismatch, never a throw. */
export function parseTargetDigest(digest: unknown): TargetDigest | SignatureCheck {
  const match = typeof digest === 'string' ? DIGEST_PATTERN.exec(digest) : null;
  const algorithm = match?.[1] as TargetDigest['algorithm'] | undefined;
  const hex = match?.[2];
  if (!algorithm || !hex || hex.length !== HEX_LENGTH[algorithm]) {
    return failed('digest_mismatch', `the target digest ${String(digest)} is not a sha256 or sha512 digest`);
  }
  return { algorithm, hex, digest: `${algorithm}:${hex}` };
}

/** Tells a parsed digest from the failure `parseTargetDigest` returns. */
export function isTargetDigest(value: TargetDigest | SignatureCheck): value is TargetDigest {
  return 'hex' in value;
}
