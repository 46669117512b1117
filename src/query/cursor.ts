/**
 * Opaque page cursors. A per-document query resumes at a position in the output order (sort key,
 * reference) and skips the items already returned from that document, so pages stay stable when
 * documents are added or removed meanwhile. A whole-array query resumes at an item offset.
 * A cursor is bound to its query, dialect, sort and order by a fingerprint.
 */
import { createHash } from 'node:crypto';
import { invalidArgument } from './errors.js';
import type { SortKey } from './sort.js';

/** A decoded cursor. */
export type Cursor =
  | { kind: 'position'; key: SortKey | null; reference: string; skip: number }
  | { kind: 'offset'; offset: number };

interface CursorWire {
  v: 1;
  f: string;
  k?: SortKey | null;
  r?: string;
  s?: number;
  o?: number;
}

/** The fingerprint tying a cursor to the query it came from. */
export function queryFingerprint(parts: readonly unknown[]): string {
  return createHash('sha256').update(JSON.stringify(parts)).digest('base64url').slice(0, 16);
}

/** The opaque (base64url JSON) form of a cursor. */
export function encodeCursor(cursor: Cursor, fingerprint: string): string {
  const wire: CursorWire =
    cursor.kind === 'offset'
      ? { v: 1, f: fingerprint, o: cursor.offset }
      : { v: 1, f: fingerprint, k: cursor.key, r: cursor.reference, s: cursor.skip };
  return Buffer.from(JSON.stringify(wire), 'utf8').toString('base64url');
}

/** Decodes a cursor; throws `invalid_argument` when malformed or from another query. */
export function decodeCursor(text: string, fingerprint: string): Cursor {
  let wire: CursorWire;
  try {
    wire = JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as CursorWire;
  } catch {
    throw invalidArgument('malformed cursor');
  }
  if (wire === null || typeof wire !== 'object' || wire.v !== 1) throw invalidArgument('malformed cursor');
  if (wire.f !== fingerprint) throw invalidArgument('cursor belongs to another query, sort or order');
  if (typeof wire.o === 'number' && Number.isInteger(wire.o) && wire.o >= 0) return { kind: 'offset', offset: wire.o };
  const key = wire.k ?? null;
  if (
    typeof wire.r !== 'string' ||
    typeof wire.s !== 'number' ||
    !Number.isInteger(wire.s) ||
    wire.s < 0 ||
    !isKey(key)
  ) {
    throw invalidArgument('malformed cursor');
  }
  return { kind: 'position', key, reference: wire.r, skip: wire.s };
}

function isKey(key: unknown): key is SortKey | null {
  if (key === null) return true;
  if (typeof key !== 'object') return false;
  const { missing, type, value } = key as Record<string, unknown>;
  const valueOk = value === null || typeof value === 'number' || typeof value === 'string';
  return (
    typeof missing === 'boolean' &&
    typeof type === 'number' &&
    Number.isInteger(type) &&
    type >= 0 &&
    type <= 6 &&
    valueOk
  );
}
