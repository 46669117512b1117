/**
 * Signature verification contract: what a verifier answers about one signature, and what a
 * referrer summary carries. See ../../../shared/FORMATS.md, "Verifying signatures".
 * Reasons are stable codes (queries and the catalog match on them); add, never rename.
 */

export type VerificationStatus = 'verified' | 'failed' | 'unverified' | 'unsupported';

export type VerificationReason =
  /** No trust policy's scope covers the signed artifact (status `unverified`). */
  | 'no_policy'
  /** A policy covers it but holds no trust material for this kind of signature. */
  | 'no_trust_material'
  /** The cryptographic signature does not verify with the key it names. */
  | 'bad_signature'
  /** The signature is over another artifact (statement subject, targetArtifact, docker-manifest-digest). */
  | 'digest_mismatch'
  /** Keyless: the certificate's OIDC issuer is not one the policy trusts. */
  | 'untrusted_issuer'
  /** The certificate's identity (SAN, x509 subject) is not one the policy trusts. */
  | 'untrusted_identity'
  /** Key-pair signing with a key the policy does not hold. */
  | 'untrusted_key'
  /** The certificate chain leads to no trusted CA (or the chain is invalid). */
  | 'untrusted_chain'
  /** Transparency-log or timestamp evidence missing or invalid. */
  | 'invalid_log_entry'
  /** The certificate or the signature expired / was not yet valid at signing time. */
  | 'expired'
  /** The envelope or bundle cannot be parsed or breaks its format's rules. */
  | 'malformed'
  /** The envelope is larger than ocidex stores. */
  | 'oversized'
  /** A signature kind or feature ocidex does not verify (COSE, unknown critical headers, ...). */
  | 'unsupported_format';

/** The outcome of one verifier over one signature. */
export type SignatureCheck =
  | { ok: true; signer: string }
  | { ok: false; reason: VerificationReason; detail: string; signer?: string | null };

/** Stored on every signature referrer (`referrers[].verification`). */
export interface Verification {
  status: VerificationStatus;
  /** The name of the trust policy that decided, or null. */
  policy: string | null;
  /**
   * Who signed: keyless, the certificate SAN; x509, `x509.subject: <DN>`; keys,
   * `key:sha256:<hex of the SPKI DER>`. Null when unknown.
   */
  signer: string | null;
  /** Why not verified, as a stable code; null when verified. */
  reason: VerificationReason | null;
}
