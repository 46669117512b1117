/**
 * The layer annotations cosign writes on a tag-based `.sig` signature (one layer per signature,
 * media type application/vnd.dev.cosign.simplesigning.v1+json). Shared by the verifier and the
 * test signer, so both name them once.
 */

/** Base64 signature over the simple-signing payload blob. */
export const COSIGN_SIGNATURE_ANNOTATION = 'dev.cosignproject.cosign/signature';
/** Keyless: the PEM Fulcio leaf certificate. */
export const COSIGN_CERTIFICATE_ANNOTATION = 'dev.sigstore.cosign/certificate';
/** Keyless: the PEM chain (intermediates and root) the signer saw; ocidex trusts only the operator's root. */
export const COSIGN_CHAIN_ANNOTATION = 'dev.sigstore.cosign/chain';
/** The Rekor bundle: `{"SignedEntryTimestamp": b64, "Payload": {body, integratedTime, logIndex, logID}}`. */
export const COSIGN_REKOR_BUNDLE_ANNOTATION = 'dev.sigstore.cosign/bundle';
/** `critical.type` of a cosign simple-signing payload. */
export const COSIGN_SIGNATURE_TYPE = 'cosign container image signature';
