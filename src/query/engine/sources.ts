/**
 * Picks the candidate source for a per-document query: ranked by text relevance, or a driving
 * set or stream, by reference or sort path.
 */
import type { SortPath, Position } from '../sort.js';
import type { Candidate } from './candidate.js';
import { drivenBySortPath, keyedFromJson } from './keyed-source.js';
import type { CandidatePlan } from './planner.js';
import { rankedByText } from './ranked-source.js';
import { drivenByReference, streamByReference } from './reference-source.js';
import { streamBySortPath } from './sorted-source.js';
import type { SqlContext } from './sql-context.js';

/** The candidate sources (see `candidatesInOrder`). */
export type SourceKind =
  | 'ranked-by-text'
  | 'driven-by-reference'
  | 'stream-by-reference'
  | 'driven-by-sort'
  | 'stream-by-sort'
  | 'keyed-from-json';

/** Which source `candidatesInOrder` uses (`ranked`: a text search ranked by relevance, see `rankedMatch`). */
export function sourceKind(plan: CandidatePlan, sort: SortPath | null, ranked = false): SourceKind {
  if (ranked) return 'ranked-by-text';
  if (sort === null) return plan.driver === null ? 'stream-by-reference' : 'driven-by-reference';
  if (sort.indexedPath === null) return 'keyed-from-json';
  return plan.driver === null ? 'stream-by-sort' : 'driven-by-sort';
}

/**
 * Candidates of `plan` in output order, from `start` (inclusive) on; ranked by relevance when
 * `rankedMatch` (the text's FTS5 expression) is given. `want`: how many candidates the consumer
 * expects to take (a page's), which sizes the first read of a sorted stream.
 */
export function candidatesInOrder(
  context: SqlContext,
  plan: CandidatePlan,
  sort: SortPath | null,
  descending: boolean,
  start: Position | null,
  rankedMatch: string | null = null,
  want: number = context.tuning.chunk,
): Iterable<Candidate> {
  const kind = sourceKind(plan, sort, rankedMatch !== null);
  const driver = plan.driver;
  switch (kind) {
    case 'ranked-by-text':
      return rankedByText(context, plan, rankedMatch as string, start);
    case 'stream-by-reference':
      return streamByReference(context, plan, descending, start);
    case 'driven-by-reference':
      return drivenByReference(context, plan, driver as NonNullable<typeof driver>, descending, start, want);
    case 'keyed-from-json':
      return keyedFromJson(context, plan, sort as SortPath, descending, start);
    case 'stream-by-sort':
      return streamBySortPath(context, plan, sort as SortPath & { indexedPath: string }, descending, start, want);
    case 'driven-by-sort':
      return drivenBySortPath(
        context,
        plan,
        driver as NonNullable<typeof driver>,
        sort as SortPath & { indexedPath: string },
        descending,
        start,
        want,
      );
  }
}

/** Candidates of `plan` in no particular order (counting, faceting): driving set or a scan by id. */
export function* candidatesAnyOrder(context: SqlContext, plan: CandidatePlan): Generator<Candidate> {
  if (plan.driver !== null) {
    yield* drivenByReference(context, plan, plan.driver, false, null);
    return;
  }
  let after = -1;
  while (true) {
    const sql = `SELECT d.id AS id, d.reference AS reference, d.json AS json FROM documents d
      WHERE ${context.dialect.budgetCheck} AND d.id > ? AND ${plan.candidate.sql} ORDER BY d.id LIMIT 512`;
    const rows = context.all(sql, [after, ...plan.candidate.params]);
    for (const row of rows) {
      yield {
        id: row['id'] as number,
        position: { key: null, reference: row['reference'] as string },
        json: row['json'] as string,
      };
    }
    if (rows.length < 512) return;
    after = rows[rows.length - 1]?.['id'] as number;
  }
}
