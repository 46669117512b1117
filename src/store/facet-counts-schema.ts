/**
 * Facet counts (schema v7, SQLite; PostgreSQL's are in pg/pg-schema.ts): for each counted path
 * (`facet_paths`, chosen by facet-counts.ts), how many `doc_values` rows hold each scalar value,
 * that is how many documents (a singular path has one row per document). Triggers on
 * `doc_values` keep them, so every write path (put, rematerialize, delete, garbage collection,
 * the queue's writer, an index copy) maintains them without knowing of them. Irregular rows
 * (objects, arrays, strings too long to index: `value` NULL) are not counted: the engine reads
 * those documents' JSON, as it does without counts. A value's key is never NULL (a primary key
 * column): null, false and true store 0 (their type tells them apart). Rows whose count went
 * back to 0 are kept (readers skip them), so a write touches one row per counted value.
 * No trigger statement can meet a constraint (the key is never NULL, and the insert makes the
 * row only where it is missing), and none is an upsert: so a statement on doc_values of many rows,
 * written OR FAIL (materialize.ts), runs without a statement journal, and one with no conflict
 * clause takes the triggers' OR IGNORE. With a journal a document's writes cost about twice as
 * much: it spills to a temp file. An upsert needs one in any case (its DO UPDATE may abort);
 * hence v8, which replaced v7's insert trigger with an insert of a missing 0 row and an update.
 * (An outer statement's conflict clause overrides its triggers': an insert that could conflict
 * would fail under OR FAIL instead of being ignored.)
 */

/** A row the counts hold: a scalar, or a string short enough to be indexed. */
const counted = (row: string) => `(${row}.type < 4 OR (${row}.type = 4 AND ${row}.value IS NOT NULL))
  AND EXISTS (SELECT 1 FROM facet_paths WHERE path_id = ${row}.path_id)`;

/** The count of `row`'s value. */
const countKey = (row: string) =>
  `path_id = ${row}.path_id AND type = ${row}.type AND value = coalesce(${row}.value, 0)`;
const countRow = (row: string) => `SELECT 1 FROM facet_counts WHERE ${countKey(row)}`;

/** Adds a counted row: its value's row made if missing, then incremented (see above: no upsert). */
const COUNT_INSERT_TRIGGER = `CREATE TRIGGER IF NOT EXISTS doc_values_count_insert AFTER INSERT ON doc_values WHEN ${counted('new')} BEGIN
  INSERT OR IGNORE INTO facet_counts (path_id, type, value, n)
  SELECT new.path_id, new.type, coalesce(new.value, 0), 0 WHERE NOT EXISTS (${countRow('new')});
  UPDATE OR IGNORE facet_counts SET n = n + 1 WHERE ${countKey('new')};
END;`;

/**
 * Migration v7: the tables and the triggers (no path is counted yet, so there is nothing to fill);
 * IF NOT EXISTS, as a test of older migrations winds `user_version` back over them. Its insert
 * trigger, an upsert, is v8's to replace.
 */
export const FACET_COUNTS_MIGRATION = `
CREATE TABLE IF NOT EXISTS facet_paths (
  path_id INTEGER PRIMARY KEY,          -- paths.id of a counted path
  counted_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS facet_counts (
  path_id INTEGER NOT NULL,
  type INTEGER NOT NULL,                -- ValueType code
  value NOT NULL,                       -- doc_values.value; 0 for null, false and true
  n INTEGER NOT NULL,                   -- rows (documents) holding it; 0 rows are kept
  PRIMARY KEY (path_id, type, value)
) WITHOUT ROWID;
CREATE TRIGGER IF NOT EXISTS doc_values_count_insert AFTER INSERT ON doc_values WHEN ${counted('new')} BEGIN
  INSERT OR IGNORE INTO facet_counts (path_id, type, value, n) VALUES (new.path_id, new.type, coalesce(new.value, 0), 1)
  ON CONFLICT (path_id, type, value) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER IF NOT EXISTS doc_values_count_delete AFTER DELETE ON doc_values WHEN ${counted('old')} BEGIN
  UPDATE OR IGNORE facet_counts SET n = n - 1 WHERE path_id = old.path_id AND type = old.type AND value = coalesce(old.value, 0);
END;
`;

/**
 * Migration v8: v7's insert trigger was an upsert, so every insert into doc_values kept a
 * statement journal (on the crawl benchmark's documents about 300 µs of CPU per document, most
 * of it writing the journal's temp file). The counts it kept are unchanged.
 */
export const FACET_COUNTS_TRIGGER_MIGRATION = `
DROP TRIGGER IF EXISTS doc_values_count_insert;
${COUNT_INSERT_TRIGGER}
`;
