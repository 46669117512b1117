/**
 * Parsing a Notation JWS envelope (`application/jose+json`), following
 * notaryproject/specifications specs/signature-envelope-jws.md and notation-core-go
 * signature/jws (jws.go `validateProtectedHeaders`, `validateCriticalHeaders`): flattened JWS JSON
 * `{payload, protected, header: {x5c, io.cncf.notary.signingAgent?, io.cncf.notary.timestampSignature?},
 * signature}`; protected header `alg`, `cty`, `io.cncf.notary.signingScheme` (critical),
 * `io.cncf.notary.signingTime` (notary.x509) or `io.cncf.notary.authenticSigningTime` (critical,
 * notary.x509.signingAuthority), optional `io.cncf.notary.expiry` (critical, after the signing time).
 * `crit` must name the scheme and each critical header present, only headers present, never a
 * registered one; a critical header ocidex does not understand (a verification plugin's, a
 * vendor's) means the signature cannot be verified here: `unsupported_format`. Unknown unprotected
 * header members are ignored, as Go's JSON decoding ignores them.
 */
import { fail } from './check-failure.js';
import { JWS_ALGORITHMS } from './notation-algorithms.js';
import type { JwsAlgorithm } from './notation-algorithms.js';

/** `cty` of a Notary Project payload (signature-specification.md, "Payload"). */
export const NOTARY_PAYLOAD_TYPE = 'application/vnd.cncf.notary.payload.v1+json';
export const SCHEME_X509 = 'notary.x509';
export const SCHEME_SIGNING_AUTHORITY = 'notary.x509.signingAuthority';

const HEADER = {
  scheme: 'io.cncf.notary.signingScheme',
  signingTime: 'io.cncf.notary.signingTime',
  authenticSigningTime: 'io.cncf.notary.authenticSigningTime',
  expiry: 'io.cncf.notary.expiry',
} as const;

/** Headers that may be critical, and are understood here. */
const UNDERSTOOD_CRITICAL = new Set<string>([HEADER.scheme, HEADER.authenticSigningTime, HEADER.expiry]);
/** Headers that must never be listed in `crit` (RFC 7515 §4.1.11, and the non-critical signing time). */
const NEVER_CRITICAL = new Set(['alg', 'cty', 'crit', 'typ', 'kid', 'x5c', 'jku', 'jwk', 'x5u', HEADER.signingTime]);

/** At most this many certificates in `x5c` (a real chain holds 2 to 4). */
export const MAX_CHAIN_LENGTH = 10;

/** The signed attributes ocidex uses. */
export interface NotationSignedAttributes {
  algorithm: JwsAlgorithm;
  scheme: typeof SCHEME_X509 | typeof SCHEME_SIGNING_AUTHORITY;
  signingTime: Date;
  expiry?: Date;
}

/** A parsed (not yet verified) JWS envelope. */
export interface NotationJws {
  attributes: NotationSignedAttributes;
  /** ASCII(BASE64URL(protected) '.' BASE64URL(payload)): what the signature covers. */
  signingInput: Buffer;
  signature: Buffer;
  /** BASE64URL(payload), decoded by `decodePayload` once the signature verified. */
  encodedPayload: string;
  /** x5c, leaf first, DER. */
  certificates: Buffer[];
  /** An RFC 3161 countersignature is present (not verified by ocidex). */
  hasTimestamp: boolean;
}

type JsonObject = Record<string, unknown>;

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function parseJson(text: string, what: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return fail('malformed', `${what} is not JSON`);
  }
}

/** Strict base64url (RFC 4648 §5, no padding), as RFC 7515 §2 requires. */
function base64Url(value: unknown, what: string): Buffer {
  if (typeof value !== 'string' || !/^[A-Za-z0-9_-]*$/.test(value) || value.length % 4 === 1) {
    fail('malformed', `${what} is not base64url`);
  }
  return Buffer.from(value, 'base64url');
}

function base64Certificate(value: unknown, index: number): Buffer {
  if (typeof value !== 'string' || value === '' || !/^[A-Za-z0-9+/]*={0,2}$/.test(value) || value.length % 4 !== 0) {
    fail('malformed', `x5c[${index}] is not base64`);
  }
  return Buffer.from(value, 'base64');
}

/** An RFC 3339 date-time (signature-envelope-jws.md: header times are RFC 3339). */
function rfc3339(value: unknown, name: string): Date {
  const pattern = /^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:[Zz]|[+-]\d{2}:\d{2})$/;
  const time = typeof value === 'string' && pattern.test(value) ? Date.parse(value) : Number.NaN;
  if (Number.isNaN(time)) fail('malformed', `${name} is not an RFC 3339 time`);
  return new Date(time);
}

function readAlgorithm(header: JsonObject): JwsAlgorithm {
  if (typeof header.alg !== 'string') fail('malformed', 'protected header lacks alg');
  const algorithm = JWS_ALGORITHMS.get(header.alg);
  return algorithm ?? fail('unsupported_format', `alg ${JSON.stringify(header.alg)} is not allowed`);
}

function readScheme(header: JsonObject): NotationSignedAttributes['scheme'] {
  const scheme = header[HEADER.scheme];
  if (typeof scheme !== 'string') fail('malformed', `protected header lacks ${HEADER.scheme}`);
  if (scheme !== SCHEME_X509 && scheme !== SCHEME_SIGNING_AUTHORITY) {
    fail('unsupported_format', `signing scheme ${JSON.stringify(scheme)} is not supported`);
  }
  return scheme;
}

function readSigningTime(header: JsonObject, scheme: NotationSignedAttributes['scheme']): Date {
  const x509 = scheme === SCHEME_X509;
  const wanted = x509 ? HEADER.signingTime : HEADER.authenticSigningTime;
  const unwanted = x509 ? HEADER.authenticSigningTime : HEADER.signingTime;
  if (header[unwanted] !== undefined) fail('malformed', `${unwanted} must not be present with scheme ${scheme}`);
  if (header[wanted] === undefined) fail('malformed', `${wanted} is required with scheme ${scheme}`);
  return rfc3339(header[wanted], wanted);
}

function checkCritical(header: JsonObject, scheme: NotationSignedAttributes['scheme']): void {
  const crit = header.crit;
  if (!Array.isArray(crit) || crit.length === 0 || !crit.every((name) => typeof name === 'string')) {
    fail('malformed', 'protected header lacks a crit list of header names');
  }
  const required: string[] = [HEADER.scheme];
  if (header[HEADER.expiry] !== undefined) required.push(HEADER.expiry);
  if (scheme === SCHEME_SIGNING_AUTHORITY) required.push(HEADER.authenticSigningTime);
  const missing = required.filter((name) => !crit.includes(name));
  if (missing.length > 0) fail('malformed', `crit does not list ${missing.join(', ')}`);
  for (const name of crit as string[]) {
    if (NEVER_CRITICAL.has(name)) fail('malformed', `crit lists ${name}, which cannot be critical`);
    if (!Object.hasOwn(header, name)) fail('malformed', `crit lists ${name}, which is not in the protected header`);
  }
  const unknown = (crit as string[]).filter((name) => !UNDERSTOOD_CRITICAL.has(name));
  if (unknown.length > 0) fail('unsupported_format', `critical header ${unknown.join(', ')} is not understood`);
}

/** Reads and checks the protected header. */
export function parseProtectedHeader(encoded: unknown): NotationSignedAttributes {
  const header = parseJson(base64Url(encoded, 'protected').toString('utf8'), 'protected header');
  if (!isObject(header)) fail('malformed', 'protected header is not a JSON object');
  const algorithm = readAlgorithm(header);
  if (typeof header.cty !== 'string') fail('malformed', 'protected header lacks cty');
  if (header.cty !== NOTARY_PAYLOAD_TYPE) fail('unsupported_format', `payload type ${JSON.stringify(header.cty)}`);
  const scheme = readScheme(header);
  const signingTime = readSigningTime(header, scheme);
  checkCritical(header, scheme);
  if (header[HEADER.expiry] === undefined) return { algorithm, scheme, signingTime };
  const expiry = rfc3339(header[HEADER.expiry], HEADER.expiry);
  if (expiry <= signingTime) fail('malformed', 'expiry is not after the signing time');
  return { algorithm, scheme, signingTime, expiry };
}

function readCertificates(unprotected: JsonObject): Buffer[] {
  const x5c = unprotected.x5c;
  if (!Array.isArray(x5c) || x5c.length === 0) fail('malformed', 'header lacks the x5c certificate chain');
  if (x5c.length > MAX_CHAIN_LENGTH) fail('malformed', `x5c holds ${x5c.length} certificates`);
  return x5c.map(base64Certificate);
}

/**
 * The payload bytes. Decoded after the signature check, as notation-core-go does: a payload string
 * that is not strict base64url (padding, say) changes the signed input, so it is a bad signature
 * unless the signer signed exactly that string.
 */
export function decodePayload(jws: NotationJws): Buffer {
  return base64Url(jws.encodedPayload, 'payload');
}

/** Parses a JWS envelope's bytes; throws CheckFailure (`malformed`, `unsupported_format`). */
export function parseNotationJws(bytes: Uint8Array): NotationJws {
  const envelope = parseJson(Buffer.from(bytes).toString('utf8'), 'envelope');
  if (!isObject(envelope)) fail('malformed', 'envelope is not a JSON object');
  if (!isObject(envelope.header)) fail('malformed', 'envelope lacks the unprotected header');
  const { protected: protectedText, payload: payloadText } = envelope;
  const attributes = parseProtectedHeader(protectedText);
  if (typeof payloadText !== 'string') fail('malformed', 'envelope lacks the payload');
  const signature = base64Url(envelope.signature, 'signature');
  if (signature.length === 0) fail('malformed', 'signature is empty');
  const timestamp = envelope.header['io.cncf.notary.timestampSignature'];
  return {
    attributes,
    signingInput: Buffer.from(`${protectedText as string}.${payloadText}`, 'utf8'),
    signature,
    encodedPayload: payloadText,
    certificates: readCertificates(envelope.header),
    hasTimestamp: typeof timestamp === 'string' && timestamp !== '',
  };
}
