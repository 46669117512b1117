/**
 * Putting trust policies in force: each policy's material is checked usable first (a bad key
 * file is a config error, not a silent failure of every signature), then the policies are
 * stored and every stored signature re-verified from stored material, without a request.
 */
import { trustHash } from '../config/trust-policies.js';
import type { ReferrerSummary } from '../domain/document.js';
import { OcidexError, toOcidexError } from '../domain/errors.js';
import type { TrustPolicy } from '../domain/trust.js';
import { schemeVerifiers } from '../verify/index.js';
import type { ReferrerStore } from './context.js';
import { reverifyAll } from './store-referrers.js';

export interface TrustIndex extends ReferrerStore {
  setTrustPolicies(hash: string, policies: readonly TrustPolicy[]): void;
  iterateReferrerSubjects(): IterableIterator<[string, string, string, ReferrerSummary[]]>;
}

export interface TrustUpdate {
  /** Whether the policies differ from those stored before. */
  changed: boolean;
  /** Subjects re-verified (0 when nothing changed and `force` was not set). */
  subjects: number;
  /** Signatures by verification status after the update. */
  statuses: Record<string, number>;
}

/** Throws `invalid_argument` naming the first policy whose trust material cannot be used. */
export function checkTrustPolicies(policies: readonly TrustPolicy[]): void {
  for (const policy of policies) {
    try {
      schemeVerifiers(policy);
    } catch (error) {
      throw new OcidexError(
        'invalid_argument',
        `trust policy '${policy.name}': ${toOcidexError(error).message}`,
        {},
        { cause: error },
      );
    }
  }
}

/** Stores `policies` and re-verifies when they changed (always with `force`: `ocidex verify`). */
export function applyTrustPolicies(index: TrustIndex, policies: readonly TrustPolicy[], force = false): TrustUpdate {
  checkTrustPolicies(policies);
  const hash = trustHash(policies);
  const changed = index.trustPolicies().hash !== hash;
  if (changed) index.setTrustPolicies(hash, policies);
  if (!changed && !force) return { changed, subjects: 0, statuses: {} };
  return { changed, ...reverifyAll(index) };
}
