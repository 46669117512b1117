/**
 * src/verify: signatures checked against trust policies, offline, from stored material.
 * Sigstore bundles and cosign `.sig` (sigstore*.ts), Notation JWS (notation*.ts), the
 * dispatch per envelope (verify-material.ts) and policies made ready (prepared-trust.ts).
 */
export { prepareTrust, type PreparedTrust } from './prepared-trust.js';
export type { PreparedPolicy } from './prepared-policy.js';
export { checkMaterial, toVerification } from './verify-material.js';
export { schemeVerifiers } from './scheme-verifiers.js';
