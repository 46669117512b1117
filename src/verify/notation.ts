/**
 * The Notation signature verifier: one signature envelope (a Notation referrer's layer blob) over
 * one target descriptor, against one trust policy's trust store and trusted identities.
 * It follows the verification steps of notaryproject/specifications
 * specs/trust-store-trust-policy.md ("Signature Verification", level `strict`) in notation-go's
 * order (verifier/verifier.go `processSignature`, then the descriptor check of `Verify`):
 * integrity (envelope, algorithm, signature) -> authenticity (chain rules, trust store) -> trusted
 * identity -> expiry -> certificate validity -> payload `targetArtifact` equals the target.
 *
 * Certificate validity time, per the spec: `notary.x509` has no authentic signing time unless an
 * RFC 3161 timestamp is verified, and ocidex does not verify those, so every certificate must be
 * valid at verification time (`now`), even when a timestamp is present; `notary.x509.signingAuthority`
 * uses its authentic signing time, as notation-go does.
 *
 * NOT checked (say so wherever "verified" is shown):
 * - RFC 3161 timestamp countersignatures (`io.cncf.notary.timestampSignature`): ignored, never
 *   trusted; a certificate expired now fails even if a timestamp would prove it valid at signing.
 * - Revocation of any certificate (OCSP, CRL): never fetched (verification never uses the network).
 * - Verification plugins: a signature naming one (`io.cncf.notary.verificationPlugin`, critical) or
 *   any other critical header ocidex does not know is `unsupported_format`.
 * - COSE envelopes (`application/cose`): `unsupported_format`.
 * - Certificate extensions other than basic constraints, key usage and extended key usage (the spec
 *   says to fail open on them); name constraints and policies are not evaluated.
 * - The trust policy's scope and verification level: the caller picks the policy; this is `strict`.
 * - `io.cncf.notary.signingTime` of notary.x509: unauthenticated (the spec), so never used for trust.
 * - User metadata (`targetArtifact.annotations`) and the referrer manifest's
 *   `io.cncf.notary.x509chain.thumbprint#S256` annotation: not compared (the envelope is what is verified).
 * - Trust store certificates are taken as given (notation also requires them to be CA or self-signed).
 */
import type { SignatureCheck } from '../domain/trust.js';
import { fail, toFailedCheck } from './check-failure.js';
import { formatRdns, parseRdns } from './distinguished-name.js';
import { algorithmForKey, verifyJwsSignature } from './notation-algorithms.js';
import { decodePayload, parseNotationJws, SCHEME_X509 } from './notation-jws.js';
import type { NotationJws } from './notation-jws.js';
import { checkTarget } from './notation-payload.js';
import type { NotationTarget } from './notation-payload.js';
import { checkTrustedIdentity, parseNotationTrust } from './notation-trust.js';
import type { NotationTrust, NotationTrustMaterial } from './notation-trust.js';
import { chainProblem, describe, invalidAt, isAnchoredIn } from './x509-chain.js';
import { parseCertificate } from './x509-certificate.js';
import type { Certificate } from './x509-certificate.js';

export type { NotationTrust } from './notation-trust.js';
export type { NotationTarget } from './notation-payload.js';

/** Media types of Notation signature envelopes (signature-specification.md, "Storage"). */
export const NOTATION_JWS_MEDIA_TYPE = 'application/jose+json';
export const NOTATION_COSE_MEDIA_TYPE = 'application/cose';

/** Largest envelope verified (a JWS with a 4-certificate chain is about 10 KiB). */
export const MAX_NOTATION_ENVELOPE_BYTES = 1024 * 1024;

/** Verifies Notation signatures against one trust policy's material. */
export interface NotationVerifier {
  /** One signature envelope (the referrer's layer blob) over `target`. Never throws. */
  verify(envelope: Uint8Array, envelopeMediaType: string, target: NotationTarget, now?: Date): SignatureCheck;
}

/** Parses the trust store once; throws OcidexError('invalid_argument', ...) on unusable PEM / identities. */
export function createNotationVerifier(trust: NotationTrust): NotationVerifier {
  const material = parseNotationTrust(trust);
  return {
    verify: (envelope, envelopeMediaType, target, now = new Date()) =>
      verifyNotation(material, envelope, envelopeMediaType, target, now),
  };
}

function verifyNotation(
  material: NotationTrustMaterial,
  envelope: Uint8Array,
  mediaType: string,
  target: NotationTarget,
  now: Date,
): SignatureCheck {
  if (mediaType !== NOTATION_JWS_MEDIA_TYPE) {
    const kind = mediaType === NOTATION_COSE_MEDIA_TYPE ? 'COSE envelopes are' : `envelope type ${mediaType} is`;
    return { ok: false, reason: 'unsupported_format', detail: `${kind} not verified by ocidex`, signer: null };
  }
  if (envelope.length > MAX_NOTATION_ENVELOPE_BYTES) {
    return { ok: false, reason: 'oversized', detail: `envelope of ${envelope.length} bytes`, signer: null };
  }
  let signer: string | null = null;
  try {
    const jws = parseNotationJws(envelope);
    const chain = jws.certificates.map(readCertificate);
    const leafSigner = signerOf(chain[0]!);
    signer = leafSigner;
    checkSignature(jws, chain[0]!);
    checkChain(chain, material.anchors);
    checkTrustedIdentity(chain[0]!, material.identities);
    checkTimes(jws, chain, now);
    checkTarget(decodePayload(jws), target);
    return { ok: true, signer: leafSigner };
  } catch (error) {
    return toFailedCheck(error, signer);
  }
}

function readCertificate(der: Buffer, index: number): Certificate {
  try {
    return parseCertificate(der);
  } catch {
    return fail('malformed', `x5c[${index}] is not a DER X.509 certificate`);
  }
}

/** `x509.subject: C=US, ST=WA, O=Acme, CN=signer`, in certificate order. */
function signerOf(leaf: Certificate): string {
  try {
    return `x509.subject: ${formatRdns(parseRdns(leaf.x509.subject, '\n'))}`;
  } catch {
    return `x509.subject: ${leaf.x509.subject.replace(/\n/g, ', ')}`;
  }
}

/** The leaf key decides the algorithm; `alg` naming another one is an algorithm substitution. */
function checkSignature(jws: NotationJws, leaf: Certificate): void {
  const key = leaf.x509.publicKey;
  const expected = algorithmForKey(key);
  if (!expected) {
    const details = key.asymmetricKeyDetails;
    const size = details?.modulusLength ?? details?.namedCurve ?? 'unknown size';
    fail('unsupported_format', `signing key ${key.asymmetricKeyType} (${size}) is not a Notary Project key`);
  }
  if (expected !== jws.attributes.algorithm) {
    fail('bad_signature', `alg ${jws.attributes.algorithm.name} does not match the signing key (${expected.name})`);
  }
  if (!verifyJwsSignature(expected, key, jws.signingInput, jws.signature)) {
    fail('bad_signature', `the ${expected.name} signature does not verify with the signing certificate`);
  }
}

function checkChain(chain: Certificate[], anchors: Certificate[]): void {
  const problem = chainProblem(chain);
  if (problem) fail('untrusted_chain', problem);
  if (!isAnchoredIn(chain, anchors)) fail('untrusted_chain', 'no certificate of the chain is in the trust store');
}

function checkTimes(jws: NotationJws, chain: Certificate[], now: Date): void {
  const { expiry, scheme, signingTime } = jws.attributes;
  if (expiry && now >= expiry) fail('expired', `the signature expired at ${expiry.toISOString()}`);
  const [time, label] = scheme === SCHEME_X509 ? [now, 'verification'] : [signingTime, 'authentic signing'];
  const invalid = invalidAt(chain, time);
  if (invalid) {
    const validity = `${invalid.notBefore.toISOString()} to ${invalid.notAfter.toISOString()}`;
    const at = `${label} time ${time.toISOString()}`;
    const unverified = jws.hasTimestamp && scheme === SCHEME_X509 ? ' (RFC 3161 timestamps are not verified)' : '';
    fail('expired', `certificate ${describe(invalid)} (valid ${validity}) is not valid at ${at}${unverified}`);
  }
}
