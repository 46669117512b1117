/** One page of a query: candidates in output order, each evaluated exactly, paged (page.ts). */
import type { JsonValue } from '../../domain/document.js';
import { checkDeadline } from '../budget.js';
import type { CompiledQuery } from '../compiled.js';
import type { Cursor } from '../cursor.js';
import type { CheckedOptions } from '../options.js';
import { type Page, PageBuilder, pageByOffset } from '../page.js';
import type { QueryPlanSummary } from '../types.js';
import type { Candidate } from './candidate.js';
import { type CandidatePlan, planCandidates } from './planner.js';
import { rankedByText } from './ranked-source.js';
import { candidatesInOrder, sourceKind } from './sources.js';
import type { SqlContext } from './sql-context.js';
import { loadAllDocuments, wholeArrayValues } from './whole-array.js';

/** A page and how it was found. */
export interface PageRun {
  page: Page;
  plan: QueryPlanSummary;
}

/** Runs one page of `compiled`. */
export function runPage(
  context: SqlContext,
  compiled: CompiledQuery,
  checked: CheckedOptions,
  cursor: Cursor | null,
): PageRun {
  if (compiled.shape === 'empty')
    return { page: { items: [], next: null, exhausted: true }, plan: { indexed: true, candidates: 0 } };
  if (compiled.shape === 'whole-array') {
    const documents = loadAllDocuments(context, checked.sort, checked.descending);
    const page = pageByOffset(wholeArrayValues(compiled, documents), cursor, checked.limit, checked.maxResults);
    return { page, plan: { indexed: false, candidates: documents.length } };
  }
  const plan = planCandidates(context, compiled.bounds.possible);
  const start = cursor?.kind === 'position' ? { key: cursor.key, reference: cursor.reference } : null;
  const ranked = compiled.textMatch !== undefined && checked.sort === null && !checked.descending;
  const source = ranked
    ? rankedByText(context, plan, compiled.textMatch as string, start)
    : candidatesInOrder(context, plan, checked.sort, checked.descending, start);
  const builder = new PageBuilder({
    cursor,
    limit: checked.limit,
    maxResults: checked.maxResults,
    descending: checked.descending,
  });
  const candidates = evaluateCandidates(context, compiled.evaluateDocument, source, (candidate, items) =>
    builder.before(candidate.position) ? true : builder.add(candidate.position, items),
  );
  const indexed = plan.indexed || (checked.sort !== null && checked.sort.indexedPath !== null);
  return {
    page: builder.finish(),
    plan: { indexed, candidates, sql: ranked ? `ranked-by-text: ${plan.candidate.sql}` : planSql(plan, checked) },
  };
}

/**
 * Parses and evaluates each candidate, checking the deadline between documents; `accept`
 * returns false to stop. Returns how many documents were evaluated.
 */
export function evaluateCandidates(
  context: SqlContext,
  evaluate: (document: JsonValue) => JsonValue[],
  candidates: Iterable<Candidate>,
  accept: (candidate: Candidate, items: JsonValue[], document: JsonValue) => boolean,
): number {
  let evaluated = 0;
  for (const candidate of candidates) {
    checkDeadline();
    const json = candidate.json ?? context.json(candidate.id);
    if (json === undefined) continue; // deleted meanwhile
    const document = JSON.parse(json) as JsonValue;
    evaluated += 1;
    if (!accept(candidate, evaluate(document), document)) break;
  }
  return evaluated;
}

/** The candidate SQL, for plan summaries and explain(). */
export function planSql(plan: CandidatePlan, checked: Pick<CheckedOptions, 'sort'>): string {
  const kind = sourceKind(plan, checked.sort);
  return plan.driver === null
    ? `${kind}: ${plan.candidate.sql}`
    : `${kind}: ${plan.driver.sql} | ${plan.candidate.sql}`;
}
