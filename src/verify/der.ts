/**
 * A minimal DER reader (ITU-T X.690, definite lengths only), enough to walk an X.509 certificate
 * (RFC 5280 §4.1) for what Node's X509Certificate does not expose: raw issuer/subject names, the
 * signature algorithm, validity, basic constraints, key usage and extended key usage.
 * Every read is bounds-checked and throws DerError on bad input; callers turn that into `malformed`.
 */

/** Bad or truncated DER. */
export class DerError extends Error {}

/** One TLV element: `bytes.subarray(start, end)` is the whole element, `content` its value. */
export interface DerElement {
  tag: number;
  start: number;
  end: number;
  content: Uint8Array;
}

/** Universal tags ocidex reads. */
export const TAG = {
  boolean: 0x01,
  integer: 0x02,
  bitString: 0x03,
  octetString: 0x04,
  oid: 0x06,
  utcTime: 0x17,
  generalizedTime: 0x18,
  sequence: 0x30,
  set: 0x31,
} as const;

/** Longest length ocidex accepts in a certificate field (a certificate is a few KiB). */
const MAX_LENGTH_BYTES = 4;

/** Reads the element starting at `offset` of `bytes`. */
export function readElement(bytes: Uint8Array, offset: number): DerElement {
  if (offset + 2 > bytes.length) throw new DerError('truncated DER header');
  const tag = bytes[offset]!;
  if ((tag & 0x1f) === 0x1f) throw new DerError('multi-byte DER tags are not used in certificates');
  let length = bytes[offset + 1]!;
  let cursor = offset + 2;
  if (length & 0x80) {
    const count = length & 0x7f;
    if (count === 0 || count > MAX_LENGTH_BYTES) throw new DerError('unsupported DER length');
    if (cursor + count > bytes.length) throw new DerError('truncated DER length');
    length = 0;
    for (let i = 0; i < count; i += 1) length = length * 256 + bytes[cursor + i]!;
    cursor += count;
  }
  const end = cursor + length;
  if (end > bytes.length) throw new DerError('DER element runs past its container');
  return { tag, start: offset, end, content: bytes.subarray(cursor, end) };
}

/** The elements inside a constructed element, in order. */
export function children(element: DerElement): DerElement[] {
  const items: DerElement[] = [];
  let offset = 0;
  while (offset < element.content.length) {
    const child = readElement(element.content, offset);
    items.push(child);
    offset = child.end;
  }
  return items;
}

/** The element's whole encoding (tag, length and content). */
export function encoding(parent: Uint8Array, element: DerElement): Uint8Array {
  return parent.subarray(element.start, element.end);
}

/** Throws unless `element` has tag `tag`. */
export function expectTag(element: DerElement | undefined, tag: number, what: string): DerElement {
  if (element?.tag !== tag) throw new DerError(`${what}: expected DER tag 0x${tag.toString(16)}`);
  return element;
}

/** Dotted form of an OBJECT IDENTIFIER's content. */
export function decodeOid(content: Uint8Array): string {
  if (content.length === 0) throw new DerError('empty OID');
  const arcs: number[] = [];
  let value = 0;
  for (const byte of content) {
    if (value > (Number.MAX_SAFE_INTEGER - 127) / 128) throw new DerError('OID arc too large');
    value = value * 128 + (byte & 0x7f);
    if (!(byte & 0x80)) {
      arcs.push(value);
      value = 0;
    }
  }
  if (content[content.length - 1]! & 0x80) throw new DerError('truncated OID');
  const first = arcs.shift()!;
  const head = first < 80 ? [Math.floor(first / 40), first % 40] : [2, first - 80];
  return [...head, ...arcs].join('.');
}

/** A UTCTime or GeneralizedTime in the RFC 5280 §4.1.2.5 forms (`YYMMDDHHMMSSZ`, `YYYYMMDDHHMMSSZ`). */
export function decodeTime(element: DerElement): Date {
  const text = Buffer.from(element.content).toString('latin1');
  const match =
    element.tag === TAG.utcTime
      ? /^(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})Z$/.exec(text)
      : element.tag === TAG.generalizedTime
        ? /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})Z$/.exec(text)
        : null;
  if (!match) throw new DerError(`unsupported certificate time ${JSON.stringify(text)}`);
  const [, y, mo, d, h, mi, s] = match.map(Number) as [number, number, number, number, number, number, number];
  const year = element.tag === TAG.utcTime ? (y >= 50 ? 1900 + y : 2000 + y) : y;
  const date = new Date(Date.UTC(year, mo - 1, d, h, mi, s));
  if (date.getUTCMonth() !== mo - 1 || date.getUTCDate() !== d) throw new DerError('invalid certificate date');
  return date;
}
