/**
 * Candidates of a text search ranked by relevance (FTS5 `bm25()`, best first, ties by
 * reference) when no sort is given. Each chunk asks SQLite for the next ranked matches past the
 * last position (rank, reference) with a LIMIT, so a first page never materializes or sorts every
 * match in JavaScript; the candidate condition stays in the SQL and every candidate is still
 * evaluated exactly by the caller.
 */
import { checkDeadline } from '../budget.js';
import { keyOfValue, type Position } from '../sort.js';
import type { Candidate } from './candidate.js';
import type { CandidatePlan } from './planner.js';
import { BUDGET_CHECK, type SqlContext } from './sql-context.js';

/** The rank stored in a position's key (a number: lower `bm25()` is more relevant). */
function rankOf(position: Position): number | null {
  const value = position.key?.value;
  return typeof value === 'number' ? value : null;
}

/** Matches of `match` that `plan.candidate` admits, in rank order, from `start` (inclusive) on. */
export function* rankedByText(
  context: SqlContext,
  plan: CandidatePlan,
  match: string,
  start: Position | null,
): Generator<Candidate> {
  let after = start === null ? null : { rank: rankOf(start), reference: start.reference };
  let inclusive = true;
  let chunk = context.tuning.chunk;
  while (true) {
    checkDeadline();
    const bound =
      after === null || after.rank === null
        ? '1'
        : `(t.rank > ? OR (t.rank = ? AND d.reference ${inclusive ? '>=' : '>'} ?))`;
    const sql = `SELECT d.id AS id, d.reference AS reference, d.json AS json, t.rank AS rank
      FROM (SELECT rowid AS id, bm25(doc_text) AS rank FROM doc_text WHERE doc_text MATCH ?) t
      CROSS JOIN documents d ON d.id = t.id
      WHERE ${BUDGET_CHECK} AND ${bound} AND ${plan.candidate.sql}
      ORDER BY t.rank, d.reference LIMIT ${chunk}`;
    const boundParams = after === null || after.rank === null ? [] : [after.rank, after.rank, after.reference];
    const rows = context.all(sql, [match, ...boundParams, ...plan.candidate.params]);
    for (const row of rows) {
      const position = { key: keyOfValue(row['rank'] as number), reference: row['reference'] as string };
      yield { id: row['id'] as number, position, json: row['json'] as string };
    }
    const last = rows[rows.length - 1];
    if (rows.length < chunk || last === undefined) return;
    after = { rank: last['rank'] as number, reference: last['reference'] as string };
    inclusive = false;
    chunk = Math.min(chunk * 2, context.tuning.chunk * 4);
  }
}
