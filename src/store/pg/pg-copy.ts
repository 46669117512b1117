/**
 * The PostgreSQL side of an index copy (../copy-index.ts), which loads millions of rows into
 * empty tables in one transaction:
 * - Rows go in as one array per column, unnested by the server (`INSERT … SELECT * FROM
 *   unnest($1::bigint[], …)`), thousands per statement: a few parameters to parse instead of
 *   one per value, a few statements to plan instead of one per 500 rows.
 * - What PostgreSQL would otherwise do row by row is done once, after the load: the secondary
 *   indexes (those no constraint owns) are dropped and built again from their own definitions
 *   (`pg_get_indexdef`), a sort each instead of millions of insertions at random places; the
 *   full-text trigger is off and `doc_text` is filled in one statement with what the trigger
 *   computes. Constraints (primary keys, unique, foreign keys) and the statement-level
 *   facet-count triggers stay as they are.
 * All of it inside the copy's transaction, so no session sees the tables without their indexes,
 * and a failed copy leaves everything as it was. It needs the tables' owner (who created the
 * schema); a session that does not own them loads the same rows with the indexes in place.
 */
import type { SqlDatabase } from '../sql-port.js';

/** Rows per statement at most, and the bytes of text and bytea values past which a statement is sent sooner. */
const STATEMENT_ROWS = 10_000;
const STATEMENT_BYTES = 16 * 2 ** 20;

/** The full-text trigger on `documents` and what it stores per document (pg-schema.ts, `ocidex_documents_text`). */
const TEXT_TRIGGER = 'documents_text';
const FILL_TEXT = `INSERT INTO doc_text (id, body)
SELECT id, to_tsvector('simple', ocidex_document_words(json)) FROM documents`;

/** Tables the load touches besides the copied ones: `doc_text`, filled by the trigger or afterwards. */
const DERIVED_TABLES = ['doc_text'];

/**
 * Prepares `db` for loading `tables` and answers what completes the load: builds the indexes
 * dropped here and fills `doc_text`. Without ownership of the tables, changes nothing and
 * answers a no-op (the indexes and the trigger keep working row by row).
 */
export function deferIndexes(db: SqlDatabase, tables: readonly string[]): () => void {
  const names = [...tables, ...DERIVED_TABLES];
  const owned = db
    .prepare<[string[]], boolean>(
      "SELECT bool_and(pg_has_role(relowner, 'USAGE')) FROM pg_class WHERE oid = ANY(?::regclass[])",
    )
    .pluck()
    .get(names);
  if (owned !== true) return () => {};
  const indexes = db
    .prepare<[string[]], { name: string; definition: string }>(
      `SELECT i.indexrelid::regclass::text AS name, pg_get_indexdef(i.indexrelid) AS definition
      FROM pg_index i WHERE i.indrelid = ANY(?::regclass[])
        AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)
      ORDER BY 1`,
    )
    .all(names);
  for (const index of indexes) db.exec(`DROP INDEX ${index.name}`);
  db.exec(`ALTER TABLE documents DISABLE TRIGGER ${TEXT_TRIGGER}`);
  return () => {
    db.exec(FILL_TEXT);
    db.exec(`ALTER TABLE documents ENABLE TRIGGER ${TEXT_TRIGGER}`);
    for (const index of indexes) db.exec(index.definition);
  };
}

/** The SQL type of each of `columns` of `table`, as an array cast names it (`text`, `bigint`, `double precision`). */
function columnTypes(db: SqlDatabase, table: string, columns: readonly string[]): string[] {
  const types = new Map(
    db
      .prepare<[string], { name: string; type: string }>(
        `SELECT attname AS name, format_type(atttypid, atttypmod) AS type FROM pg_attribute
        WHERE attrelid = ?::regclass AND attnum > 0 AND NOT attisdropped`,
      )
      .all(table)
      .map((row) => [row.name, row.type]),
  );
  return columns.map((column) => {
    const type = types.get(column);
    if (type === undefined) throw new Error(`${table} has no column ${column}`);
    return type;
  });
}

/** The bytes a value adds to a statement, near enough to bound its size. */
function sizeOf(value: unknown): number {
  if (typeof value === 'string') return value.length;
  if (value instanceof Uint8Array) return value.byteLength * 2;
  return 8;
}

/** Rows of one table, sent as one array per column, `STATEMENT_ROWS` at a time. */
export class UnnestWriter {
  readonly #columns: unknown[][];
  readonly #insert: { run(...params: unknown[]): unknown };
  #pending = 0;
  #bytes = 0;
  #rows = 0;

  constructor(db: SqlDatabase, table: string, columns: readonly string[]) {
    const arrays = columnTypes(db, table, columns).map((type) => `?::${type}[]`);
    this.#insert = db.prepare(
      `INSERT INTO ${table} (${columns.join(', ')}) SELECT * FROM unnest(${arrays.join(', ')})`,
    );
    this.#columns = columns.map(() => []);
  }

  add(params: readonly unknown[]): void {
    params.forEach((value, index) => {
      (this.#columns[index] as unknown[]).push(value ?? null);
      this.#bytes += sizeOf(value);
    });
    this.#pending += 1;
    this.#rows += 1;
    if (this.#pending === STATEMENT_ROWS || this.#bytes >= STATEMENT_BYTES) this.#flush();
  }

  /** Writes the rows still pending; returns how many rows were added in all. */
  finish(): number {
    this.#flush();
    return this.#rows;
  }

  #flush(): void {
    if (this.#pending === 0) return;
    this.#insert.run(...this.#columns);
    for (const column of this.#columns) column.length = 0;
    this.#pending = 0;
    this.#bytes = 0;
  }
}
