/** The facet definition over plain documents, for tests: what the engine's facets must equal. */
import { compile } from 'json-p3';
import type { JsonValue } from '../../../src/domain/document.js';
import { compareKeys, keyOfValue } from '../../../src/query/sort.js';
import { compareCodePoints } from '../../../src/query/strings.js';

function canonical(value: JsonValue): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  return `{${Object.keys(value)
    .sort()
    .map((key) => `${JSON.stringify(key)}:${canonical(value[key] as JsonValue)}`)
    .join(',')}}`;
}

/** Counts of distinct values per document at `path` (`@...`), most frequent first. */
export function referenceFacet(
  documents: readonly JsonValue[],
  path: string,
): Array<{ value: JsonValue; count: number }> {
  const query = compile(`$${path.slice(1)}`);
  const counts = new Map<string, { value: JsonValue; count: number }>();
  for (const document of documents) {
    const distinct = new Map((query.query(document).values() as JsonValue[]).map((value) => [canonical(value), value]));
    for (const [key, value] of distinct) {
      const entry = counts.get(key) ?? { value, count: 0 };
      entry.count += 1;
      counts.set(key, entry);
    }
  }
  return [...counts.values()].sort(
    (a, b) =>
      b.count - a.count ||
      compareKeys(keyOfValue(a.value), keyOfValue(b.value)) ||
      compareCodePoints(canonical(a.value), canonical(b.value)),
  );
}
