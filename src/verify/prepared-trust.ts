/**
 * Trust policies made ready to verify: scope globs compiled, and each policy's verifiers built
 * on first use (building Sigstore trust material is costly) and kept per policy-set hash, so a
 * crawl builds them once and a changed policy set builds new ones.
 */
import picomatch from 'picomatch';
import type { SignatureMaterial, TrustPolicy, Verification } from '../domain/trust.js';
import type { PreparedPolicy } from './prepared-policy.js';
import { schemeVerifiers } from './scheme-verifiers.js';
import { checkMaterial, toVerification } from './verify-material.js';

export interface PreparedTrust {
  /** The verification of a signature of `subject` in `<registry>/<repository>` `scope`. */
  verify(material: SignatureMaterial | null, subject: string, scope: string): Verification;
}

const NO_POLICY: Verification = { status: 'unverified', policy: null, signer: null, reason: 'no_policy' };
const cache = new Map<string, PreparedTrust>();

/** The prepared form of `policies`, cached by `hash` (the last few sets are kept). */
export function prepareTrust(hash: string | null, policies: readonly TrustPolicy[]): PreparedTrust {
  const cached = hash === null ? undefined : cache.get(hash);
  if (cached !== undefined) return cached;
  const prepared = buildTrust(policies);
  if (hash !== null) {
    if (cache.size >= 4) cache.delete(cache.keys().next().value as string);
    cache.set(hash, prepared);
  }
  return prepared;
}

function buildTrust(policies: readonly TrustPolicy[]): PreparedTrust {
  const scoped = policies.map((policy) => ({
    policy,
    matches: picomatch([...policy.scope]),
    prepared: null as PreparedPolicy | null,
  }));
  return {
    verify(material, subject, scope) {
      const entry = scoped.find((candidate) => candidate.matches(scope));
      if (entry === undefined) return NO_POLICY;
      if (material === null) return { status: 'failed', policy: entry.policy.name, signer: null, reason: 'malformed' };
      try {
        entry.prepared ??= schemeVerifiers(entry.policy);
        return toVerification(checkMaterial(material, subject, entry.prepared), entry.policy.name);
      } catch {
        // Material unusable at verification (load-policies.ts checks it first): fail, visibly.
        return { status: 'failed', policy: entry.policy.name, signer: null, reason: 'no_trust_material' };
      }
    },
  };
}
