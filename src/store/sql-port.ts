/**
 * The synchronous SQL connection the store and the query engine are written against: the part
 * of better-sqlite3's API they use. better-sqlite3's `Database` is one implementation; the
 * PostgreSQL connection (`pg/pg-database.ts`) is the other. SQL is written once, in SQLite's
 * spelling (`?` and `@name` parameters); where the dialects differ, `dialect` picks the text.
 */

/** Which SQL the connection speaks. */
export type DialectName = 'sqlite' | 'postgres';

/** Parameters: positional values, or one object for `@name` parameters. */
export type SqlParams = unknown[];

/** A prepared statement (better-sqlite3's `Statement`, in the part both backends implement). */
export interface SqlStatement<P extends unknown[] = unknown[], R = unknown> {
  run(...params: P): { changes: number };
  get(...params: P): R | undefined;
  all(...params: P): R[];
  iterate(...params: P): IterableIterator<R>;
  /** The same statement answering its first column only. */
  pluck(toggle?: boolean): SqlStatement<P, R>;
}

/** A transaction function: `immediate` takes the write lock up front (SQLite; plain BEGIN elsewhere). */
export interface SqlTransaction<F extends (...args: never[]) => unknown> {
  (...args: Parameters<F>): ReturnType<F>;
  immediate(...args: Parameters<F>): ReturnType<F>;
}

/** One connection to the index database. */
export interface SqlDatabase {
  readonly dialect: DialectName;
  /** A name safe to print (a file path, or a database URL without its password). */
  readonly name: string;
  /** What opens another connection to the same database: a file path or the URL (it may hold a password: never print it). */
  readonly location: string;
  readonly readonly: boolean;
  readonly open: boolean;
  /** Inside a transaction (an inner `transaction` call is a savepoint). */
  readonly inTransaction: boolean;
  prepare<P extends unknown[] = unknown[], R = unknown>(sql: string): SqlStatement<P, R>;
  exec(sql: string): void;
  transaction<F extends (...args: never[]) => unknown>(work: F): SqlTransaction<F>;
  close(): void;
}
