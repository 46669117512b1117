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
import { type CountedPaths, readCounts } from './facet-counts.js';
import type { Row, SqlContext } from './sql-context.js';
import { storedValue } from './stored-text.js';

/** A facet path: singular, or ending in `[*]` (array elements). */
export type FacetPath = SortPath & { wildcard: boolean };

/**
 * Facet values of each of `paths` among the documents matching `compiled` (all when null). The
 * indexed paths of an exact filter are grouped in one SQL statement, so the filter's document
 * set is found once for all of them (over every document, paths `counted` are read from their
 * counts instead); the others are evaluated per document.
 */
export function facetValuesOf(
  context: SqlContext,
  paths: readonly FacetPath[],
  compiled: CompiledQuery | null,
  counted: CountedPaths | null = null,
): FacetValue[][] {
  if (compiled !== null && compiled.shape !== 'per-document') {
    throw invalidArgument('facets need a query over documents, like $[?...] (this one needs the whole array)');
  }
  const counters = paths.map(() => new FacetCounter());
  const exact = compiled === null || (compiled.selectsDocuments && compiled.bounds.exact);
  const indexed = paths.flatMap((path, index) =>
    exact && path.indexedPath !== null && !path.wildcard ? [{ path: path as IndexedFacetPath, index }] : [],
  );
  if (indexed.length > 0) facetFromIndex(context, indexed, compiled, counters, counted);
  paths.forEach((path, index) => {
    if (indexed.some((entry) => entry.index === index)) return;
    const plan = planCandidates(context, compiled?.bounds.possible ?? ALL);
    const counter = counters[index] as FacetCounter;
    evaluateCandidates(
      context,
      evaluatorOf(compiled),
      candidatesAnyOrder(context, plan),
      (_candidate, items, document) => {
        if (items.length > 0) counter.addDocument(valuesAt(document, path));
        return true;
      },
    );
  });
  return counters.map((counter) => counter.sorted());
}

type IndexedFacetPath = FacetPath & { indexedPath: string };

/** The items of a document under `compiled`; without a query, every document matches. */
function evaluatorOf(compiled: CompiledQuery | null): (document: JsonValue) => JsonValue[] {
  return compiled === null ? (document) => [document] : compiled.evaluateDocument;
}

function valuesAt(document: JsonValue, path: FacetPath): JsonValue[] {
  return path.query.query(document).values() as JsonValue[];
}

function facetFromIndex(
  context: SqlContext,
  paths: ReadonlyArray<{ path: IndexedFacetPath; index: number }>,
  compiled: CompiledQuery | null,
  counters: readonly FacetCounter[],
  counted: CountedPaths | null,
): void {
  const set: DocumentSet = compiled?.bounds.possible ?? ALL;
  const ids = context.pathIds([...pathsOf(set), ...paths.map((entry) => entry.path.indexedPath)]);
  /** The indexes (into `counters`) of each path id; a path the index does not know (-1) has no rows. */
  const byPathId = new Map<number, number[]>();
  for (const { path, index } of paths) {
    const pathId = ids.get(path.indexedPath) ?? -1;
    byPathId.set(pathId, [...(byPathId.get(pathId) ?? []), index]);
  }
  // Over every document, a counted path's values are read from its counts (facet-counts.ts).
  const fromCounts = compiled === null && counted !== null ? counted.among([...byPathId.keys()]) : [];
  const grouped = [...byPathId.keys()].filter((pathId) => !fromCounts.includes(pathId));
  const groups = [
    ...(fromCounts.length > 0 ? readCounts(context, fromCounts) : []),
    ...(grouped.length > 0 ? groupValues(context, set, ids, grouped) : []),
  ];
  const odd: Array<{ id: number; pathId: number }> = [];
  for (const group of groups) {
    const pathId = group['path'] as number;
    if (group['odd'] !== null) {
      odd.push({ id: group['odd'] as number, pathId });
      continue;
    }
    const value = scalarOf(group['type'] as number, storedValue(group['value'], group['raw']));
    for (const index of byPathId.get(pathId) ?? []) counters[index]?.add(value, Number(group['n']));
  }
  countFromJson(context, compiled, byPathId, counters, paths, odd);
}

/**
 * The value rows of `pathIds` among the documents of `set`, grouped by value, except irregular
 * values (`odd`: a group per document) and truncated documents.
 */
function groupValues(
  context: SqlContext,
  set: DocumentSet,
  ids: ReadonlyMap<string, number>,
  pathIds: readonly number[],
): Row[] {
  const select = renderSelect(set, ids, context.dialect);
  const within = set.kind === 'all' ? 'TRUE' : `v.doc_id IN (${select.sql})`;
  const params = set.kind === 'all' ? [] : select.params;
  // The budget check comes last so it ticks only on the rows of the filter's documents.
  const { dialect } = context;
  const irregular = `v.type IN (${ValueType.object}, ${ValueType.array}) OR (v.type = ${ValueType.string} AND v.${dialect.stringColumn} IS NULL)`;
  return context.all(
    `SELECT v.path_id AS path, v.type AS type, ${dialect.valueColumns('v')},
      CASE WHEN ${irregular} THEN v.doc_id END AS odd, count(*) AS n
      FROM doc_values v WHERE v.path_id IN (${pathIds.join(', ')}) AND ${within}
      AND v.doc_id NOT IN (${TRUNCATED_IDS}) AND ${context.dialect.budgetCheck} GROUP BY v.path_id, v.type, ${dialect.valueOrder('v').join(', ')}, odd`,
    params,
  );
}

/**
 * Reads the documents the grouped statement cannot count: truncated ones (every path) and
 * those with an irregular value at a path (that path only, as the statement skipped it there).
 */
function countFromJson(
  context: SqlContext,
  compiled: CompiledQuery | null,
  byPathId: ReadonlyMap<number, number[]>,
  counters: readonly FacetCounter[],
  paths: ReadonlyArray<{ path: IndexedFacetPath; index: number }>,
  odd: ReadonlyArray<{ id: number; pathId: number }>,
): void {
  const ALL_PATHS = -2;
  const truncated = context.all(TRUNCATED_IDS).map((row) => ({ id: row['id'] as number, pathId: ALL_PATHS }));
  const rows = [...odd, ...truncated];
  const indexesOf = new Map<number, Set<number>>();
  for (const { id, pathId } of rows) {
    const indexes = pathId === ALL_PATHS ? paths.map((entry) => entry.index) : (byPathId.get(pathId) ?? []);
    const seen = indexesOf.get(id) ?? new Set<number>();
    for (const index of indexes) seen.add(index);
    indexesOf.set(id, seen);
  }
  const fromJson: Candidate[] = [...indexesOf.keys()].map((id) => ({ id, position: { key: null, reference: '' } }));
  evaluateCandidates(context, evaluatorOf(compiled), fromJson, (candidate, items, document) => {
    if (items.length === 0) return true;
    for (const { path, index } of paths) {
      if (indexesOf.get(candidate.id)?.has(index) === true) counters[index]?.addDocument(valuesAt(document, path));
    }
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

  /** Most frequent first; ties in sort-key order (values counted and taken off again are gone). */
  sorted(): FacetValue[] {
    const entries = [...this.#counts.values()];
    entries.sort(
      (left, right) =>
        right.count - left.count ||
        compareKeys(keyOfValue(left.value), keyOfValue(right.value)) ||
        compareCodePoints(canonical(left.value), canonical(right.value)),
    );
    return entries.filter((entry) => entry.count > 0).slice(0, MAX_FACET_VALUES);
  }
}

function canonical(value: JsonValue): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  const keys = Object.keys(value).sort();
  return `{${keys.map((key) => `${JSON.stringify(key)}:${canonical(value[key] as JsonValue)}`).join(',')}}`;
}
