/** Candidates in reference order (no sort path): streamed in chunks, or from a driving set. */
import { checkDeadline } from '../budget.js';
import type { Position } from '../sort.js';
import { type Candidate, orderCandidates } from './candidate.js';
import { type CandidatePlan, drivenJsonColumn } from './planner.js';
import type { SqlContext } from './sql-context.js';

/** Streams documents matching `plan.candidate` by reference, from `start` (inclusive) on. */
export function* streamByReference(
  context: SqlContext,
  plan: CandidatePlan,
  descending: boolean,
  start: Position | null,
): Generator<Candidate> {
  const direction = descending ? 'DESC' : 'ASC';
  const comparison = descending ? '<' : '>';
  let after = start?.reference ?? null;
  let inclusive = true;
  let chunk = context.tuning.chunk;
  while (true) {
    checkDeadline();
    const bound = after === null ? 'TRUE' : `d.reference ${comparison}${inclusive ? '=' : ''} ?`;
    const sql = `SELECT d.id AS id, d.reference AS reference, d.json AS json FROM documents d
      WHERE ${context.dialect.budgetCheck} AND ${bound} AND ${plan.candidate.sql} ORDER BY d.reference ${direction} LIMIT ${chunk}`;
    const rows = context.all(sql, after === null ? plan.candidate.params : [after, ...plan.candidate.params]);
    for (const row of rows) {
      const reference = row['reference'] as string;
      yield { id: row['id'] as number, position: { key: null, reference }, json: row['json'] as string };
    }
    if (rows.length < chunk) return;
    after = rows[rows.length - 1]?.['reference'] as string;
    inclusive = false;
    chunk = Math.min(chunk * 2, context.tuning.chunk * 4);
  }
}

/**
 * Candidates of a driving set, sorted by reference, from `start` (inclusive) on. `want`: how
 * many candidates a page from the first one takes (their JSON is read with the set), or null.
 */
export function drivenByReference(
  context: SqlContext,
  plan: CandidatePlan,
  driver: { sql: string; params: readonly unknown[] },
  descending: boolean,
  start: Position | null,
  want: number | null = null,
): Candidate[] {
  const first = start === null && want !== null ? { order: `d.reference ${descending ? 'DESC' : 'ASC'}`, want } : null;
  const sql = `WITH c(id) AS MATERIALIZED (${driver.sql})
    SELECT d.id AS id, d.reference AS reference${drivenJsonColumn(plan, first)} FROM c ${context.dialect.orderedJoin} documents d ON d.id = c.id WHERE ${plan.residual.sql}`;
  const rows = plan.drivenRows ?? context.all(sql, [...driver.params, ...plan.residual.params]);
  const candidates = rows.map((row) => ({
    id: row['id'] as number,
    position: { key: null, reference: row['reference'] as string },
    json: (row['json'] ?? undefined) as string | undefined,
  }));
  return orderCandidates(candidates, descending, start);
}
