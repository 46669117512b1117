/**
 * One policy's verifiers, one per signature scheme: Sigstore bundles and cosign `.sig` with the
 * policy's `sigstore` trust, Notation JWS with its `notation` trust store. A scheme the policy
 * holds no material for fails its signatures with `no_trust_material`.
 */
import type { SignatureCheck, TrustPolicy } from '../domain/trust.js';
import { createNotationVerifier } from './notation.js';
import type { PreparedPolicy } from './prepared-policy.js';
import { createSigstoreVerifier } from './sigstore-verifier.js';

const noMaterial = (scheme: string, policy: string): SignatureCheck => ({
  ok: false,
  reason: 'no_trust_material',
  detail: `policy ${policy} has no ${scheme} trust material`,
});

/** The verifiers of `policy`; throws when its trust material is unusable. */
export function schemeVerifiers(policy: TrustPolicy): PreparedPolicy {
  const sigstore =
    policy.sigstore === null
      ? null
      : createSigstoreVerifier({
          trustedRoot: policy.sigstore.trustedRoot ?? null,
          identities: policy.sigstore.identities,
          publicKeys: policy.sigstore.publicKeys,
        });
  const notation = policy.notation === null ? null : createNotationVerifier(policy.notation);
  return {
    name: policy.name,
    sigstoreBundle(bundle, subject, subjectManifest) {
      if (sigstore === null) return noMaterial('sigstore', policy.name);
      const artifact = subjectManifest === undefined ? undefined : Buffer.from(subjectManifest, 'base64');
      return sigstore.verifyBundle(bundle, { digest: subject, ...(artifact ? { artifact } : {}) });
    },
    notation(envelope, mediaType, material, subject) {
      if (notation === null) return noMaterial('notation', policy.name);
      const target = {
        digest: subject,
        mediaType: material.subject?.mediaType ?? '',
        size: material.subject?.size ?? -1,
      };
      return notation.verify(envelope, mediaType, target);
    },
    simpleSigning(payload, annotations, subject) {
      if (sigstore === null) return noMaterial('sigstore', policy.name);
      return sigstore.verifySimpleSigning(payload, annotations, { digest: subject });
    },
  };
}
