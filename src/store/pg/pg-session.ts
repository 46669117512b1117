/**
 * A synchronous PostgreSQL session through libpq (native/pq, a Node-API addon usable from any
 * thread): each call blocks the calling thread for its round trip, as a better-sqlite3 call
 * blocks it for one statement, so the store and the query engine keep one synchronous code path
 * for both backends.
 *
 * A session the server ended (a restart, a failover, an idle timeout) is replaced by a new one
 * at the next call that allows it (`reconnect`: outside a transaction), and a call that lost its
 * session that way runs once more on the new one; inside a transaction the call fails with the
 * loss (its work would not be atomic). Statements run as named prepared statements when named,
 * planned with their values (`force_custom_plan`) unless marked `generic` (see #open).
 */
import { type ColumnParser, parserOf, toParam, UnsendableValue } from './pg-values.js';
import { conninfo, type Handle, type Params, type PqResult, pq, type StepSpec } from './pq-addon.js';

/** What went wrong, with PostgreSQL's SQLSTATE when the server said it. */
export interface PgFailureInfo {
  message: string;
  sqlstate?: string;
  /** true when the connection itself failed (not one statement). */
  connection?: boolean;
}

/** A failed call: PostgreSQL's SQLSTATE when the server answered, `connection` when it did not. */
export class PgFailure extends Error {
  constructor(readonly error: PgFailureInfo) {
    super(error.message);
  }
}

/** Rows as arrays, in the order of `columns`. */
export interface PgRows {
  columns: string[];
  rows: unknown[][];
  rowCount: number;
}

export interface PgQuery {
  sql: string;
  params: readonly unknown[];
  /** Prepared once per session under this name. */
  name?: string;
  /** Plan once and reuse the plan (a named statement whose plan does not depend on its values). */
  generic?: boolean;
  timeoutMs?: number;
  reconnect?: boolean;
}

type PlanMode = 'force_custom_plan' | 'force_generic_plan';

/** Rows a cursor reads per FETCH. */
const CURSOR_CHUNK = 500;

/** A connection failure (no SQLSTATE), a connection exception (08) or the server ending the session (57P01-57P03). */
function sessionLost(error: unknown): boolean {
  if (!(error instanceof PgFailure)) return false;
  const { sqlstate } = error.error;
  return sqlstate === undefined || /^(08|57P0[123])/.test(sqlstate);
}

/** One statement of a round trip, and what its success records. */
interface Step {
  spec: StepSpec;
  done?: () => void;
}

/** One session at a time. Not shared between threads. */
export class PgSession {
  readonly #conninfo: string;
  readonly #readonly: boolean;
  #handle: Handle | null = null;
  /** Why the session is gone, while it is (null while it serves or before the first call). */
  #lost: PgFailure | null = null;
  #prepared = new Set<string>();
  #statementTimeout = 0;
  /** The session's plan_cache_mode, as last set (null: unknown, set it before the next statement). */
  #planMode: PlanMode | null = null;
  #closed = false;
  #calls = 0;
  #cursors = 0;

  constructor(url: string, options: { readonly: boolean; applicationName: string }) {
    this.#conninfo = conninfo(url, options.applicationName);
    this.#readonly = options.readonly;
  }

  get closed(): boolean {
    return this.#closed;
  }

  /** Round trips to the server so far (benchmarks print them per query). */
  get calls(): number {
    return this.#calls;
  }

  /**
   * Runs one statement. What the session must set first (its statement timeout, its plan mode)
   * and a named statement's first preparation go in the same round trip (a libpq pipeline).
   */
  query(request: PgQuery): PgRows {
    return this.#retried(request.reconnect === true, (handle) => {
      const steps: Step[] = [];
      const timeout = Math.max(0, Math.ceil(request.timeoutMs ?? 0));
      if (timeout !== this.#statementTimeout) {
        steps.push({
          spec: [0, `SET statement_timeout = ${timeout}`, []],
          done: () => (this.#statementTimeout = timeout),
        });
      }
      const mode: PlanMode = request.generic === true ? 'force_generic_plan' : 'force_custom_plan';
      if (mode !== this.#planMode) {
        steps.push({ spec: [0, `SET plan_cache_mode = ${mode}`, []], done: () => (this.#planMode = mode) });
      }
      const params = paramsOf(request.params);
      const { name, sql } = request;
      if (name === undefined) steps.push({ spec: [0, sql, params] });
      else {
        if (!this.#prepared.has(name)) {
          steps.push({ spec: [1, name, sql, params.length], done: () => this.#prepared.add(name) });
        }
        steps.push({ spec: [2, name, params] });
      }
      return this.#run(handle, steps);
    });
  }

  exec(sql: string, reconnect: boolean): void {
    this.#retried(reconnect, (handle) => {
      // A ROLLBACK may undo a SET made in its transaction: the settings are unknown after one.
      if (/rollback/i.test(sql)) this.#forgetSettings();
      return this.#exec(handle, sql);
    });
  }

  /**
   * The rows of `sql`, read through a server-side cursor CURSOR_CHUNK at a time (in a
   * transaction of its own when none is open). The session is busy until the iteration ends.
   */
  *cursor(sql: string, params: readonly unknown[], reconnect: boolean): Generator<PgRows> {
    this.#cursors += 1;
    const name = `ocidex_cursor_${this.#cursors}`;
    const handle = this.#live(reconnect);
    const own = pq().transactionStatus(handle) === 0;
    const steps: Step[] = own ? [{ spec: [0, 'BEGIN', []] }] : [];
    if (this.#planMode !== 'force_custom_plan') {
      steps.push({
        spec: [0, 'SET plan_cache_mode = force_custom_plan', []],
        done: () => (this.#planMode = 'force_custom_plan'),
      });
    }
    steps.push({ spec: [0, `DECLARE ${name} NO SCROLL CURSOR FOR ${sql}`, paramsOf(params)] });
    let failed = true;
    try {
      this.#run(handle, steps);
      for (;;) {
        const chunk = this.#exec(handle, `FETCH ${CURSOR_CHUNK} FROM ${name}`);
        if (chunk.rows.length > 0) yield chunk;
        if (chunk.rows.length < CURSOR_CHUNK) break;
      }
      failed = false;
    } finally {
      this.#endCursor(handle, name, own, failed);
    }
  }

  /** Ends the session. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    if (this.#handle !== null) pq().finish(this.#handle);
    this.#handle = null;
  }

  #endCursor(handle: Handle, name: string, own: boolean, failed: boolean): void {
    try {
      if (own) this.#exec(handle, failed ? 'ROLLBACK' : 'COMMIT');
      else if (pq().transactionStatus(handle) === 2) this.#exec(handle, `CLOSE ${name}`);
    } catch (error) {
      // Leaving early (an error or `return()`): the cursor's own failure is what the caller sees.
      if (!failed) throw error;
    }
  }

  /** Runs `work` on the live session, once more on a new one when it lost the session and may reconnect. */
  #retried(reconnect: boolean, work: (handle: Handle) => PgRows): PgRows {
    const handle = this.#live(reconnect);
    try {
      return work(handle);
    } catch (error) {
      if (!(reconnect && sessionLost(error))) throw error;
      return work(this.#live(true));
    }
  }

  /** The session, opened when there is none and replaced when it is gone and `reconnect` allows it. */
  #live(reconnect: boolean): Handle {
    if (this.#closed) throw new PgFailure({ message: 'connection is closed', connection: true });
    if (this.#handle !== null && this.#lost === null) return this.#handle;
    if (this.#handle !== null && !reconnect) throw this.#lost as PgFailure;
    if (this.#handle !== null) pq().finish(this.#handle);
    this.#handle = null;
    return this.#open();
  }

  #open(): Handle {
    this.#calls += 1;
    let handle: Handle;
    try {
      handle = pq().connect(this.#conninfo);
    } catch (error) {
      throw new PgFailure({ message: (error as Error).message.trim(), connection: true });
    }
    this.#handle = handle;
    this.#lost = null;
    this.#prepared = new Set();
    // Statements run as named prepared statements. After five runs PostgreSQL may switch one to a
    // generic plan, made without the bound values: the engine's filters are values whose
    // selectivity differs a thousandfold, and a generic plan of a sort by a path sorts every row
    // of the path (a top-1 query at 100k documents: 1 ms custom, 700-1,100 ms generic).
    // Starting parallel workers costs more than the engine's statements (index lookups cut short
    // by LIMIT or a driving set), and so does compiling a statement (JIT: PostgreSQL compiles
    // any plan its estimates put past jit_above_cost; at 1M documents a 4 ms driven statement took
    // 15, 10 of them compiling). Notices stay on the server (libpq would print them).
    const settings = [
      'SET plan_cache_mode = force_custom_plan',
      'SET max_parallel_workers_per_gather = 0',
      'SET jit = off',
      'SET client_min_messages = error',
      'SET bytea_output = hex',
      ...(this.#readonly ? ['SET default_transaction_read_only = on'] : []),
    ];
    this.#exec(handle, settings.join('; '));
    this.#statementTimeout = 0;
    this.#planMode = 'force_custom_plan';
    return handle;
  }

  /** Statements in the simple protocol (several, separated by semicolons): the last one's rows. */
  #exec(handle: Handle, sql: string): PgRows {
    this.#calls += 1;
    const result = pq().exec(handle, sql);
    if (result.status === 'CONNECTION') throw this.#lose(handle, connectionFailure(result));
    return this.#rows(handle, result);
  }

  /**
   * `steps` in one round trip (more than one as a pipeline): the last one's rows. After a failed
   * step the server skips the rest (PGRES_PIPELINE_ABORTED) and undoes what the pipeline's
   * implicit transaction did, so a failure forgets the settings.
   */
  #run(handle: Handle, steps: readonly Step[]): PgRows {
    this.#calls += 1;
    const results = pq().run(
      handle,
      steps.map((step) => step.spec),
    );
    let rows: PgRows | undefined;
    let failure: unknown;
    for (let index = 0; index < Math.max(results.length, steps.length); index += 1) {
      const result = results[index];
      if (result === undefined || result.status === 'PGRES_PIPELINE_ABORTED') continue;
      try {
        if (result.status === 'CONNECTION') throw this.#lose(handle, connectionFailure(result));
        rows = this.#rows(handle, result);
        steps[index]?.done?.();
      } catch (error) {
        failure ??= error;
      }
    }
    if (steps.length > 1 && pq().pipelineOn(handle)) {
      failure ??= this.#lose(handle, new PgFailure({ message: 'a pipeline was left unfinished', connection: true }));
    }
    if (failure !== undefined || rows === undefined) {
      this.#forgetSettings();
      throw failure ?? this.#lose(handle, new PgFailure({ message: 'no result from the server', connection: true }));
    }
    return rows;
  }

  /** A result's rows, or its failure (the session is gone when it was lost). */
  #rows(handle: Handle, result: PqResult): PgRows {
    const { status } = result;
    if (status === 'PGRES_TUPLES_OK') return rowsOf(result);
    if (status === 'PGRES_COMMAND_OK' || status === 'PGRES_EMPTY_QUERY') {
      return { columns: [], rows: [], rowCount: Number(result.tuples) || 0 };
    }
    const message = (result.message ?? status).trim();
    const { sqlstate } = result;
    throw this.#lose(handle, new PgFailure({ message, ...(sqlstate ? { sqlstate } : { connection: true }) }));
  }

  #lose(handle: Handle, failure: PgFailure): PgFailure {
    if (sessionLost(failure) && this.#handle === handle) this.#lost ??= failure;
    return failure;
  }

  #forgetSettings(): void {
    this.#planMode = null;
    this.#statementTimeout = -1;
  }
}

/** Parameters as text; one the server would refuse fails as the server would fail it. */
function paramsOf(values: readonly unknown[]): Params {
  try {
    return values.map(toParam);
  } catch (error) {
    if (!(error instanceof UnsendableValue)) throw error;
    throw new PgFailure({ message: error.message, sqlstate: error.sqlstate });
  }
}

function connectionFailure(result: PqResult): PgFailure {
  return new PgFailure({ message: (result.message ?? 'the connection failed').trim(), connection: true });
}

function rowsOf(result: PqResult): PgRows {
  const columns = result.columns ?? [];
  const parsers: ColumnParser[] = (result.types ?? []).map(parserOf);
  const rows = (result.rows ?? []).map((texts) => {
    const values: unknown[] = new Array(texts.length);
    for (let column = 0; column < texts.length; column += 1) {
      const text = texts[column];
      values[column] = text === null || text === undefined ? null : (parsers[column] as ColumnParser)(text);
    }
    return values;
  });
  return { columns, rows, rowCount: rows.length };
}
