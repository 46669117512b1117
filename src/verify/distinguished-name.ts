/**
 * X.509 distinguished names as Notation trust policies use them (trust-store-trust-policy.md,
 * "Trusted Identities Constraints"; notation-go internal/pkix): an identity
 * `x509.subject: C=US, ST=WA, O=Acme, CN=signer` is RFC 4514 text with `\` escapes; it must hold
 * C, ST and O, no attribute twice and no multi-valued RDN; it matches a signing certificate when
 * every attribute it names is in the certificate's subject with the same value (`IsSubsetDN`).
 * Attribute types compare case-insensitively (Node prints `serialNumber`, Go `SERIALNUMBER`);
 * values compare exactly, after unescaping. The certificate side is Node's `X509Certificate.subject`
 * (one attribute per line, values escaped as RFC 2253 by OpenSSL), in certificate order.
 */

/** Bad DN text. */
export class DistinguishedNameError extends Error {}

/** One attribute: canonical (upper-case) type, unescaped value, and its text as written. */
export interface DnAttribute {
  type: string;
  value: string;
  text: string;
}

/** A DN as notation matches it: canonical type -> value. */
export type DnMap = ReadonlyMap<string, string>;

const MANDATORY = ['C', 'ST', 'O'];
const ATTRIBUTE_TYPE = /^(?:[A-Za-z][A-Za-z0-9-]*|\d+(?:\.\d+)+)$/;

/** Splits `text` at each `separator` not escaped with a backslash. */
function splitUnescaped(text: string, separator: string): string[] {
  const parts: string[] = [];
  let current = '';
  for (let index = 0; index < text.length; index += 1) {
    const char = text[index]!;
    if (char === '\\' && index + 1 < text.length) {
      current += char + text[index + 1];
      index += 1;
    } else if (char === separator) {
      parts.push(current);
      current = '';
    } else {
      current += char;
    }
  }
  parts.push(current);
  return parts;
}

/** Removes unescaped spaces at both ends. */
function trimUnescaped(raw: string): string {
  let end = raw.length;
  while (end > 0 && raw[end - 1] === ' ') {
    let slashes = 0;
    while (raw[end - 2 - slashes] === '\\') slashes += 1;
    if (slashes % 2 === 1) break;
    end -= 1;
  }
  return raw.slice(0, end).replace(/^ +/, '');
}

/** RFC 4514 §2.4 unescaping: `\X` is X, `\HH` is the byte HH (values are UTF-8). */
function unescapeValue(raw: string): string {
  const bytes: number[] = [];
  for (let index = 0; index < raw.length; index += 1) {
    const char = raw[index]!;
    if (char !== '\\') {
      bytes.push(...Buffer.from(char, 'utf8'));
      continue;
    }
    const hex = raw.slice(index + 1, index + 3);
    if (/^[0-9A-Fa-f]{2}$/.test(hex)) {
      bytes.push(Number.parseInt(hex, 16));
      index += 2;
    } else if (index + 1 < raw.length) {
      bytes.push(...Buffer.from(raw[index + 1]!, 'utf8'));
      index += 1;
    } else {
      throw new DistinguishedNameError('dangling backslash');
    }
  }
  return Buffer.from(bytes).toString('utf8');
}

function parseAttribute(raw: string): DnAttribute {
  const equals = raw.indexOf('=');
  if (equals < 0) throw new DistinguishedNameError(`${JSON.stringify(raw.trim())} is not TYPE=value`);
  const type = raw.slice(0, equals).trim();
  if (!ATTRIBUTE_TYPE.test(type)) throw new DistinguishedNameError(`bad attribute type ${JSON.stringify(type)}`);
  const rawValue = trimUnescaped(raw.slice(equals + 1));
  return { type: type.toUpperCase(), value: unescapeValue(rawValue), text: `${type}=${rawValue}` };
}

/** Parses RDNs separated by `separator` (`,` for policy text, newline for Node's subject). */
export function parseRdns(text: string, separator: ',' | '\n'): DnAttribute[][] {
  if (text.trim() === '') throw new DistinguishedNameError('empty distinguished name');
  return splitUnescaped(text, separator).map((rdn) => splitUnescaped(rdn, '+').map(parseAttribute));
}

/** The notation rules on a DN: single-valued RDNs, no type twice, C, ST and O present. */
export function toDnMap(rdns: DnAttribute[][]): DnMap {
  const map = new Map<string, string>();
  for (const rdn of rdns) {
    if (rdn.length > 1) throw new DistinguishedNameError('multi-valued RDNs are not supported');
    const { type, value } = rdn[0]!;
    if (map.has(type)) throw new DistinguishedNameError(`attribute ${type} appears twice`);
    map.set(type, value);
  }
  const missing = MANDATORY.filter((type) => !map.get(type));
  if (missing.length > 0) throw new DistinguishedNameError(`missing mandatory attribute ${missing.join(', ')}`);
  return map;
}

/** True when every attribute of `subset` is in `dn` with the same value. */
export function isSubsetDn(subset: DnMap, dn: DnMap): boolean {
  return [...subset].every(([type, value]) => dn.get(type) === value);
}

/** RDNs in notation's comma form, `C=US, ST=WA, O=Acme, CN=signer`. */
export function formatRdns(rdns: DnAttribute[][]): string {
  return rdns.map((rdn) => rdn.map((attribute) => attribute.text).join(' + ')).join(', ');
}
