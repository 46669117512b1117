/**
 * Counting the items of a query. When the query selects documents by a filter the index decides
 * exactly (bounds.exact), untruncated documents are counted in SQL and only truncated ones
 * evaluated; otherwise every candidate is evaluated.
 */
import { tick } from '../budget.js';
import type { CompiledQuery } from '../compiled.js';
import type { CheckedOptions } from '../options.js';
import { renderSelect } from '../plan/render.js';
import { type CandidatePlan, planCandidates, TRUNCATED_IDS } from './planner.js';
import { evaluateCandidates } from './run-query.js';
import { candidatesAnyOrder } from './sources.js';
import type { SqlContext } from './sql-context.js';
import { loadAllDocuments, wholeArrayValues } from './whole-array.js';

/** The number of items `compiled` returns. */
export function countItems(context: SqlContext, compiled: CompiledQuery, checked: CheckedOptions): number {
  if (compiled.shape === 'empty') return 0;
  if (compiled.shape === 'whole-array') {
    let total = 0;
    for (const _ of wholeArrayValues(compiled, loadAllDocuments(context, checked.sort, checked.descending))) {
      tick();
      total += 1;
    }
    return total;
  }
  const plan = planCandidates(context, compiled.bounds.possible);
  if (compiled.selectsDocuments && compiled.bounds.exact) return countExact(context, compiled, plan);
  let total = 0;
  evaluateCandidates(context, compiled.evaluateDocument, candidatesAnyOrder(context, plan), (_candidate, items) => {
    total += items.length;
    return true;
  });
  return total;
}

/**
 * Exact sets hold one row per document (member paths only), so counting rows counts documents;
 * truncated documents (when the planner's probe found any) are evaluated one by one.
 */
function countExact(context: SqlContext, compiled: CompiledQuery, plan: CandidatePlan): number {
  const select = renderSelect(plan.possible, plan.ids, context.dialect);
  const untruncated = plan.truncated ? ` AND s.id NOT IN (${TRUNCATED_IDS})` : '';
  const sql = `SELECT count(*) AS n FROM (${select.sql}) s WHERE ${context.dialect.budgetCheck}${untruncated}`;
  let total = context.get(sql, select.params)?.['n'] as number;
  if (!plan.truncated) return total;
  const truncated = context
    .all(`SELECT id, reference, json FROM documents WHERE id IN (${TRUNCATED_IDS})`)
    .map((row) => ({
      id: row['id'] as number,
      position: { key: null, reference: row['reference'] as string },
      json: row['json'] as string,
    }));
  evaluateCandidates(context, compiled.evaluateDocument, truncated, (_candidate, items) => {
    total += items.length;
    return true;
  });
  return total;
}
