/** The index connection on SQLite: better-sqlite3's Database behind the SqlDatabase port. */
import type Database from 'better-sqlite3';
import type { SqlDatabase, SqlStatement, SqlTransaction } from './sql-port.js';

export class SqliteDatabase implements SqlDatabase {
  readonly dialect = 'sqlite' as const;

  /** `native`: for what only SQLite has (pragmas, SQL functions). */
  constructor(readonly native: Database.Database) {}

  get name(): string {
    return this.native.name;
  }

  get location(): string {
    return this.native.name;
  }

  get readonly(): boolean {
    return this.native.readonly;
  }

  get open(): boolean {
    return this.native.open;
  }

  get inTransaction(): boolean {
    return this.native.inTransaction;
  }

  prepare<P extends unknown[] = unknown[], R = unknown>(sql: string): SqlStatement<P, R> {
    return this.native.prepare(sql) as unknown as SqlStatement<P, R>;
  }

  exec(sql: string): void {
    this.native.exec(sql);
  }

  transaction<F extends (...args: never[]) => unknown>(work: F): SqlTransaction<F> {
    return this.native.transaction(work as never) as unknown as SqlTransaction<F>;
  }

  close(): void {
    this.native.close();
  }
}
