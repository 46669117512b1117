/**
 * Strings as their stored bytes. A JavaScript string may hold lone surrogates; SQLite keeps
 * them in their 3-byte form (WTF-8, https://simonsapin.github.io/wtf-8/) and PostgreSQL's text
 * cannot hold them at all, so string values are compared and ordered as these bytes: SQLite's
 * BINARY collation compares them with memcmp, PostgreSQL's `bytea` the same way.
 */

/** `text` as WTF-8: UTF-8, with each lone surrogate as its own 3-byte sequence. */
export function encodeStoredText(text: string): Buffer {
  const bytes: number[] = [];
  for (let index = 0; index < text.length; index += 1) {
    let code = text.charCodeAt(index);
    const next = text.charCodeAt(index + 1);
    if (code >= 0xd800 && code <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
      code = 0x10000 + ((code - 0xd800) << 10) + (next - 0xdc00);
      index += 1;
    }
    if (code < 0x80) bytes.push(code);
    else if (code < 0x800) bytes.push(0xc0 | (code >> 6), 0x80 | (code & 0x3f));
    else if (code < 0x10000) bytes.push(0xe0 | (code >> 12), 0x80 | ((code >> 6) & 0x3f), 0x80 | (code & 0x3f));
    else
      bytes.push(0xf0 | (code >> 18), 0x80 | ((code >> 12) & 0x3f), 0x80 | ((code >> 6) & 0x3f), 0x80 | (code & 0x3f));
  }
  return Buffer.from(bytes);
}

/** Decodes UTF-8 that may encode surrogate code points (WTF-8); invalid bytes become U+FFFD. */
export function decodeStoredText(bytes: Uint8Array): string {
  let text = '';
  let index = 0;
  while (index < bytes.length) {
    const lead = bytes[index] as number;
    const length = lead < 0x80 ? 1 : lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : lead >= 0xc0 ? 2 : 0;
    let codePoint = length === 1 ? lead : length === 0 ? -1 : lead & (0xff >> (length + 1));
    for (let offset = 1; offset < length && codePoint >= 0; offset += 1) {
      const next = bytes[index + offset];
      codePoint = next !== undefined && (next & 0xc0) === 0x80 ? (codePoint << 6) | (next & 0x3f) : -1;
    }
    if (codePoint < 0 || codePoint > 0x10ffff) {
      text += '\ufffd';
      index += 1;
      continue;
    }
    text += String.fromCodePoint(codePoint);
    index += length;
  }
  return text;
}
