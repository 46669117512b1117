/**
 * Reading strings back from `doc_values` exactly: as their stored bytes (src/store/wtf8.ts), so
 * a lone surrogate survives. better-sqlite3 decodes text strictly (a lone surrogate becomes
 * U+FFFD), so SQLite statements select `CAST(value AS BLOB)`; PostgreSQL stores the bytes.
 */
import { decodeStoredText } from '../../store/wtf8.js';

/** A `doc_values` value as stored: the text decoded from `raw` when given, else `value`. */
export function storedValue(value: unknown, raw: unknown): number | string | null {
  if (raw instanceof Uint8Array) return decodeStoredText(raw);
  return (value ?? null) as number | string | null;
}
