/**
 * Copying a whole index between databases: SQLite to PostgreSQL, back, or SQLite to SQLite
 * (`ocidex migrate`). Tables go in dependency order with their ids (copy-tables.ts), read as a
 * stream (`iterate`) and written in batches (SQLite: multi-row inserts; PostgreSQL: arrays
 * unnested, with its secondary indexes and full text built after the load, pg/pg-copy.ts), so
 * the index never sits in memory. The copy is one transaction on the target (a failed copy
 * leaves it as it was) and reads one snapshot of the source. Typed values convert between
 * SQLite's `value` and PostgreSQL's `num`/`str` through the dialects (dialect.ts); `doc_text`
 * and `facet_counts` are the target's own (its triggers, or on PostgreSQL the statement the text
 * trigger runs, once); PostgreSQL's identity sequences are moved past the copied ids.
 */
import { resolve } from 'node:path';
import { OcidexError } from '../domain/errors.js';
import { COPIED_TABLES, type CopiedTable, VALUES_TABLE } from './copy-tables.js';
import { type Dialect, dialectOf } from './dialect.js';
import { deferIndexes, UnnestWriter } from './pg/pg-copy.js';
import type { SqlDatabase, SqlStatement } from './sql-port.js';
import type { IndexStore } from './store.js';
import { decodeStoredText } from './wtf8.js';

/** Rows per insert: 500 rows of at most 12 columns stay far below both backends' parameter limits. */
const BATCH_ROWS = 500;

export interface CopyOptions {
  /** Empty a target that holds rows first; without it such a target is refused. */
  replace?: boolean;
}

/** Rows copied into one table. */
export interface TableCount {
  table: string;
  rows: number;
}

type Row = Record<string, unknown>;

/**
 * Copies every row of `from` into `to` (both open, migrated to the current schema; `to` writable)
 * and returns the rows copied per table. Refuses a target that holds rows unless `replace`.
 */
export function copyIndex(
  from: IndexStore | SqlDatabase,
  to: IndexStore | SqlDatabase,
  options: CopyOptions = {},
): TableCount[] {
  const source = connectionOf(from);
  const target = connectionOf(to);
  if (target.readonly) throw new OcidexError('invalid_argument', `the target index ${target.name} is open readonly`);
  if (sameDatabase(source, target))
    throw new OcidexError('invalid_argument', `cannot copy the index ${source.name} onto itself`);
  const snapshot = !source.inTransaction;
  return source.transaction((): TableCount[] => {
    // The first statement of the transaction, so every table is read from one snapshot.
    if (snapshot && source.dialect === 'postgres') source.exec('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ');
    return target.transaction(() => copyTables(source, target, options.replace === true)).immediate();
  })();
}

function connectionOf(database: IndexStore | SqlDatabase): SqlDatabase {
  return 'db' in database ? database.db : database;
}

function sameDatabase(source: SqlDatabase, target: SqlDatabase): boolean {
  if (source.dialect !== target.dialect) return false;
  return source.dialect === 'sqlite'
    ? resolve(source.location) === resolve(target.location)
    : source.location === target.location;
}

function copyTables(source: SqlDatabase, target: SqlDatabase, replace: boolean): TableCount[] {
  const filled = COPIED_TABLES.filter((table) => hasRows(target, table.name)).map((table) => table.name);
  if (filled.length > 0) {
    if (!replace) {
      const message = `the target index ${target.name} is not empty (rows in ${filled.join(', ')}); replace it explicitly (migrate --replace) or pick an empty one`;
      throw new OcidexError('invalid_argument', message);
    }
    emptyTables(target);
  }
  const names = COPIED_TABLES.map((table) => table.name);
  const complete = target.dialect === 'postgres' ? deferIndexes(target, names) : () => {};
  const counts = COPIED_TABLES.map((table) => ({ table: table.name, rows: copyTable(source, target, table) }));
  complete();
  if (target.dialect === 'postgres') moveSequences(target);
  return counts;
}

function hasRows(db: SqlDatabase, table: string): boolean {
  return db.prepare(`SELECT 1 FROM ${table} LIMIT 1`).get() !== undefined;
}

/**
 * Empties the copied tables (and the text index and facet counts their triggers keep) in the
 * target's transaction; no path is counted any more before values are deleted.
 */
function emptyTables(db: SqlDatabase): void {
  const reversed = COPIED_TABLES.map((table) => table.name).reverse();
  if (db.dialect === 'postgres') db.exec(`TRUNCATE doc_text, facet_counts, ${reversed.join(', ')}`);
  else for (const table of ['facet_paths', 'facet_counts', ...reversed]) db.exec(`DELETE FROM ${table}`);
}

/** Streams `table` from `source` into `target`; returns the rows copied. */
function copyTable(source: SqlDatabase, target: SqlDatabase, table: CopiedTable): number {
  const values = table.name === VALUES_TABLE;
  const from = dialectOf(source.dialect);
  const to = dialectOf(target.dialect);
  const select = values
    ? `SELECT ${table.columns.join(', ')}, ${from.valueColumns(table.name)} FROM ${table.name}`
    : `SELECT ${table.columns.join(', ')} FROM ${table.name}${table.identity ? ' ORDER BY id' : ''}`;
  const columns = values ? [...table.columns, ...valueColumnsOf(to)] : table.columns;
  const writer =
    target.dialect === 'postgres'
      ? new UnnestWriter(target, table.name, columns)
      : new ValuesWriter(target, table.name, columns);
  for (const row of source.prepare<[], Row>(select).iterate()) {
    const params = table.columns.map((column) => row[column]);
    writer.add(values ? [...params, ...to.valueParams(storedValue(row))] : params);
  }
  return writer.finish();
}

/** The target's value columns, in `valueParams` order: SQLite's `value`, PostgreSQL's `num`, `str`. */
function valueColumnsOf(dialect: Dialect): string[] {
  return [...new Set([dialect.numberColumn, dialect.stringColumn])];
}

/** A value row's value as the store wrote it: a string from its stored bytes (lone surrogates kept), else the number. */
function storedValue(row: Row): number | string | null {
  const raw = row['raw'];
  if (raw instanceof Uint8Array) return decodeStoredText(raw);
  return (row['value'] as number | string | null | undefined) ?? null;
}

/** Moves each identity sequence past the largest id copied, so the target's next inserts take fresh ids. */
function moveSequences(db: SqlDatabase): void {
  for (const table of COPIED_TABLES.filter((candidate) => candidate.identity)) {
    db.prepare(
      `SELECT setval(pg_get_serial_sequence('${table.name}', 'id'), coalesce(max(id), 0) + 1, false) FROM ${table.name}`,
    ).get();
  }
}

/** Rows of one table, inserted `BATCH_ROWS` at a time (SQLite). */
class ValuesWriter {
  readonly #pending: unknown[] = [];
  #rows = 0;
  #full: SqlStatement | null = null;

  constructor(
    readonly db: SqlDatabase,
    readonly table: string,
    readonly columns: readonly string[],
  ) {}

  add(params: readonly unknown[]): void {
    this.#pending.push(...params);
    this.#rows += 1;
    if (this.#pending.length === BATCH_ROWS * this.columns.length) {
      this.#full ??= this.#insert(BATCH_ROWS);
      this.#full.run(...this.#pending);
      this.#pending.length = 0;
    }
  }

  /** Writes the rows still pending; returns how many rows were added in all. */
  finish(): number {
    const left = this.#pending.length / this.columns.length;
    if (left > 0) this.#insert(left).run(...this.#pending);
    this.#pending.length = 0;
    return this.#rows;
  }

  #insert(rows: number): SqlStatement {
    const row = `(${this.columns.map(() => '?').join(', ')})`;
    return this.db.prepare(
      `INSERT INTO ${this.table} (${this.columns.join(', ')}) VALUES ${Array(rows).fill(row).join(', ')}`,
    );
  }
}
