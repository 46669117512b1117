/** explain(): how a query is run, without running it (leaf counts are estimated on the index). */
import type { CompiledQuery } from '../compiled.js';
import type { CheckedOptions } from '../options.js';
import { planCandidates } from './planner.js';
import { planSql, rankedMatch } from './run-query.js';
import { type SourceKind, sourceKind } from './sources.js';
import type { SqlContext } from './sql-context.js';

/** How the engine runs a query (see QueryEngine.explain). */
export interface ExplainResult {
  dialect: CompiledQuery['dialect'];
  shape: CompiledQuery['shape'];
  /** The index narrows the candidates (or orders them by the sort path). */
  indexed: boolean;
  /** The index alone decides the filter for untruncated documents. */
  exact: boolean;
  /**
   * How candidates are found (`ranked-by-text`: a text search in relevance order); null when no
   * document is read (empty) or all are (whole-array).
   */
  source: SourceKind | null;
  /** Estimated size of the driving set (capped), when one drives. */
  estimate: number | null;
  sql: string | null;
  sort: { path: string; indexed: boolean } | null;
}

/** Plans `compiled` as `runPage` would and describes the plan. */
export function explainQuery(context: SqlContext, compiled: CompiledQuery, checked: CheckedOptions): ExplainResult {
  const sort = checked.sort === null ? null : { path: checked.sort.text, indexed: checked.sort.indexedPath !== null };
  const base = { dialect: compiled.dialect, shape: compiled.shape, exact: compiled.bounds.exact, sort };
  if (compiled.shape !== 'per-document') {
    return { ...base, indexed: compiled.shape === 'empty', source: null, estimate: null, sql: null };
  }
  const plan = planCandidates(context, compiled.bounds.possible);
  const ranked = rankedMatch(compiled, checked) !== null;
  return {
    ...base,
    indexed: plan.indexed || sort?.indexed === true,
    source: sourceKind(plan, checked.sort, ranked),
    estimate: plan.driver === null || ranked ? null : plan.estimate,
    sql: planSql(plan, checked, ranked),
  };
}
