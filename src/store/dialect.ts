/**
 * Where the two backends' SQL differs, one object per backend. The store and the query engine
 * write every statement once and take from here the parts that differ: how a typed value is
 * stored (SQLite: one untyped `value` column; PostgreSQL: `num` for numbers and `str`, the
 * string's bytes, for strings), full-text search (FTS5 vs tsvector), planner hints and the
 * per-row budget check (a SQLite function; PostgreSQL cancels by `statement_timeout`).
 */
import type { DialectName } from './sql-port.js';
import { ValueType } from './values.js';
import { encodeStoredText } from './wtf8.js';

/** SQL with its positional parameters. */
export interface Fragment {
  readonly sql: string;
  readonly params: readonly unknown[];
}

/**
 * The first words of a statement whose plan does not depend on its values (index lookups cut
 * short by a LIMIT, lookups by id): PostgreSQL plans it once per session and reuses the plan
 * (a generic plan, see pg/pg-database.ts) instead of planning every run with its values.
 */
export const GENERIC_PLAN_MARK = '/* ocidex: generic plan */ ';

export interface Dialect {
  readonly name: DialectName;
  /** Prefixes a statement whose plan does not depend on its values (`GENERIC_PLAN_MARK` on PostgreSQL). */
  genericPlan(sql: string): string;
  /**
   * Whether a statement planned once (`genericPlan`) checks a few documents' exact values by
   * document rather than by seeking them in the value index: PostgreSQL's plan, made without the
   * values, may read a whole value range into a hash; SQLite seeks doc_values_lookup per document
   * (its doc_values_by_doc holds no path).
   */
  readonly genericChecksByDocument: boolean;
  /**
   * Whether a small driving set's candidates are read in the statement of the planner's first
   * counts (query/engine/probes.ts): on PostgreSQL a statement is a round trip; on SQLite it
   * costs none, and SQLite runs the two statements faster than the one that joins them.
   */
  readonly readsWithProbes: boolean;
  /** SQLite's `INDEXED BY` hint (PostgreSQL plans without hints). */
  indexedBy(index: string): string;
  /**
   * Ends an EXISTS that must run once per document, seeking its value (` OFFSET 0` on
   * PostgreSQL, which otherwise may turn it into a join that reads the value's whole set into a
   * hash: for a driving set of 873 documents checked against a license its statistics put at
   * 1,603 rows out of 51.8M, not 37,650, 25 ms instead of 1). SQLite runs an EXISTS per row.
   */
  readonly perDocument: string;
  /** A join whose left side is read first: SQLite's `CROSS JOIN` keeps the written order; PostgreSQL plans it. */
  readonly orderedJoin: string;
  /** The smallest of two or more values (SQLite's scalar `min`, PostgreSQL's `LEAST`). */
  readonly least: string;
  /** A term true on every row; on SQLite it also ticks the query budget (see sql-context.ts). */
  readonly budgetCheck: string;
  /** The column a comparison of numbers / of strings reads, unqualified. */
  readonly numberColumn: string;
  readonly stringColumn: string;
  /**
   * The same columns in a check of one document's rows, where the planner must not use a value
   * index (SQLite is told `INDEXED BY doc_values_by_doc`; PostgreSQL takes no hints, so the value
   * is an expression no index holds: otherwise it scans a whole value range per document).
   */
  readonly numberPerDocument: string;
  readonly stringPerDocument: string;
  /** A string literal as bound against `stringColumn`. */
  bindString(text: string): unknown;
  /** A value row's columns from `alias`, selected as `value` (numbers) and `raw` (string bytes, or null). */
  valueColumns(alias: string): string;
  /**
   * A `facet_counts` row's value as `valueColumns` selects a `doc_values` row's (its key columns
   * are never NULL: only the type says which one holds the value).
   */
  countedValueColumns(alias: string): string;
  /** The terms that order (and group) value rows of one type by value. */
  valueOrder(alias: string): string[];
  /** A value's insert parameters (after doc_id, path_id, type). */
  valueParams(value: number | string | null): unknown[];
  /** `SELECT id` of the documents whose text matches the bound search. */
  readonly textMatch: string;
  /** `SELECT id, rank` of the matches, best (lowest) rank first once ordered. */
  readonly rankedText: string;
  /** The bound parameter of a search given as its FTS5 expression (`"llama"* "8b"*`). */
  textParam(expression: string): string;
  /** `SELECT 1` when document `id` matches the search. */
  matchesText(expression: string, id: number): Fragment;
}

const sqlite: Dialect = {
  name: 'sqlite',
  genericPlan: (sql) => sql,
  genericChecksByDocument: false,
  readsWithProbes: false,
  indexedBy: (index) => ` INDEXED BY ${index}`,
  perDocument: '',
  orderedJoin: 'CROSS JOIN',
  least: 'min',
  budgetCheck: 'ocidex_budget()',
  numberColumn: 'value',
  stringColumn: 'value',
  numberPerDocument: 'value',
  stringPerDocument: 'value',
  bindString: (text) => text,
  valueColumns: (alias) =>
    `${alias}.value AS value, CASE WHEN ${alias}.type = ${ValueType.string} THEN CAST(${alias}.value AS BLOB) END AS raw`,
  valueOrder: (alias) => [`${alias}.value`],
  countedValueColumns: (alias) =>
    `${alias}.value AS value, CASE WHEN ${alias}.type = ${ValueType.string} THEN CAST(${alias}.value AS BLOB) END AS raw`,
  valueParams: (value) => [value],
  textMatch: 'SELECT rowid AS id FROM doc_text WHERE doc_text MATCH ?',
  rankedText: 'SELECT rowid AS id, bm25(doc_text) AS rank FROM doc_text WHERE doc_text MATCH ?',
  textParam: (expression) => expression,
  matchesText: (expression, id) => ({
    sql: 'SELECT 1 FROM doc_text WHERE doc_text MATCH ? AND rowid = ?',
    params: [expression, id],
  }),
};

/** FTS5's `"term"*` prefix terms as a tsquery of the same prefixes, all required. */
function tsquery(expression: string): string {
  const terms = [...expression.matchAll(/"([^"]*)"\*/g)].map((match) => `${match[1]}:*`);
  return terms.length === 0 ? "''" : terms.join(' & ');
}

const postgres: Dialect = {
  name: 'postgres',
  genericPlan: (sql) => `${GENERIC_PLAN_MARK}${sql}`,
  genericChecksByDocument: true,
  readsWithProbes: true,
  indexedBy: () => '',
  perDocument: ' OFFSET 0',
  orderedJoin: 'JOIN',
  least: 'LEAST',
  budgetCheck: 'TRUE',
  numberColumn: 'num',
  stringColumn: 'str',
  numberPerDocument: '(num + 0)',
  stringPerDocument: "(str || ''::bytea)",
  bindString: (text) => encodeStoredText(text),
  valueColumns: (alias) => `${alias}.num AS value, ${alias}.str AS raw`,
  valueOrder: (alias) => [`${alias}.num`, `${alias}.str`],
  countedValueColumns: (alias) =>
    `CASE WHEN ${alias}.type = ${ValueType.number} THEN ${alias}.num END AS value, CASE WHEN ${alias}.type = ${ValueType.string} THEN ${alias}.str END AS raw`,
  valueParams: (value) => [
    typeof value === 'number' ? value : null,
    typeof value === 'string' ? encodeStoredText(value) : null,
  ],
  textMatch: "SELECT id FROM doc_text WHERE body @@ to_tsquery('simple', ?)",
  rankedText: `SELECT t.id AS id, -ts_rank(t.body, q)::float8 AS rank
    FROM doc_text t CROSS JOIN to_tsquery('simple', ?) AS q WHERE t.body @@ q`,
  textParam: tsquery,
  matchesText: (expression, id) => ({
    sql: "SELECT 1 FROM doc_text WHERE id = ? AND body @@ to_tsquery('simple', ?)",
    params: [id, tsquery(expression)],
  }),
};

/** The dialect of a backend. */
export function dialectOf(name: DialectName): Dialect {
  return name === 'postgres' ? postgres : sqlite;
}
