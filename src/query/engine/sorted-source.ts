/**
 * Candidates in sort-path order, read from the `doc_values_lookup` index (path_id, type, value):
 * groups of equal (type, value) in index order, each group ordered by reference; then the
 * documents without a value (missing last). Values the index does not hold exactly (long strings,
 * truncated documents) are computed from the JSON and merged in. See sort.ts for the order.
 */
import { ValueType } from '../../store/values.js';
import { checkDeadline } from '../budget.js';
import { MISSING, type Position, type SortKey, type SortPath, sortKeyOf } from '../sort.js';
import { type Candidate, mergeSorted, orderCandidates } from './candidate.js';
import { type CandidatePlan, NOT_TRUNCATED, TRUNCATED_IDS } from './planner.js';
import type { Row, SqlContext } from './sql-context.js';
import { firstChunkSize, sortedRowsSql } from './sorted-rows.js';
import { renderCondition } from '../plan/render.js';
import { storedValue } from './stored-text.js';
import type { Dialect } from '../../store/index.js';

/** The key a `doc_values` row gives (strings from their stored bytes), or null when only the JSON can tell. */
export function keyFromRow(type: unknown, value: unknown, raw?: unknown): SortKey | null {
  if (type === null || type === undefined) return MISSING;
  const stored = storedValue(value, raw);
  if (type === ValueType.string && typeof stored !== 'string') return null;
  if (type === ValueType.string && raw === undefined && stored?.toString().includes('\ufffd')) return null;
  return { missing: false, type: type as SortKey['type'], value: stored };
}

function keyFromJson(context: SqlContext, id: number, sort: SortPath): SortKey {
  const json = context.json(id);
  return json === undefined ? MISSING : sortKeyOf(JSON.parse(json), sort);
}

/**
 * Streams candidates of `plan` in sort order, from `start` (inclusive) on. `want`: how many
 * candidates the consumer expects to take (the page's); the first chunk is that size, with its JSON.
 */
export function streamBySortPath(
  context: SqlContext,
  plan: CandidatePlan,
  sort: SortPath & { indexedPath: string },
  descending: boolean,
  start: Position | null,
  want: number = context.tuning.chunk,
): Iterable<Candidate> {
  const pathId = context.pathIds([sort.indexedPath]).get(sort.indexedPath) ?? -1;
  const irregular = plan.irregularSort ? irregularCandidates(context, plan, sort, pathId, descending, start) : [];
  const regular = (function* () {
    if (start?.key?.missing !== true) yield* presentGroups(context, plan, sort, pathId, descending, start, want);
    yield* missingValues(context, plan, pathId, descending, start);
  })();
  return mergeSorted(irregular, regular, descending);
}

/** Truncated documents, and long strings at the sort path: keyed from their JSON. */
function irregularCandidates(
  context: SqlContext,
  plan: CandidatePlan,
  sort: SortPath,
  pathId: number,
  descending: boolean,
  start: Position | null,
): Candidate[] {
  const sql = `SELECT id, reference FROM documents WHERE id IN (${TRUNCATED_IDS})
    UNION SELECT d.id, d.reference FROM doc_values v ${context.dialect.orderedJoin} documents d ON d.id = v.doc_id
    WHERE v.path_id = ${pathId} AND v.type = ${ValueType.string} AND v.${context.dialect.stringColumn} IS NULL AND ${plan.candidate.sql}`;
  const candidates = context.all(sql, plan.candidate.params).map((row) => {
    const id = row['id'] as number;
    return { id, position: { key: keyFromJson(context, id, sort), reference: row['reference'] as string } };
  });
  return orderCandidates(candidates, descending, start);
}

/**
 * Documents having a (regular) value at the path, group by group: a chunk at a time, read with
 * one row more, which tells whether the chunk's last group is complete (when that row starts
 * another group) or is to be read whole. The first chunk (`want` rows) carries its JSON; the
 * planner may have read it already (`CandidatePlan.firstChunk`).
 */
function* presentGroups(
  context: SqlContext,
  plan: CandidatePlan,
  sort: SortPath,
  pathId: number,
  descending: boolean,
  start: Position | null,
  want: number,
): Generator<Candidate> {
  let bound: GroupBound | null = start?.key
    ? { row: { type: start.key.type, value: start.key.value }, inclusive: true }
    : null;
  let chunk = firstChunkSize(want, context.tuning.chunk);
  let withJson = true;
  let prefetched = bound === null ? prefetchedChunk(plan, descending, chunk + 1) : null;
  while (true) {
    checkDeadline();
    const rows = prefetched ?? groupRows(context, plan, pathId, descending, bound, chunk + 1, withJson);
    prefetched = null;
    const next = rows.length > chunk ? (rows.pop() as Row) : undefined;
    const groups = splitGroups(rows);
    if (next !== undefined && sameValue(next, rows[rows.length - 1] as Row)) {
      // The last group continues past the chunk: read it whole (in the first chunk, with the
      // JSON of the candidates the page takes from it first).
      const last = groups.pop() as Row[];
      const only: GroupBound = { row: last[0] as Row, inclusive: true, only: true };
      const jsonFirst = withJson && start === null ? want - (rows.length - last.length) : 0;
      groups.push(groupRows(context, plan, pathId, descending, only, -1, false, jsonFirst));
    }
    for (const group of groups) yield* emitGroup(context, sort, group, descending, start);
    const lastGroup = groups[groups.length - 1];
    if (next === undefined || lastGroup === undefined) return;
    bound = { row: lastGroup[0] as Row, inclusive: false };
    chunk = Math.min(Math.max(chunk * 2, context.tuning.chunk), context.tuning.chunk * 4);
    withJson = false;
  }
}

interface GroupBound {
  /** `type` and `value` of the bounding group; `raw` (the stored bytes of a string) when read from SQL. */
  row: Row;
  inclusive: boolean;
  /** Only the group of `key` itself. */
  only?: boolean;
}

function groupRows(
  context: SqlContext,
  plan: CandidatePlan,
  pathId: number,
  descending: boolean,
  bound: GroupBound | null,
  limit: number,
  withJson: boolean,
  jsonFirst = 0,
): Row[] {
  const { dialect } = context;
  // One group (one value of the path) is read the same way whatever the value: planned once
  // (PostgreSQL), its candidates checked by document.
  const group = bound?.only === true;
  const condition = group
    ? renderCondition(plan.possible, plan.ids, 'v.doc_id', dialect, dialect.genericChecksByDocument)
    : plan.conditionOn('v.doc_id');
  const query = sortedRowsSql(dialect, {
    jsonFirst,
    pathId,
    descending,
    bound: boundCondition(dialect, bound, descending),
    condition,
    regularOnly: regularOnly(plan, dialect),
    limit,
    withJson,
  });
  return context.all(group ? dialect.genericPlan(query.sql) : query.sql, query.params);
}

/**
 * The first chunk as `groupRows` reads it (from the first group, `limit` rows with JSON) when the
 * planner read it with its probes for this order, else null.
 */
function prefetchedChunk(plan: CandidatePlan, descending: boolean, limit: number): Row[] | null {
  const chunk = plan.firstChunk;
  return chunk !== null && chunk.descending === descending && chunk.limit === limit ? [...chunk.rows] : null;
}

/**
 * Leaves out the rows `irregularCandidates` keys from JSON (long strings, truncated documents);
 * nothing when the probes found none (simpler SQL: PostgreSQL plans every statement it runs).
 */
function regularOnly(plan: CandidatePlan, dialect: Dialect): string {
  if (!plan.irregularSort) return '';
  return ` AND NOT (v.type = ${ValueType.string} AND v.${dialect.stringColumn} IS NULL) AND v.doc_id NOT IN (${TRUNCATED_IDS})`;
}

/**
 * The keyset condition. Strings are bound as their stored bytes: reading a string holding a lone
 * surrogate back from SQLite as text replaces it, so the text would not compare equal (SQLite
 * compares `CAST(? AS TEXT)` of the bytes; PostgreSQL stores the bytes).
 */
function boundCondition(
  dialect: Dialect,
  bound: GroupBound | null,
  descending: boolean,
): { sql: string; params: unknown[] } {
  if (bound === null) return { sql: 'TRUE', params: [] };
  const type = bound.row['type'] as number;
  const stored = (bound.row['raw'] ?? bound.row['value'] ?? null) as unknown;
  const value = typeof stored === 'string' ? dialect.bindString(stored) : stored;
  const column = `v.${type === ValueType.number ? dialect.numberColumn : dialect.stringColumn}`;
  const placeholder = Buffer.isBuffer(value) && dialect.name === 'sqlite' ? 'CAST(? AS TEXT)' : '?';
  if (bound.only === true) {
    return value === null
      ? { sql: `v.type = ${type}`, params: [] }
      : { sql: `v.type = ${type} AND ${column} = ${placeholder}`, params: [value] };
  }
  const operator = `${descending ? '<' : '>'}${bound.inclusive ? '=' : ''}`;
  if (value === null) return { sql: `v.type ${operator} ${type}`, params: [] };
  return { sql: `(v.type, ${column}) ${operator} (${type}, ${placeholder})`, params: [value] };
}

function splitGroups(rows: readonly Row[]): Row[][] {
  const groups: Row[][] = [];
  for (const row of rows) {
    const current = groups[groups.length - 1];
    const first = current?.[0];
    if (first !== undefined && sameValue(first, row)) current?.push(row);
    else groups.push([row]);
  }
  return groups;
}

function sameValue(left: Row, right: Row): boolean {
  if (left['type'] !== right['type']) return false;
  const leftRaw = left['raw'];
  const rightRaw = right['raw'];
  if (Buffer.isBuffer(leftRaw) && Buffer.isBuffer(rightRaw)) return leftRaw.equals(rightRaw);
  return left['value'] === right['value'];
}

function* emitGroup(
  context: SqlContext,
  sort: SortPath,
  group: Row[],
  descending: boolean,
  start: Position | null,
): Generator<Candidate> {
  const first = group[0] as Row;
  const key =
    keyFromRow(first['type'], first['value'], first['raw'] ?? undefined) ??
    keyFromJson(context, first['id'] as number, sort);
  const candidates = group.map((row) => ({
    id: row['id'] as number,
    position: { key, reference: row['reference'] as string },
    json: (row['json'] ?? undefined) as string | undefined,
  }));
  yield* orderCandidates(candidates, descending, start);
}

/** Documents without a value at the path (and not truncated), by reference. */
function* missingValues(
  context: SqlContext,
  plan: CandidatePlan,
  pathId: number,
  descending: boolean,
  start: Position | null,
): Generator<Candidate> {
  const direction = descending ? 'DESC' : 'ASC';
  const comparison = descending ? '<' : '>';
  let after = start?.key?.missing === true ? start.reference : null;
  let inclusive = true;
  while (true) {
    checkDeadline();
    const bound = after === null ? 'TRUE' : `d.reference ${comparison}${inclusive ? '=' : ''} ?`;
    const sql = `SELECT d.id AS id, d.reference AS reference FROM documents d
      WHERE ${context.dialect.budgetCheck} AND ${bound} AND ${NOT_TRUNCATED} AND (${plan.condition.sql})
        AND NOT EXISTS (SELECT 1 FROM doc_values s${context.dialect.indexedBy('doc_values_by_doc')} WHERE s.doc_id = d.id AND s.path_id = ${pathId})
      ORDER BY d.reference ${direction} LIMIT ${context.tuning.chunk}`;
    const rows = context.all(sql, after === null ? plan.condition.params : [after, ...plan.condition.params]);
    for (const row of rows)
      yield { id: row['id'] as number, position: { key: MISSING, reference: row['reference'] as string } };
    if (rows.length < context.tuning.chunk) return;
    after = rows[rows.length - 1]?.['reference'] as string;
    inclusive = false;
  }
}
