/**
 * Builds a policy's Sigstore trust material once (parsing certificates and keys is costly): the
 * operator's trusted root as @sigstore/verify wants it, the policy's keys and identity matchers.
 * A root or key that cannot be used is the operator's mistake, reported at creation, not per signature.
 */
import { TrustedRoot } from '@sigstore/protobuf-specs';
import { toTrustMaterial, VerificationError, type TrustMaterial } from '@sigstore/verify';
import { OcidexError } from '../domain/errors.js';
import { compileIdentities, type IdentityMatcher } from './sigstore-identity.js';
import { parseTrustedKeys, type TrustedKey } from './sigstore-keys.js';
import type { SigstoreTrust } from './sigstore-types.js';

/** Everything a Sigstore verification needs from one policy. */
export interface SigstoreTrustMaterial {
  /** From the trusted root; null for a keys-only policy. Its key finder knows no keys (keys are tried per bundle). */
  root: TrustMaterial | null;
  /** Whether the root lists CT logs, so certificates must carry a verified SCT. */
  requireSct: boolean;
  keys: TrustedKey[];
  identities: IdentityMatcher[];
}

/** Parses and checks the operator's trust; throws `invalid_argument` when it cannot be used. */
export function buildTrustMaterial(trust: SigstoreTrust): SigstoreTrustMaterial {
  if (trust === null || typeof trust !== 'object') {
    throw new OcidexError('invalid_argument', 'Sigstore trust must be an object');
  }
  for (const field of ['identities', 'publicKeys'] as const) {
    if (trust[field] !== undefined && !Array.isArray(trust[field])) {
      throw new OcidexError('invalid_argument', `Sigstore trust ${field} must be an array`);
    }
  }
  const root = trust.trustedRoot === null || trust.trustedRoot === undefined ? null : parseRoot(trust.trustedRoot);
  return {
    root: root?.material ?? null,
    requireSct: (root?.ctlogCount ?? 0) > 0,
    keys: parseTrustedKeys(trust.publicKeys ?? []),
    identities: compileIdentities(trust.identities ?? []),
  };
}

function parseRoot(json: unknown): { material: TrustMaterial; ctlogCount: number } {
  if (typeof json !== 'object' || Array.isArray(json)) {
    throw new OcidexError('invalid_argument', 'the Sigstore trusted root must be a JSON object');
  }
  try {
    const root = TrustedRoot.fromJSON(json);
    if (root.certificateAuthorities.length === 0 && root.tlogs.length === 0) {
      throw new Error('it lists neither certificate authorities nor transparency logs');
    }
    checkValidityStarts(root);
    return { material: toTrustMaterial(root, noKeys), ctlogCount: root.ctlogs.length };
  } catch (error) {
    const why = error instanceof Error ? `: ${error.message}` : '';
    throw new OcidexError('invalid_argument', `the Sigstore trusted root cannot be used${why}`, {}, { cause: error });
  }
}

/**
 * Every authority must say from when it is trusted: @sigstore/verify reads a missing start as
 * "forever", which the conformance case trust-root-tlog-missing-validity-start_fail rejects.
 */
function checkValidityStarts(root: TrustedRoot): void {
  const starts = [
    ...root.tlogs.map((log) => ['tlogs', log.baseUrl, log.publicKey?.validFor?.start] as const),
    ...root.ctlogs.map((log) => ['ctlogs', log.baseUrl, log.publicKey?.validFor?.start] as const),
    ...root.certificateAuthorities.map((ca) => ['certificateAuthorities', ca.uri, ca.validFor?.start] as const),
    ...root.timestampAuthorities.map((ca) => ['timestampAuthorities', ca.uri, ca.validFor?.start] as const),
  ];
  const missing = starts.find(([, , start]) => start === undefined);
  if (missing) throw new Error(`${missing[0]} entry ${missing[1]} has no validFor.start`);
}

function noKeys(hint: string): never {
  throw new VerificationError({ code: 'PUBLIC_KEY_ERROR', message: `key not found: ${hint}` });
}
