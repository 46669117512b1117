/**
 * The SELECT of a sorted stream's value rows (sorted-source.ts reads them chunk by chunk). Shared
 * with the planner: on PostgreSQL the first chunk can ride in the statement of its probes
 * (planner.ts `firstChunkFetch`), the same rows `presentGroups` would ask for next.
 */
import type { Dialect } from '../../store/index.js';
import type { SqlFragment } from '../plan/render.js';

/** One read of value rows at the sort path, in sort order. */
export interface SortedRowsQuery {
  pathId: number;
  descending: boolean;
  /** The keyset condition on `v` (`TRUE`: from the first group on). */
  bound: SqlFragment;
  /** The filter's condition on `v.doc_id`: rows failing it are dropped before their document row is read. */
  condition: SqlFragment;
  /** ` AND ...` leaving out the rows keyed from JSON, or '' when there are none. */
  regularOnly: string;
  /** At most this many rows (none when 0 or less). */
  limit: number;
  withJson: boolean;
}

/** `id`, `type`, `value`, `raw`, `reference` (and `json`) of the value rows `query` reads, in sort order. */
export function sortedRowsSql(dialect: Dialect, query: SortedRowsQuery): SqlFragment {
  const direction = query.descending ? 'DESC' : 'ASC';
  const order = [`v.type ${direction}`, ...dialect.valueOrder('v').map((term) => `${term} ${direction}`)];
  const json = query.withJson ? ', d.json AS json' : '';
  const { bound, condition } = query;
  const sql = `SELECT v.doc_id AS id, v.type AS type, ${dialect.valueColumns('v')}, d.reference AS reference${json}
    FROM doc_values v ${dialect.orderedJoin} documents d ON d.id = v.doc_id
    WHERE ${dialect.budgetCheck} AND v.path_id = ${query.pathId} AND ${bound.sql}${query.regularOnly} AND (${condition.sql})
    ORDER BY ${order.join(', ')}${query.limit > 0 ? ` LIMIT ${query.limit}` : ''}`;
  return { sql, params: [...bound.params, ...condition.params] };
}

/**
 * The same order over the columns `sortedRowsSql` selects, qualified by `alias` (`value` and
 * `raw` order as the value columns they are read from, in both dialects).
 */
export function sortedRowsOrder(alias: string, descending: boolean): string {
  const direction = descending ? 'DESC' : 'ASC';
  return ['type', 'value', 'raw'].map((column) => `${alias}.${column} ${direction}`).join(', ');
}

/** The size of a sorted stream's first chunk when its consumer takes `want` candidates (`chunk`: the tuning's). */
export function firstChunkSize(want: number, chunk: number): number {
  return Math.max(1, Math.min(want, chunk));
}
