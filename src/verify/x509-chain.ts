/**
 * The certificate chain rules of a Notary Project signature, as notation-core-go applies them
 * (x509/codesigning_cert_validations.go, x509/helper.go) and signature-specification.md,
 * "Certificate Requirements", states them: `x5c` is ordered leaf first and ends with a self-signed
 * root; each certificate is issued by the next (issuer name equal byte for byte to the next
 * subject, signature verified with the next public key); a leaf is no CA, has a critical key usage
 * with digitalSignature and no encipherment/signing-of-certificates bits, and no TLS, e-mail,
 * timestamping or OCSP extended key usage; a CA has basicConstraints cA (pathLenConstraint honoured)
 * and a critical key usage with keyCertSign; no certificate is signed with SHA-1 or MD5.
 * As in notation-core-go, a CA's basicConstraints need not be marked critical. Trust: some
 * certificate of the chain is, byte for byte, a trust-store certificate (notation-core-go
 * `signature.VerifyAuthenticity`). Revocation (OCSP, CRL) is not checked.
 */
import { KEY_USAGE_BITS } from './x509-certificate.js';
import type { Certificate, KeyUsageBit } from './x509-certificate.js';

const WEAK_SIGNATURE_ALGORITHMS = new Map([
  ['1.2.840.113549.1.1.4', 'md5WithRSAEncryption'],
  ['1.2.840.113549.1.1.5', 'sha1WithRSAEncryption'],
  ['1.2.840.10045.4.1', 'ecdsa-with-SHA1'],
  ['1.2.840.10040.4.3', 'dsa-with-sha1'],
]);

/** A signing certificate may assert digitalSignature and nonRepudiation only. */
const LEAF_ALLOWED_KEY_USAGE = new Set<KeyUsageBit>(['digitalSignature', 'nonRepudiation']);
const LEAF_FORBIDDEN_KEY_USAGE = KEY_USAGE_BITS.filter((bit) => !LEAF_ALLOWED_KEY_USAGE.has(bit));

const LEAF_FORBIDDEN_EXTENDED_KEY_USAGE = new Map([
  ['2.5.29.37.0', 'anyExtendedKeyUsage'],
  ['1.3.6.1.5.5.7.3.1', 'serverAuth'],
  ['1.3.6.1.5.5.7.3.2', 'clientAuth'],
  ['1.3.6.1.5.5.7.3.4', 'emailProtection'],
  ['1.3.6.1.5.5.7.3.8', 'timeStamping'],
  ['1.3.6.1.5.5.7.3.9', 'OCSPSigning'],
]);

/** The certificate's subject on one line, for details. */
export function describe(certificate: Certificate): string {
  return JSON.stringify(certificate.x509.subject.replace(/\n/g, ', '));
}

function sameBytes(left: Uint8Array, right: Uint8Array): boolean {
  return Buffer.from(left).equals(right);
}

function isIssuedBy(child: Certificate, parent: Certificate): boolean {
  return sameBytes(child.rawIssuer, parent.rawSubject) && child.x509.verify(parent.x509.publicKey);
}

function leafProblem(leaf: Certificate): string | null {
  if (leaf.basicConstraints?.ca) return `signing certificate ${describe(leaf)} is a CA certificate`;
  const usage = leaf.keyUsage;
  if (!usage?.critical) return `signing certificate ${describe(leaf)} lacks a critical key usage extension`;
  if (!usage.bits.has('digitalSignature')) return `signing certificate ${describe(leaf)} lacks digitalSignature`;
  const forbidden = LEAF_FORBIDDEN_KEY_USAGE.filter((bit) => usage.bits.has(bit));
  if (forbidden.length > 0) return `signing certificate ${describe(leaf)} has key usage ${forbidden.join(', ')}`;
  const badPurpose = leaf.extendedKeyUsage?.find((oid) => LEAF_FORBIDDEN_EXTENDED_KEY_USAGE.has(oid));
  if (badPurpose) {
    const purpose = LEAF_FORBIDDEN_EXTENDED_KEY_USAGE.get(badPurpose);
    return `signing certificate ${describe(leaf)} has extended key usage ${purpose}`;
  }
  return null;
}

function caProblem(ca: Certificate, certificatesBelow: number): string | null {
  const constraints = ca.basicConstraints;
  if (!constraints?.ca) return `CA certificate ${describe(ca)} lacks basicConstraints cA=true`;
  if (constraints.pathLength !== undefined && constraints.pathLength < certificatesBelow) {
    return `CA certificate ${describe(ca)} allows a path length of ${constraints.pathLength} only`;
  }
  if (!ca.keyUsage?.critical || !ca.keyUsage.bits.has('keyCertSign')) {
    return `CA certificate ${describe(ca)} lacks a critical key usage with keyCertSign`;
  }
  return null;
}

function linkProblem(chain: Certificate[], index: number): string | null {
  const certificate = chain[index]!;
  const weak = WEAK_SIGNATURE_ALGORITHMS.get(certificate.signatureAlgorithm);
  if (weak) return `certificate ${describe(certificate)} is signed with ${weak}`;
  const selfSigned = isIssuedBy(certificate, certificate);
  if (index === chain.length - 1) {
    return selfSigned ? null : `the chain ends with ${describe(certificate)}, which is not a self-signed root`;
  }
  if (selfSigned) return `certificate ${describe(certificate)} is self-signed but not last in the chain`;
  const parent = chain[index + 1]!;
  return isIssuedBy(certificate, parent) ? null : `${describe(certificate)} is not issued by ${describe(parent)}`;
}

/**
 * Why `chain` (x5c order, at least one certificate) breaks the certificate requirements, or null.
 * A lone certificate must be a self-signed root meeting the leaf requirements.
 */
export function chainProblem(chain: Certificate[]): string | null {
  for (let index = 0; index < chain.length; index += 1) {
    const certificate = chain[index]!;
    const profile = index === 0 ? leafProblem(certificate) : caProblem(certificate, index - 1);
    const problem = linkProblem(chain, index) ?? profile;
    if (problem) return problem;
  }
  return null;
}

/** True when some certificate of `chain` is one of `trusted` (same DER). */
export function isAnchoredIn(chain: Certificate[], trusted: Certificate[]): boolean {
  return chain.some((certificate) => trusted.some((anchor) => sameBytes(anchor.der, certificate.der)));
}

/** The first certificate of `chain` not valid at `time` (notBefore ≤ time ≤ notAfter), if any. */
export function invalidAt(chain: Certificate[], time: Date): Certificate | undefined {
  return chain.find((certificate) => time < certificate.notBefore || time > certificate.notAfter);
}
