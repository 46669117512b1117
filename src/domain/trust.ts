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

/** One signature envelope of a signature referrer: a layer's bytes, as stored for verification. */
export interface SignatureEnvelope {
  mediaType: string;
  digest: string;
  /** The layer's annotations (cosign keeps the signature and certificate there). */
  annotations: Record<string, string>;
  /** The layer blob, base64; null when it was larger than ocidex stores. */
  data: string | null;
}

/**
 * What verifying a signature needs, fetched once and stored in the index, so that a changed
 * policy re-verifies without a request.
 */
export interface SignatureMaterial {
  /** The referrer manifest's `subject` descriptor (what the signer says it signed), or null. */
  subject: { digest: string; mediaType: string | null; size: number | null } | null;
  envelopes: SignatureEnvelope[];
  /** For message-signature bundles: the subject manifest's bytes (the signed message), base64. */
  subjectManifest?: string | null;
}

/**
 * A trust policy as stored and applied: self-contained (the files `ocidex.yaml` names are read
 * once, their contents kept), so every process verifies alike without the network.
 */
export interface TrustPolicy {
  name: string;
  /** `<registry>/<repository>` globs; the first policy whose scope matches decides. */
  scope: string[];
  sigstore: {
    /** Sigstore TrustedRoot JSON, for keyless certificates and transparency-log keys. */
    trustedRoot: unknown;
    identities: Array<{ issuer: string; subject?: string; subjectRegExp?: string }>;
    /** PEM public keys (cosign sign --key): bundles and tag-based `.sig`. */
    publicKeys: string[];
  } | null;
  notation: {
    /** PEM CA certificates. */
    trustStore: string[];
    /** `x509.subject: C=US, O=Acme, CN=...` entries, or `*`. */
    trustedIdentities: string[];
  } | null;
}
