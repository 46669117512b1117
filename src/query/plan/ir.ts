/**
 * The plan IR: sets of documents described over `doc_values` rows (see src/store/values.ts).
 * A filter translates to `Bounds`: `possible` is a superset of the documents the filter may
 * select, `certain` a subset of those it certainly selects. Negation swaps them (complemented),
 * which is why both are kept: the complement of a superset is not a superset.
 * Both are about documents whose values are not truncated; truncated ones are always candidates.
 */

/** A condition on one `doc_values` row, over its `type` and `value` columns. */
export interface RowPredicate {
  /** SQL over the columns `type` and the value markers of predicates.ts (unqualified; the renderer fills them in). */
  readonly sql: string;
  readonly params: readonly (string | number)[];
  /** `type = t AND value = ?`: one seek in doc_values_lookup finds a document's row. */
  readonly seek?: boolean;
}

/** A set of (untruncated) documents, described over `doc_values`. */
export type DocumentSet =
  | { readonly kind: 'all' }
  | { readonly kind: 'none' }
  /** Documents with a row at `path` (normalized, as in `paths.path`) satisfying `predicate`. */
  | { readonly kind: 'rows'; readonly path: string; readonly predicate: RowPredicate }
  /** Documents whose full-text row (src/store/text-search.ts) matches the FTS5 expression `match`. */
  | { readonly kind: 'text'; readonly match: string }
  | { readonly kind: 'and'; readonly items: readonly DocumentSet[] }
  | { readonly kind: 'or'; readonly items: readonly DocumentSet[] }
  | { readonly kind: 'not'; readonly item: DocumentSet };

/** What the index knows of a filter: documents it may select, and documents it surely selects. */
export interface Bounds {
  readonly possible: DocumentSet;
  readonly certain: DocumentSet;
  /** possible equals certain: the index alone decides the filter (for untruncated documents). */
  readonly exact: boolean;
}

/** Every document. */
export const ALL: DocumentSet = { kind: 'all' };
/** No document. */
export const NONE: DocumentSet = { kind: 'none' };

/** Nothing known: every document is possible, none certain. */
export const UNKNOWN: Bounds = { possible: ALL, certain: NONE, exact: false };

/** Bounds that are exactly `set`. */
export function exactly(set: DocumentSet): Bounds {
  return { possible: set, certain: set, exact: true };
}

/** Documents with a row at `path` satisfying `predicate`. */
export function rows(path: string, predicate: RowPredicate): DocumentSet {
  return { kind: 'rows', path, predicate };
}

/** The intersection of `items` (simplified). */
export function intersect(items: readonly DocumentSet[]): DocumentSet {
  const kept = items.filter((item) => item.kind !== 'all');
  if (kept.some((item) => item.kind === 'none')) return NONE;
  if (kept.length === 0) return ALL;
  return kept.length === 1 ? (kept[0] as DocumentSet) : { kind: 'and', items: kept };
}

/** The union of `items` (simplified). */
export function union(items: readonly DocumentSet[]): DocumentSet {
  const kept = items.filter((item) => item.kind !== 'none');
  if (kept.some((item) => item.kind === 'all')) return ALL;
  if (kept.length === 0) return NONE;
  return kept.length === 1 ? (kept[0] as DocumentSet) : { kind: 'or', items: kept };
}

/** Every document not in `item` (simplified). */
export function complement(item: DocumentSet): DocumentSet {
  if (item.kind === 'all') return NONE;
  if (item.kind === 'none') return ALL;
  if (item.kind === 'not') return item.item;
  return { kind: 'not', item };
}

/** `a && b` */
export function both(left: Bounds, right: Bounds): Bounds {
  return {
    possible: intersect([left.possible, right.possible]),
    certain: intersect([left.certain, right.certain]),
    exact: left.exact && right.exact,
  };
}

/** `a || b` */
export function either(left: Bounds, right: Bounds): Bounds {
  return {
    possible: union([left.possible, right.possible]),
    certain: union([left.certain, right.certain]),
    exact: left.exact && right.exact,
  };
}

/** `!a`: possible when not certainly a, certain when not possibly a. */
export function negate(bounds: Bounds): Bounds {
  return { possible: complement(bounds.certain), certain: complement(bounds.possible), exact: bounds.exact };
}
