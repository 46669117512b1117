/**
 * How the store writes: every write is one transaction (IMMEDIATE on SQLite: the write lock up
 * front avoids SQLITE_BUSY on upgrade). A write inside another joins it as it is, without a
 * savepoint: no caller goes on after an inner write failed (the error rolls the outer transaction
 * back), and a savepoint is not free. SQLite copies every page a savepoint's writes touch into a
 * sub-journal (a temp file: https://sqlite.org/tempfiles.html#stmtjrnl), which cost a batch of
 * documents more than its rows; PostgreSQL pays two round trips per savepoint. On
 * PostgreSQL a transaction that lost to a concurrent writer (deadlock, serialization, a unique
 * key another writer inserted first) runs again, a few times; an inner one fails to its outer
 * transaction, which runs again as a whole.
 */
import { OcidexError } from '../domain/errors.js';
import { toIndexError } from './index-errors.js';
import type { PathInterner } from './paths.js';
import type { SqlDatabase, SqlTransaction } from './sql-port.js';

/** How many times a transaction that lost a conflict with a concurrent writer is run again. */
const CONFLICT_RETRIES = 5;

export class WriteTransactions {
  readonly #transaction: SqlTransaction<(work: () => unknown) => unknown>;

  /** `paths`: the interned path ids, forgotten when a transaction rolls back (its rows are gone). */
  constructor(
    private readonly db: SqlDatabase,
    private readonly paths: PathInterner,
  ) {
    this.#transaction = db.transaction((work: () => unknown) => work());
  }

  /** Runs `work` in one write transaction; throws `unsupported` on a readonly index. */
  run<T>(work: () => T): T {
    if (this.db.readonly) throw new OcidexError('unsupported', `index ${this.db.name} is open readonly`);
    if (this.db.inTransaction) return work();
    for (let attempt = 0; ; attempt += 1) {
      try {
        return this.#transaction.immediate(work) as T;
      } catch (caught) {
        this.paths.forget();
        const error = toIndexError(caught);
        if (!this.#retryable(error, attempt)) throw error;
      }
    }
  }

  #retryable(error: unknown, attempt: number): boolean {
    const conflict = error instanceof OcidexError && error.code === 'timeout' && error.transient;
    return conflict && this.db.dialect === 'postgres' && attempt < CONFLICT_RETRIES && !this.db.inTransaction;
  }
}
