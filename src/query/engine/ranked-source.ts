/**
 * Candidates of a text search ranked by relevance (the dialect's rank: FTS5 `bm25()`, or
 * PostgreSQL's `ts_rank` negated; lowest first, ties by
 * reference) when no sort is given. Each chunk first finds, in the FTS table alone, the rank
 * the next `chunk` matches reach (the edge); then only the matches up to that edge (ties
 * included) are joined to their documents and ordered by (rank, reference). A first page thus
 * never materializes or sorts every match in JavaScript, nor looks up every matching document;
 * the candidate condition stays in the SQL and the caller evaluates every candidate exactly.
 */
import { checkDeadline } from '../budget.js';
import { keyOfValue, type Position } from '../sort.js';
import type { Candidate } from './candidate.js';
import type { CandidatePlan } from './planner.js';
import type { SqlContext } from './sql-context.js';

/**
 * The order source of ranked results (`OrderSource`) in `context`'s dialect: FTS5's `bm25` and
 * PostgreSQL's `ts_rank` rank differently, so a cursor made in one resumes only in it.
 */
export function textRankOrder(context: SqlContext): string {
  return context.dialect.name === 'postgres' ? 'ts_rank' : 'bm25';
}

/** Where a chunk starts: past `rank` (exclusive), or at (rank, reference) inclusive. */
type Lower = { rank: number; reference: string | null } | null;

/** Matches of `match` that `plan.candidate` admits, in rank order, from `start` (inclusive) on. */
export function* rankedByText(
  context: SqlContext,
  plan: CandidatePlan,
  match: string,
  start: Position | null,
): Generator<Candidate> {
  const startRank = start?.key?.value;
  let lower: Lower =
    start !== null && typeof startRank === 'number' ? { rank: startRank, reference: start.reference } : null;
  let chunk = context.tuning.chunk;
  while (true) {
    checkDeadline();
    const edge = edgeRank(context, match, lower, chunk);
    const bounds = [lowerBound(lower), edge === null ? 'TRUE' : 't.rank <= ?'];
    const params = [...lowerParams(lower), ...(edge === null ? [] : [edge])];
    const sql = `SELECT d.id AS id, d.reference AS reference, t.rank AS rank FROM (${context.dialect.rankedText}) t
      ${context.dialect.orderedJoin} documents d ON d.id = t.id
      WHERE ${context.dialect.budgetCheck} AND ${bounds.join(' AND ')} AND ${plan.candidate.sql}
      ORDER BY t.rank, d.reference`;
    for (const row of context.all(sql, [context.dialect.textParam(match), ...params, ...plan.candidate.params])) {
      const position = { key: keyOfValue(row['rank'] as number), reference: row['reference'] as string };
      yield { id: row['id'] as number, position };
    }
    if (edge === null) return;
    lower = { rank: edge, reference: null };
    chunk = Math.min(chunk * 2, context.tuning.chunk * 4);
  }
}

/** The rank of the `chunk`-th match from `lower` on, or null when fewer remain (the last chunk). */
function edgeRank(context: SqlContext, match: string, lower: Lower, chunk: number): number | null {
  const sql = `SELECT t.rank AS rank FROM (${context.dialect.rankedText}) t WHERE ${lowerBound(lower, true)}
    ORDER BY t.rank LIMIT 1 OFFSET ${chunk - 1}`;
  const row = context.get(sql, [context.dialect.textParam(match), ...(lower === null ? [] : [lower.rank])]);
  return row === undefined ? null : (row['rank'] as number);
}

/** SQL bounding `t.rank` (and `d.reference` at the start rank) from below; `rankOnly` for the FTS table alone. */
function lowerBound(lower: Lower, rankOnly = false): string {
  if (lower === null) return 'TRUE';
  if (lower.reference === null) return 't.rank > ?';
  if (rankOnly) return 't.rank >= ?';
  return '(t.rank > ? OR (t.rank = ? AND d.reference >= ?))';
}

function lowerParams(lower: Lower): Array<string | number> {
  if (lower === null) return [];
  if (lower.reference === null) return [lower.rank];
  return [lower.rank, lower.rank, lower.reference];
}
