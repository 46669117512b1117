/**
 * Reading strings back from `doc_values` exactly. better-sqlite3 stores a JavaScript string's
 * lone surrogates as their 3-byte (WTF-8) form, but decodes text strictly, replacing them with
 * U+FFFD. Selecting `CAST(value AS BLOB)` and decoding here keeps them.
 */

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

/** A `doc_values.value` as stored: the text decoded from `raw` when given, else `value`. */
export function storedValue(value: unknown, raw: unknown): number | string | null {
  if (raw instanceof Uint8Array) return decodeStoredText(raw);
  return (value ?? null) as number | string | null;
}
