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
  /**
   * Without `withJson`: the JSON of the first this many rows by reference in this order (all of
   * one group: the order it is read in, see sorted-source.ts; see `jsonOfFirst`).
   */
  jsonFirst?: number;
  /** Only the first this many value rows at the path are read (the rows found among them), or all when absent. */
  scan?: number;
}

/** `id`, `type`, `value`, `raw`, `reference` (and `json`) of the value rows `query` reads, in sort order. */
export function sortedRowsSql(dialect: Dialect, query: SortedRowsQuery): SqlFragment {
  const direction = query.descending ? 'DESC' : 'ASC';
  const order = [`v.type ${direction}`, ...dialect.valueOrder('v').map((term) => `${term} ${direction}`)];
  const json = query.withJson ? ', d.json AS json' : jsonOfFirst(`d.reference ${direction}`, query.jsonFirst ?? 0);
  const { bound, condition } = query;
  const rows = `v.path_id = ${query.pathId} AND ${bound.sql}${query.regularOnly}`;
  // A bounded stretch: the value rows in order, their columns named (an index-only read), then checked.
  const source =
    query.scan === undefined
      ? { from: 'doc_values v', where: `${rows} AND ` }
      : {
          from: `(SELECT v.doc_id, v.type, ${dialect.valueOrder('v').join(', ')} FROM doc_values v
            WHERE ${rows} ORDER BY ${order.join(', ')} LIMIT ${query.scan}) AS v`,
          where: '',
        };
  const sql = `SELECT v.doc_id AS id, v.type AS type, ${dialect.valueColumns('v')}, d.reference AS reference${json}
    FROM ${source.from} ${dialect.orderedJoin} documents d ON d.id = v.doc_id
    WHERE ${dialect.budgetCheck} AND ${source.where}(${condition.sql})
    ORDER BY ${order.join(', ')}${query.limit > 0 ? ` LIMIT ${query.limit}` : ''}`;
  return { sql, params: [...bound.params, ...condition.params] };
}

/** The most rows whose JSON is read with a statement's rows by `jsonOfFirst` (as the largest JSON batch). */
const MOST_JSON_OF_FIRST = 128;

/**
 * The JSON column (`, … AS json`) of the first `count` rows in `order` (SQL over the documents
 * row `d`), at most MOST_JSON_OF_FIRST; none when `count` is 0. The rows are numbered before the
 * JSON is read (a subquery per numbered row), so the numbering sorts ids and references only.
 */
export function jsonOfFirst(order: string, count: number): string {
  if (count <= 0) return '';
  const first = Math.min(count, MOST_JSON_OF_FIRST);
  return `, CASE WHEN row_number() OVER (ORDER BY ${order}) <= ${first} THEN (SELECT j.json FROM documents j WHERE j.id = d.id) END AS json`;
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
