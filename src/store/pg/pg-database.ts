/**
 * The index connection on PostgreSQL: the SqlDatabase port over a PgSession. Statements are
 * translated once (placeholders.ts) and run as named prepared statements, planned at every run
 * with their values, except those that start with GENERIC_PLAN_MARK (dialect.ts): their plan,
 * made once, does not depend on the values. `iterate` reads through a cursor in chunks;
 * transactions nest as savepoints, like better-sqlite3's. A session
 * the server ended (a restart, a failover, an idle timeout) is replaced by a new one at the next
 * call outside a transaction; a call inside one fails (`index_unavailable`) with its transaction.
 */
import { GENERIC_PLAN_MARK } from '../dialect.js';
import type { SqlDatabase, SqlStatement, SqlTransaction } from '../sql-port.js';
import { bindValues, type Translated, translatePlaceholders } from './placeholders.js';
import { pgError } from './pg-errors.js';
import { PgSession } from './pg-session.js';

/**
 * Distinct statements a session prepares at most: the store's are few, but the engine's texts
 * vary with the query (path ids are inlined), and a prepared statement lives as long as the
 * session. Past this many, statements run unnamed (parsed each time).
 */
const MAX_PREPARED = 1_000;

/** The statement timeout of the calling thread's work (the query engine sets it per statement), 0 for none. */
export type TimeoutSource = () => number;

/** `postgres://user:secret@host/db` without its password, to print. */
export function displayUrl(url: string): string {
  try {
    const parsed = new URL(url);
    parsed.password = '';
    return `${parsed.protocol}//${parsed.username ? `${parsed.username}@` : ''}${parsed.host}${parsed.pathname}`;
  } catch {
    return 'postgres://(unparsable url)';
  }
}

export class PgDatabase implements SqlDatabase {
  readonly dialect = 'postgres' as const;
  readonly name: string;
  readonly readonly: boolean;
  /** The connection string, to open more connections to the same database (never printed). */
  readonly location: string;
  readonly #session: PgSession;
  readonly #names = new Map<string, string>();
  #depth = 0;
  timeout: TimeoutSource = () => 0;

  constructor(url: string, options: { readonly: boolean; applicationName?: string }) {
    this.location = url;
    this.name = displayUrl(url);
    this.readonly = options.readonly;
    this.#session = new PgSession(url, {
      readonly: options.readonly,
      applicationName: options.applicationName ?? 'ocidex',
    });
  }

  get open(): boolean {
    return !this.#session.closed;
  }

  get inTransaction(): boolean {
    return this.#depth > 0;
  }

  /** Round trips to the server so far (statements, cursor reads, transaction control, settings). */
  get roundTrips(): number {
    return this.#session.calls;
  }

  prepare<P extends unknown[] = unknown[], R = unknown>(sql: string): SqlStatement<P, R> {
    return new PgStatement<P, R>(this, translatePlaceholders(sql), false);
  }

  exec(sql: string): void {
    this.#call(() => this.#session.exec(sql, this.#depth === 0));
  }

  /** Runs a translated statement; rows as arrays with their column names. */
  query(
    translated: Translated,
    params: readonly unknown[],
  ): { columns: string[]; rows: unknown[][]; rowCount: number } {
    const name = this.#statementName(translated.text);
    const values = bindValues(translated, params);
    const request = {
      sql: translated.text,
      params: values,
      ...(name === undefined ? {} : { name }),
      ...(name !== undefined && translated.text.startsWith(GENERIC_PLAN_MARK) ? { generic: true } : {}),
      timeoutMs: this.timeout(),
      reconnect: this.#depth === 0,
    };
    return this.#call(() => this.#session.query(request));
  }

  /** Rows of a translated statement, read through a cursor a chunk at a time. */
  *cursor(translated: Translated, params: readonly unknown[]): Generator<{ columns: string[]; row: unknown[] }> {
    const chunks = this.#session.cursor(translated.text, bindValues(translated, params), this.#depth === 0);
    try {
      for (;;) {
        const next = this.#call(() => chunks.next());
        if (next.done === true) return;
        for (const row of next.value.rows) yield { columns: next.value.columns, row };
      }
    } finally {
      this.#call(() => chunks.return(undefined));
    }
  }

  transaction<F extends (...args: never[]) => unknown>(work: F): SqlTransaction<F> {
    const run = (...args: Parameters<F>) => this.#inTransaction(() => work(...args) as ReturnType<F>);
    return Object.assign(run, { immediate: run });
  }

  close(): void {
    this.#session.close();
  }

  #inTransaction<T>(work: () => T): T {
    const savepoint = this.#depth === 0 ? null : `s${this.#depth}`;
    this.exec(savepoint === null ? 'BEGIN' : `SAVEPOINT ${savepoint}`);
    this.#depth += 1;
    try {
      const result = work();
      this.exec(savepoint === null ? 'COMMIT' : `RELEASE SAVEPOINT ${savepoint}`);
      return result;
    } catch (error) {
      if (this.open)
        this.exec(
          savepoint === null ? 'ROLLBACK' : `ROLLBACK TO SAVEPOINT ${savepoint}; RELEASE SAVEPOINT ${savepoint}`,
        );
      throw error;
    } finally {
      this.#depth -= 1;
    }
  }

  /** A prepared statement's name per distinct text (the session prepares it once per connection). */
  #statementName(text: string): string | undefined {
    let name = this.#names.get(text);
    if (name === undefined && this.#names.size < MAX_PREPARED) {
      name = `ocidex_${this.#names.size + 1}`;
      this.#names.set(text, name);
    }
    return name;
  }

  #call<T>(request: () => T): T {
    try {
      return request();
    } catch (error) {
      throw pgError(error, this.name);
    }
  }
}

/** A statement of a PgDatabase. */
class PgStatement<P extends unknown[], R> implements SqlStatement<P, R> {
  constructor(
    readonly database: PgDatabase,
    readonly translated: Translated,
    readonly plucked: boolean,
  ) {}

  run(...params: P): { changes: number } {
    return { changes: this.database.query(this.translated, params).rowCount };
  }

  get(...params: P): R | undefined {
    const result = this.database.query(this.translated, params);
    const row = result.rows[0];
    return row === undefined ? undefined : this.#shape(result.columns, row);
  }

  all(...params: P): R[] {
    const result = this.database.query(this.translated, params);
    return result.rows.map((row) => this.#shape(result.columns, row));
  }

  *iterate(...params: P): IterableIterator<R> {
    for (const { columns, row } of this.database.cursor(this.translated, params)) yield this.#shape(columns, row);
  }

  pluck(toggle = true): SqlStatement<P, R> {
    return new PgStatement<P, R>(this.database, this.translated, toggle);
  }

  #shape(columns: readonly string[], row: readonly unknown[]): R {
    if (this.plucked) return row[0] as R;
    const object: Record<string, unknown> = {};
    for (let index = 0; index < columns.length; index += 1) object[columns[index] as string] = row[index];
    return object as R;
  }
}
