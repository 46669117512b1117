/**
 * Opaque page cursors. A per-document query resumes at a position in the output order (sort key,
 * reference) and skips the items already returned from that document, so pages stay stable when
 * documents are added or removed meanwhile. A whole-array query resumes at an item offset.
 * A cursor is bound to its query, text, dialect, sort and order by a fingerprint, and to the
 * order its positions are in (`OrderSource`): a text search ranked by relevance resumes at a rank,
 * which means nothing to (and must not be applied in) reference order, or another ranking.
 */
import { createHash } from 'node:crypto';
import { invalidArgument } from './errors.js';
import type { SortKey } from './sort.js';

/** A decoded cursor. */
export type Cursor =
  | { kind: 'position'; key: SortKey | null; reference: string; skip: number }
  | { kind: 'offset'; offset: number };

/**
 * What a cursor's positions are ordered by: `query` (the query's own order: reference, or the
 * sort path) or the name of a relevance ranking (`bm25`: SQLite FTS5). Only non-`query` orders
 * are written into the cursor, so every cursor made before rankings existed reads as `query`.
 */
export type OrderSource = 'query' | (string & {});

/** The order of every query that is not ranked by relevance. */
export const QUERY_ORDER: OrderSource = 'query';

interface CursorWire {
  v: 1;
  f: string;
  /** What the positions are ordered by (`OrderSource`), when not `query`. */
  b?: string;
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
export function encodeCursor(cursor: Cursor, fingerprint: string, order: OrderSource = QUERY_ORDER): string {
  const wire: CursorWire =
    cursor.kind === 'offset'
      ? { v: 1, f: fingerprint, o: cursor.offset }
      : { v: 1, f: fingerprint, k: cursor.key, r: cursor.reference, s: cursor.skip };
  if (order !== QUERY_ORDER) wire.b = order;
  return Buffer.from(JSON.stringify(wire), 'utf8').toString('base64url');
}

/**
 * Decodes a cursor made for the query of `fingerprint` with its results in `order`; throws
 * `invalid_argument` when malformed, from another query, or made for results in another order.
 */
export function decodeCursor(text: string, fingerprint: string, order: OrderSource = QUERY_ORDER): Cursor {
  let wire: CursorWire;
  try {
    wire = JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as CursorWire;
  } catch {
    throw invalidArgument('malformed cursor');
  }
  if (wire === null || typeof wire !== 'object' || wire.v !== 1) throw invalidArgument('malformed cursor');
  if (wire.f !== fingerprint) {
    throw invalidArgument('cursor belongs to another query, text, dialect, sort or order; start from the first page');
  }
  if (typeof wire.o === 'number' && Number.isInteger(wire.o) && wire.o >= 0) {
    checkOrder(wire.b ?? QUERY_ORDER, order);
    return { kind: 'offset', offset: wire.o };
  }
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
  // A position cursor without `b` and with a key, under this fingerprint (same sort and order),
  // is either a sort cursor or a ranked one made before `b` existed: either way in `order`.
  checkOrder(wire.b ?? (key === null ? QUERY_ORDER : order), order);
  return { kind: 'position', key, reference: wire.r, skip: wire.s };
}

/** Refuses a cursor made for results in `made` order when they are now in `order`. */
function checkOrder(made: unknown, order: OrderSource): void {
  if (made === order) return;
  const what = typeof made === 'string' ? orderName(made) : 'an unknown order';
  throw invalidArgument(
    `cursor was made for results in ${what}, but these results are in ${orderName(order)}; start from the first page`,
  );
}

function orderName(order: OrderSource): string {
  return order === QUERY_ORDER ? 'reference (or sort) order' : `text relevance order (${order})`;
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
