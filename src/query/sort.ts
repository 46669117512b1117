/**
 * Sorting documents by a singular path, identically in the engine and the plain evaluator.
 *
 * Order (`asc`): present values by type, in the ValueType code order of src/store/values.ts
 * (null < false < true < numbers < strings < objects < arrays), numbers numerically, strings by
 * code point (strings.ts); then documents where the path selects nothing. Ties by reference.
 * `desc` reverses everything except that missing values still come last.
 * Without a sort path, documents are ordered by reference (`desc`: reversed).
 */
import type { JSONPathQuery } from 'json-p3';
import type { JsonValue } from '../domain/document.js';
import { MAX_VALUE_DEPTH, typeOf, type ValueTypeCode } from '../store/values.js';
import { invalidArgument } from './errors.js';
import { MAX_PATH_LENGTH } from './limits.js';
import { namePrefixLength, normalizedPath } from './rfc9535/ast.js';
import { parseRfc9535 } from './rfc9535/compile.js';
import { compareCodePoints } from './strings.js';

/** The sort key of one document. */
export interface SortKey {
  missing: boolean;
  /** ValueType code of the value (0 when missing). */
  type: ValueTypeCode | 0;
  /** Numbers and strings; null for every other type. */
  value: number | string | null;
}

/** A parsed sort (or facet) path. */
export interface SortPath {
  text: string;
  query: JSONPathQuery;
  /** The `paths.path` of the value when the index holds it exactly (member names, shallow enough). */
  indexedPath: string | null;
}

/** The key of a document where the path selects nothing. */
export const MISSING: SortKey = { missing: true, type: 0, value: null };

/**
 * Parses a singular path relative to a document: `@.a.b`, `$.a['b']`, `@.layers[0].size`.
 * `allowWildcard` accepts one trailing `[*]` (facets over array elements).
 */
export function parseDocumentPath(text: string, what: string, allowWildcard = false): SortPath & { wildcard: boolean } {
  if (typeof text !== 'string' || text.length === 0 || text.length > MAX_PATH_LENGTH) {
    throw invalidArgument(`${what} must be a path of 1 to ${MAX_PATH_LENGTH} characters`);
  }
  const wildcard = allowWildcard && text.endsWith('[*]');
  const base = wildcard ? text.slice(0, -3) : text;
  const absolute = base.startsWith('@') ? `$${base.slice(1)}` : base;
  let query: JSONPathQuery;
  try {
    query = parseRfc9535(absolute);
  } catch {
    throw invalidArgument(`${what} '${text}' is not a JSONPath`);
  }
  if (!query.singularQuery()) throw invalidArgument(`${what} '${text}' is not a singular path`);
  const names = namePrefixLength(query.segments);
  const indexed = names === query.segments.length && names > 0 && names <= MAX_VALUE_DEPTH;
  const wildcardQuery = wildcard ? parseRfc9535(`${absolute}[*]`) : query;
  return { text, query: wildcardQuery, indexedPath: indexed ? normalizedPath(query.segments, names) : null, wildcard };
}

/** The sort key of `document` at `path`. */
export function sortKeyOf(document: JsonValue, path: SortPath): SortKey {
  const [node] = path.query.query(document).nodes;
  if (node === undefined) return MISSING;
  return keyOfValue(node.value as JsonValue);
}

/** The sort key of a present value. */
export function keyOfValue(value: JsonValue): SortKey {
  const type = typeOf(value);
  return { missing: false, type, value: typeof value === 'number' || typeof value === 'string' ? value : null };
}

/** Compares two present-or-missing keys in ascending order (missing last). */
export function compareKeys(left: SortKey, right: SortKey): number {
  if (left.missing !== right.missing) return left.missing ? 1 : -1;
  if (left.type !== right.type) return left.type - right.type;
  if (typeof left.value === 'number' && typeof right.value === 'number') {
    return left.value === right.value ? 0 : left.value < right.value ? -1 : 1;
  }
  if (typeof left.value === 'string' && typeof right.value === 'string')
    return compareCodePoints(left.value, right.value);
  return 0;
}

/** A position in the output order: sort key (null without a sort path) and reference. */
export interface Position {
  key: SortKey | null;
  reference: string;
}

/** Compares two positions in output order (`descending` reverses all but "missing last"). */
export function comparePositions(left: Position, right: Position, descending: boolean): number {
  if (left.key !== null && right.key !== null) {
    if (left.key.missing !== right.key.missing) return left.key.missing ? 1 : -1;
    const byKey = compareKeys(left.key, right.key);
    if (byKey !== 0) return descending ? -byKey : byKey;
  }
  const byReference = compareCodePoints(left.reference, right.reference);
  return descending ? -byReference : byReference;
}

/** The reference of a document (documents without one sort first). */
export function referenceOf(document: JsonValue): string {
  const reference =
    document !== null && typeof document === 'object' && !Array.isArray(document) ? document['reference'] : undefined;
  return typeof reference === 'string' ? reference : '';
}
