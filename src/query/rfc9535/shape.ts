/**
 * How an RFC 9535 query decomposes over the array of documents. The result of a query is what it
 * returns over that array; when every node it selects lies inside one document and documents
 * contribute in array order, the result is the concatenation of per-document results, and the
 * engine may skip documents the index rules out. Otherwise the whole array is evaluated.
 */
import { jsonpath, type JSONPathQuery } from 'json-p3';
import { isDescendant, refersToRoot } from './ast.js';

const { NameSelector, FilterSelector, WildcardSelector } = jsonpath.selectors;

/** The shape of a query over the documents array. */
export type QueryShape =
  /** Selects nothing whatever the documents (`$.name` on an array). */
  | { kind: 'empty' }
  /** Needs the whole array (`$`, `$[0]`, `$[?@.a, ?@.b]`, filters using `$`). */
  | { kind: 'whole-array' }
  /**
   * Each document contributes `query([document])`: `$[?filter]...`, `$[*]...`, `$..name...`.
   * `filter` is the document filter (null: every document); `selectsDocuments` when the items
   * are the matching documents themselves.
   */
  | { kind: 'per-document'; filter: jsonpath.expressions.LogicalExpression | null; selectsDocuments: boolean };

/** Classifies a parsed query (see QueryShape). */
export function shapeOf(query: JSONPathQuery): QueryShape {
  const [first, ...rest] = query.segments;
  if (first === undefined || refersToRoot(query)) return { kind: 'whole-array' };
  const selectors = first.selectors;
  if (isDescendant(first)) {
    // `..name` selects nothing on the array itself, then descends document by document.
    const names = selectors.every((selector) => selector instanceof NameSelector);
    return names ? { kind: 'per-document', filter: null, selectsDocuments: false } : { kind: 'whole-array' };
  }
  if (selectors.every((selector) => selector instanceof NameSelector)) return { kind: 'empty' };
  const [selector] = selectors;
  if (selectors.length !== 1) return { kind: 'whole-array' };
  const selectsDocuments = rest.length === 0;
  if (selector instanceof FilterSelector)
    return { kind: 'per-document', filter: selector.expression, selectsDocuments };
  if (selector instanceof WildcardSelector) return { kind: 'per-document', filter: null, selectsDocuments };
  return { kind: 'whole-array' };
}
