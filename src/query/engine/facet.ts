/**
 * Facets: the distinct values at a path among the matching documents, with how many documents
 * have each (a document counts once per distinct value). Matching documents are those a
 * per-document query returns at least one item for (all documents without a query).
 * With an exact filter (or none) and an indexed path, scalar values are grouped in SQL and only
 * irregular documents (truncated, long strings, objects, arrays) are read from their JSON.
 */
import type { JsonValue } from '../../domain/document.js';
import { ValueType } from '../../store/values.js';
import type { CompiledQuery } from '../compiled.js';
import { invalidArgument } from '../errors.js';
import { MAX_FACET_VALUES } from '../limits.js';
import { ALL, type DocumentSet } from '../plan/ir.js';
import { pathsOf, renderSelect } from '../plan/render.js';
import { compareKeys, keyOfValue, type SortPath } from '../sort.js';
import { compareCodePoints } from '../strings.js';
import type { FacetValue } from '../types.js';
import type { Candidate } from './candidate.js';
import { planCandidates, TRUNCATED_IDS } from './planner.js';
import { evaluateCandidates } from './run-query.js';
import { candidatesAnyOrder } from './sources.js';
import { BUDGET_CHECK, type SqlContext } from './sql-context.js';
import { storedValue } from './stored-text.js';

/** A facet path: singular, or ending in `[*]` (array elements). */
export type FacetPath = SortPath & { wildcard: boolean };

/** Facet values of `path` among the documents matching `compiled` (all documents when null). */
export function facetValues(context: SqlContext, path: FacetPath, compiled: CompiledQuery | null): FacetValue[] {
  if (compiled !== null && compiled.shape !== 'per-document') {
    throw invalidArgument('facets need a query over documents, like $[?...] (this one needs the whole array)');
  }
  const counter = new FacetCounter();
  const exact = compiled === null || (compiled.selectsDocuments && compiled.bounds.exact);
  if (exact && path.indexedPath !== null && !path.wildcard) {
    facetFromIndex(context, path as FacetPath & { indexedPath: string }, compiled, counter);
  } else {
    const plan = planCandidates(context, compiled?.bounds.possible ?? ALL);
    const candidates = candidatesAnyOrder(context, plan);
    evaluateCandidates(context, evaluatorOf(compiled), candidates, (_candidate, items, document) => {
      if (items.length > 0) counter.addDocument(valuesAt(document, path));
      return true;
    });
  }
  return counter.sorted();
}

/** The items of a document under `compiled`; without a query, every document matches. */
function evaluatorOf(compiled: CompiledQuery | null): (document: JsonValue) => JsonValue[] {
  return compiled === null ? (document) => [document] : compiled.evaluateDocument;
}

function valuesAt(document: JsonValue, path: FacetPath): JsonValue[] {
  return path.query.query(document).values() as JsonValue[];
}

function facetFromIndex(
  context: SqlContext,
  path: FacetPath & { indexedPath: string },
  compiled: CompiledQuery | null,
  counter: FacetCounter,
): void {
  const set: DocumentSet = compiled?.bounds.possible ?? ALL;
  const ids = context.pathIds([...pathsOf(set), path.indexedPath]);
  const pathId = ids.get(path.indexedPath) ?? -1;
  const select = renderSelect(set, ids);
  const within = set.kind === 'all' ? '1' : `v.doc_id IN (${select.sql})`;
  const params = set.kind === 'all' ? [] : select.params;
  const base = `FROM doc_values v WHERE ${BUDGET_CHECK} AND v.path_id = ${pathId} AND ${within}
    AND v.doc_id NOT IN (${TRUNCATED_IDS})`;
  const irregular = `v.type IN (${ValueType.object}, ${ValueType.array}) OR (v.type = ${ValueType.string} AND v.value IS NULL)`;
  const groups = context.all(
    `SELECT v.type AS type, v.value AS value, CASE WHEN v.type = ${ValueType.string} THEN CAST(v.value AS BLOB) END AS raw,
      count(*) AS n ${base} AND NOT (${irregular}) GROUP BY v.type, v.value`,
    params,
  );
  for (const group of groups)
    counter.add(scalarOf(group['type'] as number, storedValue(group['value'], group['raw'])), group['n'] as number);
  const fromJson: Candidate[] = context
    .all(`SELECT v.doc_id AS id ${base} AND (${irregular}) UNION ${TRUNCATED_IDS}`, params)
    .map((row) => ({ id: row['id'] as number, position: { key: null, reference: '' } }));
  evaluateCandidates(context, evaluatorOf(compiled), fromJson, (_candidate, items, document) => {
    if (items.length > 0) counter.addDocument(valuesAt(document, path));
    return true;
  });
}

function scalarOf(type: number, value: number | string | null): JsonValue {
  if (type === ValueType.true) return true;
  if (type === ValueType.false) return false;
  return type === ValueType.null ? null : value;
}

/** Counts values by their canonical JSON (object members sorted). */
class FacetCounter {
  readonly #counts = new Map<string, FacetValue>();

  add(value: JsonValue, count: number): void {
    const key = canonical(value);
    const entry = this.#counts.get(key);
    if (entry === undefined) this.#counts.set(key, { value, count });
    else entry.count += count;
  }

  /** One document: each distinct value counts once. */
  addDocument(values: readonly JsonValue[]): void {
    const seen = new Set<string>();
    for (const value of values) {
      const key = canonical(value);
      if (seen.has(key)) continue;
      seen.add(key);
      this.add(value, 1);
    }
  }

  /** Most frequent first; ties in sort-key order. */
  sorted(): FacetValue[] {
    const entries = [...this.#counts.values()];
    entries.sort(
      (left, right) =>
        right.count - left.count ||
        compareKeys(keyOfValue(left.value), keyOfValue(right.value)) ||
        compareCodePoints(canonical(left.value), canonical(right.value)),
    );
    return entries.slice(0, MAX_FACET_VALUES);
  }
}

function canonical(value: JsonValue): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  const keys = Object.keys(value).sort();
  return `{${keys.map((key) => `${JSON.stringify(key)}:${canonical(value[key] as JsonValue)}`).join(',')}}`;
}
