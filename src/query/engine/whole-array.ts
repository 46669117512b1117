/**
 * Queries that need the whole array (`$`, `$[0]`, `$[?@.a, ?@.b]`, filters using `$`): every
 * document is loaded in order, bounded by the time budget and MAX_WHOLE_ARRAY_BYTES.
 */
import type { JsonValue } from '../../domain/document.js';
import { checkDeadline } from '../budget.js';
import type { CompiledQuery } from '../compiled.js';
import { resultTooLarge } from '../errors.js';
import { MAX_WHOLE_ARRAY_BYTES } from '../limits.js';
import { orderDocuments } from '../plain.js';
import type { SortPath } from '../sort.js';
import type { SqlContext } from './sql-context.js';

/** Every document, in output order. */
export function loadAllDocuments(context: SqlContext, sort: SortPath | null, descending: boolean): JsonValue[] {
  const documents: JsonValue[] = [];
  let bytes = 0;
  let after = '';
  let first = true;
  while (true) {
    checkDeadline();
    const rows = context.all(
      `SELECT reference, json FROM documents WHERE ${first ? 'TRUE' : 'reference > ?'} ORDER BY reference LIMIT 1024`,
      first ? [] : [after],
    );
    for (const row of rows) {
      const json = row['json'] as string;
      bytes += json.length;
      if (bytes > MAX_WHOLE_ARRAY_BYTES) {
        throw resultTooLarge(
          `this query needs every document in memory, more than ${MAX_WHOLE_ARRAY_BYTES} bytes; filter with [?...] first`,
        );
      }
      documents.push(JSON.parse(json) as JsonValue);
    }
    if (rows.length < 1024) break;
    after = rows[rows.length - 1]?.['reference'] as string;
    first = false;
  }
  return orderDocuments(documents, sort, descending).map((entry) => entry.document);
}

/** The items of a whole-array query, lazily. */
export function* wholeArrayValues(compiled: CompiledQuery, documents: readonly JsonValue[]): Generator<JsonValue> {
  for (const item of compiled.evaluateArray(documents)) yield item.value;
}
