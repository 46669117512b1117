/**
 * The Sigstore verifier's contract: what trust an operator gives it and what it answers.
 * Verification is offline: the trusted root is a file the operator supplies, never fetched (no TUF).
 * See ../../../shared/FORMATS.md, "Verifying signatures".
 */
import type { SignatureCheck } from '../domain/trust.js';

/** One keyless identity a policy trusts: the certificate SAN and the OIDC issuer that vouched for it. */
export interface SigstoreIdentity {
  /** The OIDC issuer extension of the certificate, compared exactly. */
  issuer: string;
  /** The certificate SAN (URI or e-mail), compared exactly. Give this or `subjectRegExp`. */
  subject?: string;
  /** A regular expression the whole SAN must match (anchored, unlike cosign's unanchored search). */
  subjectRegExp?: string;
}

/** The trust material of one policy, as the operator configured it. */
export interface SigstoreTrust {
  /**
   * Parsed trusted_root.json (Sigstore TrustedRoot protobuf JSON); null when the policy uses keys only.
   * Every authority needs `validFor.start`. Certificates must chain to one of its CAs, carry an SCT
   * of one of its CT logs when it lists any, and be valid when a log or TSA of it says they signed.
   * Without a root, key-pair bundles are checked for signature and key only (no log evidence).
   */
  trustedRoot: unknown | null;
  /** Keyless identities: the certificate SAN (exact `subject` or `subjectRegExp`) and the OIDC issuer (exact). */
  identities: SigstoreIdentity[];
  /** PEM public keys for key-pair signing (cosign sign --key). */
  publicKeys: string[];
}

/** What the signature must be over. */
export interface SignedTarget {
  /** `sha256:<hex>` of the subject manifest. */
  digest: string;
  /** The subject manifest bytes; needed for message-signature bundles (their signature is over these bytes). */
  artifact?: Uint8Array;
}

/** Verifies Sigstore signatures over already fetched bytes; built once per policy by `createSigstoreVerifier`. */
export interface SigstoreVerifier {
  /** A Sigstore bundle (parsed JSON of the bundle layer, v0.1–v0.3) over `target`. Never throws. */
  verifyBundle(bundle: unknown, target: SignedTarget): SignatureCheck;
  /** cosign tag-based `.sig`: a simple-signing payload blob and its layer annotations. Never throws. */
  verifySimpleSigning(payload: Uint8Array, annotations: Record<string, string>, target: SignedTarget): SignatureCheck;
}
