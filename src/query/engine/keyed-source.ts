/**
 * Sorted candidates gathered first, then ordered in memory: a driving set joined with its sort
 * values, or (for a sort path the index does not hold) every candidate keyed from its JSON.
 */
import { checkDeadline } from '../budget.js';
import type { SqlFragment } from '../plan/render.js';
import { type Position, type SortPath, sortKeyOf } from '../sort.js';
import { type Candidate, orderCandidates } from './candidate.js';
import { type CandidatePlan, drivenJsonColumn, IS_TRUNCATED } from './planner.js';
import { keyFromRow } from './sorted-source.js';
import type { SqlContext } from './sql-context.js';

/**
 * Driving-set candidates keyed by their `doc_values` row at the sort path (JSON when irregular).
 * `want`: how many candidates a page from the first one takes (their JSON is read with the set).
 */
export function drivenBySortPath(
  context: SqlContext,
  plan: CandidatePlan,
  driver: SqlFragment,
  sort: SortPath & { indexedPath: string },
  descending: boolean,
  start: Position | null,
  want: number | null = null,
): Candidate[] {
  const pathId = context.pathIds([sort.indexedPath]).get(sort.indexedPath) ?? -1;
  const first = start === null && want !== null ? { order: sortOrder(context, descending), want } : null;
  const sql = `WITH c(id) AS MATERIALIZED (${driver.sql})
    SELECT d.id AS id, d.reference AS reference, ${IS_TRUNCATED} AS truncated, s.type AS type, ${context.dialect.valueColumns('s')}${drivenJsonColumn(plan, first)}
    FROM c ${context.dialect.orderedJoin} documents d ON d.id = c.id LEFT JOIN doc_values s${context.dialect.indexedBy('doc_values_by_doc')} ON s.doc_id = d.id AND s.path_id = ${pathId}
    WHERE ${plan.residual.sql}`;
  const candidates = context.all(sql, [...driver.params, ...plan.residual.params]).map((row) => {
    const id = row['id'] as number;
    const json = (row['json'] ?? undefined) as string | undefined;
    let key = row['truncated'] ? null : keyFromRow(row['type'], row['value'], row['raw'] ?? undefined);
    if (key === null) {
      checkDeadline();
      const stored = json ?? context.json(id);
      key = sortKeyOf(stored === undefined ? null : JSON.parse(stored), sort);
    }
    return { id, position: { key, reference: row['reference'] as string }, json };
  });
  return orderCandidates(candidates, descending, start);
}

/**
 * The output order over a driving set's rows (`s`: its value at the sort path), as SQL: missing
 * values last, then by type, value and reference (strings by their stored form: close to the
 * order of sort.ts, which is all the JSON read with the rows needs).
 */
function sortOrder(context: SqlContext, descending: boolean): string {
  const direction = descending ? 'DESC' : 'ASC';
  const terms = ['s.type', ...context.dialect.valueOrder('s'), 'd.reference'].map((term) => `${term} ${direction}`);
  return ['s.type IS NULL', ...terms].join(', ');
}

/** Every candidate (driving set or all documents passing the condition) keyed from its JSON. */
export function keyedFromJson(
  context: SqlContext,
  plan: CandidatePlan,
  sort: SortPath,
  descending: boolean,
  start: Position | null,
): Candidate[] {
  const source =
    plan.driver === null
      ? 'documents d'
      : `(${plan.driver.sql}) c ${context.dialect.orderedJoin} documents d ON d.id = c.id`;
  const condition = plan.driver === null ? plan.candidate : plan.residual;
  const sql = `SELECT d.id AS id, d.reference AS reference, d.json AS json FROM ${source} WHERE ${context.dialect.budgetCheck} AND ${condition.sql}`;
  const params = [...(plan.driver?.params ?? []), ...condition.params];
  const candidates: Candidate[] = [];
  for (const row of context.statement(sql).iterate(...params) as Iterable<Record<string, unknown>>) {
    checkDeadline();
    const key = sortKeyOf(JSON.parse(row['json'] as string), sort);
    candidates.push({ id: row['id'] as number, position: { key, reference: row['reference'] as string } });
  }
  return orderCandidates(candidates, descending, start);
}
