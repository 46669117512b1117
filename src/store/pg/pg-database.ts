/**
 * The index connection on PostgreSQL: the SqlDatabase port over a PgBridge. Statements are
 * translated once (placeholders.ts) and run as named prepared statements, planned at every run
 * with their values, except those that start with GENERIC_PLAN_MARK (dialect.ts): their plan,
 * made once, does not depend on the values. `iterate` reads through a cursor in chunks;
 * transactions nest as savepoints, like better-sqlite3's. A session
 * the server ended (a restart, a failover, an idle timeout) is replaced by a new one at the next
 * call outside a transaction; a call inside one fails (`index_unavailable`) with its transaction.
 */
import { GENERIC_PLAN_MARK } from '../dialect.js';
import type { SqlDatabase, SqlStatement, SqlTransaction } from '../sql-port.js';
import { PgBridge } from './bridge.js';
import { bindValues, type Translated, translatePlaceholders } from './placeholders.js';
import { pgError } from './pg-errors.js';

/**
 * Distinct statements a session prepares at most: the store's are few, but the engine's texts
 * vary with the query (path ids are inlined), and a prepared statement lives as long as the
 * session. Past this many, statements run unnamed (parsed each time).
 */
const MAX_PREPARED = 1_000;

/** Rows a cursor reads per round trip. */
const CURSOR_CHUNK = 500;

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
  readonly #bridge: PgBridge;
  readonly #names = new Map<string, string>();
  #depth = 0;
  #cursors = 0;
  timeout: TimeoutSource = () => 0;

  constructor(url: string, options: { readonly: boolean; applicationName?: string }) {
    this.location = url;
    this.name = displayUrl(url);
    this.readonly = options.readonly;
    this.#bridge = new PgBridge(url, {
      readonly: options.readonly,
      applicationName: options.applicationName ?? 'ocidex',
    });
  }

  get open(): boolean {
    return !this.#bridge.closed;
  }

  get inTransaction(): boolean {
    return this.#depth > 0;
  }

  /** Round trips through the bridge so far (statements, cursor reads, transaction control). */
  get roundTrips(): number {
    return this.#bridge.calls;
  }

  prepare<P extends unknown[] = unknown[], R = unknown>(sql: string): SqlStatement<P, R> {
    return new PgStatement<P, R>(this, translatePlaceholders(sql), false);
  }

  exec(sql: string): void {
    this.#call(() => this.#bridge.call({ op: 'exec', sql, reconnect: this.#depth === 0 }));
  }

  /**
   * Runs a statement that may take minutes (an index copy's index builds over millions of rows),
   * waiting up to `replyTimeoutMs` instead of the bridge's usual two minutes.
   */
  execLong(sql: string, replyTimeoutMs: number): void {
    this.#call(() => this.#bridge.call({ op: 'exec', sql, reconnect: this.#depth === 0 }, replyTimeoutMs));
  }

  /** Runs a translated statement; rows as arrays with their column names. */
  query(
    translated: Translated,
    params: readonly unknown[],
  ): { columns: string[]; rows: unknown[][]; rowCount: number } {
    const name = this.#statementName(translated.text);
    const values = bindValues(translated, params);
    const request = {
      op: 'query' as const,
      sql: translated.text,
      params: values,
      ...(name === undefined ? {} : { name }),
      ...(name !== undefined && translated.text.startsWith(GENERIC_PLAN_MARK) ? { generic: true } : {}),
      timeoutMs: this.timeout(),
      reconnect: this.#depth === 0,
    };
    return this.#call(() => this.#bridge.call(request)) ?? { columns: [], rows: [], rowCount: 0 };
  }

  /** Rows of a translated statement, read through a cursor `CURSOR_CHUNK` at a time. */
  *cursor(translated: Translated, params: readonly unknown[]): Generator<{ columns: string[]; row: unknown[] }> {
    this.#cursors += 1;
    const id = this.#cursors;
    this.#call(() =>
      this.#bridge.call({
        op: 'cursor-open',
        id,
        sql: translated.text,
        params: bindValues(translated, params),
        reconnect: this.#depth === 0,
      }),
    );
    try {
      while (true) {
        const chunk = this.#call(() => this.#bridge.call({ op: 'cursor-read', id, count: CURSOR_CHUNK }));
        if (chunk === null || chunk.rows.length === 0) return;
        for (const row of chunk.rows) yield { columns: chunk.columns, row };
        if (chunk.rows.length < CURSOR_CHUNK) return;
      }
    } finally {
      if (this.open) this.#call(() => this.#bridge.call({ op: 'cursor-close', id }));
    }
  }

  transaction<F extends (...args: never[]) => unknown>(work: F): SqlTransaction<F> {
    const run = (...args: Parameters<F>) => this.#inTransaction(() => work(...args) as ReturnType<F>);
    return Object.assign(run, { immediate: run });
  }

  close(): void {
    this.#bridge.close();
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

  /** A prepared statement's name per distinct text (node-postgres prepares it once per connection). */
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
    if (this.plucked) return asBuffer(row[0]) as R;
    const object: Record<string, unknown> = {};
    for (let index = 0; index < columns.length; index += 1) object[columns[index] as string] = asBuffer(row[index]);
    return object as R;
  }
}

/** bytea values crossed the thread as Uint8Array; callers get Buffers, as better-sqlite3 gives blobs. */
function asBuffer(value: unknown): unknown {
  return value instanceof Uint8Array && !Buffer.isBuffer(value)
    ? Buffer.from(value.buffer, value.byteOffset, value.byteLength)
    : value;
}
