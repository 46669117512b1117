/** One page of a query: candidates in output order, each evaluated exactly, paged (page.ts). */
import type { JsonValue } from '../../domain/document.js';
import { checkDeadline } from '../budget.js';
import type { CompiledQuery } from '../compiled.js';
import { type Cursor, type OrderSource, QUERY_ORDER } from '../cursor.js';
import type { CheckedOptions } from '../options.js';
import { type Page, PageBuilder, pageByOffset } from '../page.js';
import type { QueryPlanSummary } from '../types.js';
import type { Candidate } from './candidate.js';
import { type CandidatePlan, planCandidates } from './planner.js';
import { textRankOrder } from './ranked-source.js';
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
  const start = cursor?.kind === 'position' ? { key: cursor.key, reference: cursor.reference } : null;
  const match = rankedMatch(compiled, checked);
  // A page takes its items and one more (is there a next page?), and the cursor's own position.
  const want = (checked.limit ?? checked.maxResults) + (start === null ? 1 : 2);
  const firstChunk = start === null ? { descending: checked.descending, want } : null;
  const plan = planCandidates(context, compiled.bounds.possible, checked.sort?.indexedPath ?? null, firstChunk);
  const source = candidatesInOrder(context, plan, checked.sort, checked.descending, start, match, want);
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
    plan: { indexed, candidates, sql: planSql(plan, checked, match !== null) },
  };
}

/**
 * The FTS5 expression results are ranked by, or null: a text search without `sort` (and not
 * `order=desc`) is ranked by relevance; anything else keeps the query's order.
 */
export function rankedMatch(
  compiled: CompiledQuery,
  checked: Pick<CheckedOptions, 'sort' | 'descending'>,
): string | null {
  const ranked = compiled.shape === 'per-document' && checked.sort === null && !checked.descending;
  return ranked ? (compiled.textMatch ?? null) : null;
}

/** What the positions of `compiled`'s pages are ordered by (cursors are bound to it). */
export function orderSourceOf(context: SqlContext, compiled: CompiledQuery, checked: CheckedOptions): OrderSource {
  return rankedMatch(compiled, checked) === null ? QUERY_ORDER : textRankOrder(context);
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
  for (const candidate of withJson(context, candidates)) {
    checkDeadline();
    const json = candidate.json;
    if (json === undefined) continue; // deleted meanwhile
    const document = JSON.parse(json) as JsonValue;
    evaluated += 1;
    if (!accept(candidate, evaluate(document), document)) break;
  }
  return evaluated;
}

/** The first and the largest number of candidates whose JSON is read in one statement. */
const FIRST_JSON_BATCH = 8;
const MAX_JSON_BATCH = 128;

/**
 * The candidates with their JSON, read a batch at a time (a statement per batch, not per
 * document: a round trip each on PostgreSQL), the batch growing while the consumer goes on. A
 * candidate that came with its JSON is passed on at once: no candidate is read ahead for it.
 */
function* withJson(context: SqlContext, candidates: Iterable<Candidate>): Generator<Candidate> {
  const iterator = candidates[Symbol.iterator]();
  let size = FIRST_JSON_BATCH;
  for (;;) {
    let next = iterator.next();
    while (next.done !== true && next.value.json !== undefined) {
      yield next.value;
      next = iterator.next();
    }
    if (next.done === true) return;
    const batch: Candidate[] = [next.value];
    while (batch.length < size) {
      next = iterator.next();
      if (next.done === true) break;
      batch.push(next.value);
    }
    const missing = batch.filter((candidate) => candidate.json === undefined).map((candidate) => candidate.id);
    const found = context.jsons(missing);
    for (const candidate of batch)
      yield candidate.json === undefined ? { ...candidate, json: found.get(candidate.id) } : candidate;
    if (batch.length < size) return;
    size = Math.min(size * 2, MAX_JSON_BATCH);
  }
}

/** The candidate SQL, for plan summaries and explain(). */
export function planSql(plan: CandidatePlan, checked: Pick<CheckedOptions, 'sort'>, ranked = false): string {
  const kind = sourceKind(plan, checked.sort, ranked);
  return plan.driver === null || ranked
    ? `${kind}: ${plan.candidate.sql}`
    : `${kind}: ${plan.driver.sql} | ${plan.candidate.sql}`;
}
