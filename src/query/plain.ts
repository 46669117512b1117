/**
 * The reference evaluator: the query evaluated over the JSON array of all documents, sorted as
 * the engine sorts (sort.ts), then paged as the engine pages (page.ts). This is the definition
 * the engine must meet; tests compare the two.
 */
import type { JsonValue } from '../domain/document.js';
import { withBudget } from './budget.js';
import { compileQuery } from './compile.js';
import type { CompiledQuery } from './compiled.js';
import { type Cursor, decodeCursor, encodeCursor, queryFingerprint } from './cursor.js';
import { type CheckedOptions, checkOptions } from './options.js';
import { PageBuilder, pageByOffset } from './page.js';
import { comparePositions, type Position, referenceOf, type SortPath, sortKeyOf } from './sort.js';
import type { QueryOptions } from './types.js';

/** Documents in output order, each with its position. */
export function orderDocuments(
  documents: readonly JsonValue[],
  sort: SortPath | null,
  descending: boolean,
): Array<{ document: JsonValue; position: Position }> {
  const entries = documents.map((document) => ({
    document,
    position: { key: sort === null ? null : sortKeyOf(document, sort), reference: referenceOf(document) },
  }));
  return entries.sort((left, right) => comparePositions(left.position, right.position, descending));
}

/** The fingerprint binding cursors to (dialect, query, sort, order). */
export function fingerprintOf(compiled: CompiledQuery, checked: CheckedOptions): string {
  return queryFingerprint([compiled.dialect, compiled.text, checked.sort?.text ?? null, checked.descending]);
}

/** One page of the reference evaluation, with the cursor of the next page. */
export function evaluatePlainPage(
  documents: readonly JsonValue[],
  text: string,
  options: QueryOptions = {},
): { items: JsonValue[]; nextCursor: string | null } {
  const compiled = compileQuery(text, options.dialect);
  const checked = checkOptions(options, { timeoutMs: 2 ** 31, maxResults: Number.MAX_SAFE_INTEGER });
  const fingerprint = fingerprintOf(compiled, checked);
  const cursor = options.cursor === undefined ? null : decodeCursor(options.cursor, fingerprint);
  return withBudget(checked.timeoutMs, () => {
    const ordered = orderDocuments(documents, checked.sort, checked.descending);
    const page =
      compiled.shape === 'per-document'
        ? perDocumentPage(compiled, ordered, checked, cursor)
        : offsetPage(compiled, ordered, checked, cursor);
    return { items: page.items, nextCursor: page.next === null ? null : encodeCursor(page.next, fingerprint) };
  });
}

/** The reference evaluator: evaluates `text` over the array of `documents` (ordered as requested). */
export function evaluatePlain(documents: readonly JsonValue[], text: string, options: QueryOptions = {}): JsonValue[] {
  return evaluatePlainPage(documents, text, options).items;
}

function perDocumentPage(
  compiled: CompiledQuery,
  ordered: ReturnType<typeof orderDocuments>,
  checked: CheckedOptions,
  cursor: Cursor | null,
) {
  const byDocument = new Map<number, JsonValue[]>();
  for (const item of compiled.evaluateArray(ordered.map((entry) => entry.document))) {
    const items = byDocument.get(item.documentIndex) ?? [];
    items.push(item.value);
    byDocument.set(item.documentIndex, items);
  }
  const builder = new PageBuilder({
    cursor,
    limit: checked.limit,
    maxResults: checked.maxResults,
    descending: checked.descending,
  });
  for (const [index, entry] of ordered.entries()) {
    if (builder.before(entry.position)) continue;
    if (!builder.add(entry.position, byDocument.get(index) ?? [])) break;
  }
  return builder.finish();
}

function offsetPage(
  compiled: CompiledQuery,
  ordered: ReturnType<typeof orderDocuments>,
  checked: CheckedOptions,
  cursor: Cursor | null,
) {
  if (compiled.shape === 'empty') return { items: [], next: null };
  const values = (function* () {
    for (const item of compiled.evaluateArray(ordered.map((entry) => entry.document))) yield item.value;
  })();
  return pageByOffset(values, cursor, checked.limit, checked.maxResults);
}
