/**
 * One X.509 certificate as the Notation verifier needs it: Node's X509Certificate for the
 * cryptography and the subject text, plus the fields Node 20 does not expose, read from the DER
 * (RFC 5280 §4.1): raw issuer and subject names (compared byte for byte, as notation-core-go's
 * `isIssuedBy` does), the signature algorithm, validity, and the extensions the Notary Project
 * certificate requirements honour (signature-specification.md, "Certificate Requirements"):
 * basic constraints, key usage and extended key usage. Other extensions are not evaluated.
 */
import { X509Certificate } from 'node:crypto';
import { children, decodeOid, decodeTime, DerError, encoding, expectTag, readElement, TAG } from './der.js';
import type { DerElement } from './der.js';

/** Key usage bits (RFC 5280 §4.2.1.3), in bit order. */
export const KEY_USAGE_BITS = [
  'digitalSignature',
  'nonRepudiation',
  'keyEncipherment',
  'dataEncipherment',
  'keyAgreement',
  'keyCertSign',
  'cRLSign',
  'encipherOnly',
  'decipherOnly',
] as const;
export type KeyUsageBit = (typeof KEY_USAGE_BITS)[number];

/** A parsed certificate. Extensions are undefined when absent. */
export interface Certificate {
  x509: X509Certificate;
  der: Uint8Array;
  rawIssuer: Uint8Array;
  rawSubject: Uint8Array;
  /** OID of the issuer's signature over this certificate. */
  signatureAlgorithm: string;
  notBefore: Date;
  notAfter: Date;
  basicConstraints?: { critical: boolean; ca: boolean; pathLength?: number };
  keyUsage?: { critical: boolean; bits: Set<KeyUsageBit> };
  /** Extended key usage OIDs. */
  extendedKeyUsage?: string[];
}

const OID_BASIC_CONSTRAINTS = '2.5.29.19';
const OID_KEY_USAGE = '2.5.29.15';
const OID_EXTENDED_KEY_USAGE = '2.5.29.37';

/** Parses one DER certificate; throws DerError (or Node's parse error) when it is not one. */
export function parseCertificate(der: Uint8Array): Certificate {
  const certificate = expectTag(readElement(der, 0), TAG.sequence, 'certificate');
  if (certificate.end !== der.length) throw new DerError('trailing bytes after the certificate');
  const [tbs, algorithm] = children(certificate);
  const fields = children(expectTag(tbs, TAG.sequence, 'tbsCertificate'));
  const at = fields[0]?.tag === 0xa0 ? 1 : 0; // [0] EXPLICIT version
  const issuer = expectTag(fields[at + 2], TAG.sequence, 'issuer');
  const validity = children(expectTag(fields[at + 3], TAG.sequence, 'validity'));
  const subject = expectTag(fields[at + 4], TAG.sequence, 'subject');
  const algorithmOid = children(expectTag(algorithm, TAG.sequence, 'signatureAlgorithm'))[0];
  const parsed: Certificate = {
    x509: new X509Certificate(Buffer.from(der)),
    der,
    rawIssuer: encoding(tbs!.content, issuer),
    rawSubject: encoding(tbs!.content, subject),
    signatureAlgorithm: decodeOid(expectTag(algorithmOid, TAG.oid, 'signatureAlgorithm').content),
    notBefore: decodeTime(validity[0] ?? failMissing('notBefore')),
    notAfter: decodeTime(validity[1] ?? failMissing('notAfter')),
  };
  const extensions = fields.find((field) => field.tag === 0xa3);
  if (extensions) readExtensions(parsed, extensions);
  return parsed;
}

function failMissing(what: string): never {
  throw new DerError(`missing ${what}`);
}

function readExtensions(parsed: Certificate, wrapper: DerElement): void {
  const list = expectTag(children(wrapper)[0], TAG.sequence, 'extensions');
  for (const extension of children(list)) {
    const parts = children(expectTag(extension, TAG.sequence, 'extension'));
    const oid = decodeOid(expectTag(parts[0], TAG.oid, 'extnID').content);
    const critical = parts.length === 3 && parts[1]!.tag === TAG.boolean && parts[1]!.content[0] !== 0;
    const value = expectTag(parts[parts.length - 1], TAG.octetString, 'extnValue').content;
    if (oid === OID_BASIC_CONSTRAINTS) parsed.basicConstraints = { critical, ...readBasicConstraints(value) };
    if (oid === OID_KEY_USAGE) parsed.keyUsage = { critical, bits: readKeyUsage(value) };
    if (oid === OID_EXTENDED_KEY_USAGE) parsed.extendedKeyUsage = readExtendedKeyUsage(value);
  }
}

function readBasicConstraints(value: Uint8Array): { ca: boolean; pathLength?: number } {
  const items = children(expectTag(readElement(value, 0), TAG.sequence, 'basicConstraints'));
  const ca = items[0]?.tag === TAG.boolean && items[0].content[0] !== 0;
  const length = items.find((item) => item.tag === TAG.integer);
  if (!length) return { ca };
  if (length.content.length > 4) throw new DerError('pathLenConstraint too large');
  return { ca, pathLength: length.content.reduce((total, byte) => total * 256 + byte, 0) };
}

function readKeyUsage(value: Uint8Array): Set<KeyUsageBit> {
  const bits = expectTag(readElement(value, 0), TAG.bitString, 'keyUsage').content;
  const set = new Set<KeyUsageBit>();
  KEY_USAGE_BITS.forEach((name, index) => {
    const byte = bits[1 + (index >> 3)] ?? 0;
    if (byte & (0x80 >> (index & 7))) set.add(name);
  });
  return set;
}

function readExtendedKeyUsage(value: Uint8Array): string[] {
  const list = expectTag(readElement(value, 0), TAG.sequence, 'extKeyUsage');
  return children(list).map((item) => decodeOid(expectTag(item, TAG.oid, 'keyPurposeId').content));
}
