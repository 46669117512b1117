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
 * The trigger statements are OR IGNORE, which changes nothing (no constraint can fail: the key is
 * never NULL, a conflict is the upsert's) but lets a statement on doc_values of many rows run
 * without a statement journal: with one, deleting a document's values in its own transaction
 * cost twice as much (the journal spills to a temp file).
 */

/** A row the counts hold: a scalar, or a string short enough to be indexed. */
const counted = (row: string) => `(${row}.type < 4 OR (${row}.type = 4 AND ${row}.value IS NOT NULL))
  AND EXISTS (SELECT 1 FROM facet_paths WHERE path_id = ${row}.path_id)`;

/**
 * Migration v7: the tables and the triggers (no path is counted yet, so there is nothing to fill);
 * IF NOT EXISTS, as a test of older migrations winds `user_version` back over them.
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
