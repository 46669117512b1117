/**
 * The Sigstore verifier of one trust policy: trust material built once, then pure checks over
 * bundles and cosign `.sig` payloads the crawl already fetched. Offline: the trusted root is the
 * operator's file (see ./sigstore-types.ts).
 */
import type { SignatureCheck } from '../domain/trust.js';
import { verifySigstoreBundle } from './sigstore-bundle.js';
import { checkFromError } from './sigstore-reasons.js';
import { verifySimpleSigningPayload } from './sigstore-simple-signing.js';
import { buildTrustMaterial } from './sigstore-trust.js';
import type { SigstoreTrust, SigstoreVerifier } from './sigstore-types.js';

/**
 * Builds trust material once (it is costly); throws OcidexError('invalid_argument', ...) on an
 * unusable trusted root, key or identity.
 */
export function createSigstoreVerifier(trust: SigstoreTrust): SigstoreVerifier {
  const material = buildTrustMaterial(trust);
  return {
    verifyBundle: (bundle, target) => neverThrow(() => verifySigstoreBundle(material, bundle, target)),
    verifySimpleSigning: (payload, annotations, target) =>
      neverThrow(() => verifySimpleSigningPayload(material, payload, annotations, target)),
  };
}

/** The last guard of "never throws": anything unforeseen is reported as unreadable input. */
function neverThrow(verify: () => SignatureCheck): SignatureCheck {
  try {
    return verify();
  } catch (error) {
    return checkFromError(error);
  }
}
