/**
 * The engine's read access to the index: statements prepared once per SQL text (plans vary by
 * query, so the cache is keyed by text), path ids, the dialect and the budget check. The
 * partial index it finds truncated documents through (query_documents_truncated) is part of the
 * schema (src/store/schema.ts, v6): only the store module changes the schema.
 */
import {
  dataVersionOf,
  type Dialect,
  dialectOf,
  PgDatabase,
  type SqlDatabase,
  type SqlStatement,
  SqliteDatabase,
} from '../../store/index.js';
import { budgetTimeoutMs, tick } from '../budget.js';

/** How many ids one read of documents' JSON binds (see `jsons`). */
const JSON_BATCH_SIZES = [1, 8, 32, 128];

/** Path ids remembered at most (a round trip each on PostgreSQL otherwise). */
const MAX_CACHED_PATHS = 10_000;

/** Statements kept prepared at most. */
const STATEMENT_CACHE_SIZE = 256;

/** A result row. */
export type Row = Record<string, unknown>;

/** Planner and streaming knobs (tests shrink them to exercise every path on small data). */
export interface Tuning {
  /** Largest estimated candidate set that drives a query; larger ones are streamed in order. */
  driverLimit: number;
  /** Rows per chunk when streaming in order (grows to 4x). */
  chunk: number;
  /** Sets counting more than this try a stream first (see EngineOptions.trialStreamCount). */
  trialStream: number;
}

/** Read access to the index for one engine: statements, path ids, JSON, tuning. */
export class SqlContext {
  readonly #statements = new Map<string, SqlStatement<unknown[], Row>>();
  readonly dialect: Dialect;
  readonly #dataVersion: () => string | null;
  readonly #pathIds = new Map<string, number>();
  /** Lookups by key, planned once on PostgreSQL (dialect.genericPlan). */
  readonly #pathIdSql: string;
  readonly #jsonSql: string;

  constructor(
    readonly db: SqlDatabase,
    readonly tuning: Tuning,
  ) {
    this.dialect = dialectOf(db.dialect);
    this.#pathIdSql = this.dialect.genericPlan('SELECT id FROM paths WHERE path = ?');
    this.#jsonSql = this.dialect.genericPlan('SELECT json FROM documents WHERE id = ?');
    this.#dataVersion = dataVersionOf(db);
    budgetInDatabase(db);
  }

  /** A prepared statement for `sql`, cached (least recently used dropped first). */
  statement(sql: string): SqlStatement<unknown[], Row> {
    let statement = this.#statements.get(sql);
    if (statement !== undefined) {
      this.#statements.delete(sql);
    } else {
      statement = this.db.prepare(sql);
      if (this.#statements.size >= STATEMENT_CACHE_SIZE)
        this.#statements.delete(this.#statements.keys().next().value as string);
    }
    this.#statements.set(sql, statement);
    return statement;
  }

  all(sql: string, params: readonly unknown[] = []): Row[] {
    return this.statement(sql).all(...params);
  }

  get(sql: string, params: readonly unknown[] = []): Row | undefined {
    return this.statement(sql).get(...params);
  }

  /** A value that changes whenever the index changes, by any connection (src/store/data-version.ts). */
  dataVersion(): string {
    return this.#dataVersion() ?? 'closed';
  }

  /** Ids of the given paths that exist in `paths`. */
  pathIds(paths: Iterable<string>): Map<string, number> {
    const ids = new Map<string, number>();
    for (const path of paths) {
      let id = this.#pathIds.get(path);
      if (id === undefined) {
        id = this.get(this.#pathIdSql, [path])?.['id'] as number | undefined;
        // A committed path keeps its id (src/store/paths.ts); an unknown one is asked again next time.
        if (id !== undefined && this.#pathIds.size < MAX_CACHED_PATHS) this.#pathIds.set(path, id);
      }
      if (id !== undefined) ids.set(path, id);
    }
    return ids;
  }

  /**
   * The stored JSON of several documents by id, in one statement (ids padded to a few fixed
   * counts, so the statements stay few); a document deleted meanwhile is absent.
   */
  jsons(ids: readonly number[]): Map<number, string> {
    const found = new Map<number, string>();
    if (ids.length === 0) return found;
    const size = JSON_BATCH_SIZES.find((candidate) => candidate >= ids.length) ?? ids.length;
    const padded = [...ids, ...Array<number>(size - ids.length).fill(ids[0] as number)];
    const sql = this.dialect.genericPlan(
      `SELECT id, json FROM documents WHERE id IN (${Array(size).fill('?').join(', ')})`,
    );
    for (const row of this.all(sql, padded)) found.set(row['id'] as number, row['json'] as string);
    return found;
  }

  /** The stored JSON of a document, or undefined when it was deleted meanwhile. */
  json(id: number): string | undefined {
    return this.get(this.#jsonSql, [id])?.['json'] as string | undefined;
  }
}

/**
 * Stops statements past the query budget. SQLite: the dialect's `budgetCheck` term calls this
 * function on every row a statement visits, so a scan that finds few matches still stops at the
 * deadline (better-sqlite3 offers no progress handler); throwing from it aborts the statement
 * with `query_timeout`. PostgreSQL: each statement runs under a `statement_timeout` of the budget.
 */
function budgetInDatabase(db: SqlDatabase): void {
  if (db instanceof SqliteDatabase) {
    db.native.function('ocidex_budget', { deterministic: false }, () => {
      tick();
      return 1;
    });
  } else if (db instanceof PgDatabase) {
    db.timeout = budgetTimeoutMs;
  }
}
