/**
 * Facets over every document from the counts the writers keep (src/store/facet-counts.ts):
 * for a counted path the engine reads a row per value instead of grouping a row per document.
 * The answer is the grouping's: irregular values (objects, arrays, long strings) are not
 * counted, so their documents are listed from doc_values and read from their JSON as before;
 * truncated documents are read from their JSON for every path, so what their rows added to the
 * counts is taken off again.
 */
import { countFacetPaths } from '../../store/index.js';
import { ValueType } from '../../store/values.js';
import { TRUNCATED_IDS } from './planner.js';
import type { Row, SqlContext } from './sql-context.js';

/** How an engine uses the counts: starting to count a path asked for, only reading them, or not at all. */
export type FacetCountsMode = 'start' | 'read' | 'off';

/** The counted paths, as of the index's current version, and the starting of more. */
export class CountedPaths {
  #ids = new Set<number>();
  #version: string | null = null;
  /** Paths this engine tried to start counting and could not (the cap, too many values, no writes). */
  readonly #refused = new Set<number>();

  constructor(
    private readonly context: SqlContext,
    private readonly mode: Exclude<FacetCountsMode, 'off'>,
  ) {}

  /** The counted ones among `pathIds`, after starting to count the others (once each) in 'start' mode. */
  among(pathIds: readonly number[]): number[] {
    const version = this.context.dataVersion();
    if (version !== this.#version) {
      this.#ids = new Set(this.context.all(COUNTED_PATH_IDS).map((row) => row['path_id'] as number));
      this.#version = version;
    }
    const missing = pathIds.filter((id) => id >= 0 && !this.#ids.has(id) && !this.#refused.has(id));
    if (missing.length > 0 && this.mode === 'start') this.#start(missing);
    return pathIds.filter((id) => this.#ids.has(id));
  }

  #start(missing: readonly number[]): void {
    try {
      this.#ids = countFacetPaths(this.context.db, missing);
      this.#version = this.context.dataVersion();
    } catch {
      // A database that takes no writes (readonly file, standby): these paths stay grouped.
    }
    for (const id of missing) if (!this.#ids.has(id)) this.#refused.add(id);
  }
}

const COUNTED_PATH_IDS = 'SELECT path_id FROM facet_paths';

/**
 * The counts of `pathIds` (counted paths) as rows of the grouping statement's shape (path, type,
 * value, raw, n, odd), in one statement: each value's count; the rows of truncated documents
 * with negative counts (taken off: those documents are read from their JSON); and a row per
 * document with an irregular value (`odd`, its id; truncated ones excluded, read anyway).
 */
export function readCounts(context: SqlContext, pathIds: readonly number[]): Row[] {
  const { dialect } = context;
  const ids = pathIds.join(', ');
  const irregular = `(v.type IN (${ValueType.object}, ${ValueType.array}) OR (v.type = ${ValueType.string} AND v.${dialect.stringColumn} IS NULL))`;
  const notTruncated = `v.doc_id NOT IN (${TRUNCATED_IDS})`;
  const odd = (where: string) =>
    `SELECT v.path_id AS path, v.type AS type, NULL AS value, NULL AS raw, 0 AS n, v.doc_id AS odd
      FROM doc_values v WHERE v.path_id IN (${ids}) AND ${where} AND ${notTruncated}`;
  return context.all(
    `SELECT c.path_id AS path, c.type AS type, ${dialect.countedValueColumns('c')}, sum(c.n) AS n, CAST(NULL AS BIGINT) AS odd
      FROM facet_counts c WHERE c.path_id IN (${ids})
      GROUP BY c.path_id, c.type, ${dialect.valueOrder('c').join(', ')} HAVING sum(c.n) > 0
    UNION ALL
    SELECT v.path_id AS path, v.type AS type, ${dialect.valueColumns('v')}, -count(*) AS n, CAST(NULL AS BIGINT) AS odd
      FROM doc_values v${dialect.indexedBy('doc_values_by_doc')}
      WHERE v.doc_id IN (${TRUNCATED_IDS}) AND v.path_id IN (${ids}) AND NOT ${irregular}
      GROUP BY v.path_id, v.type, ${dialect.valueOrder('v').join(', ')}
    UNION ALL ${odd(`v.type IN (${ValueType.object}, ${ValueType.array})`)}
    UNION ALL ${odd(`v.type = ${ValueType.string} AND v.${dialect.numberColumn} IS NULL AND v.${dialect.stringColumn} IS NULL`)}`,
  );
}
