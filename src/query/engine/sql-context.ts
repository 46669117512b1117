/**
 * The engine's read access to the index: statements prepared once per SQL text (plans vary by
 * query, so the cache is keyed by text), path ids and the budget check. The partial index it
 * finds truncated documents through (query_documents_truncated) is part of the schema
 * (src/store/schema.ts, v6): only the store module touches the SQLite schema.
 */
import type Database from 'better-sqlite3';
import { tick } from '../budget.js';

/** Statements kept prepared at most. */
const STATEMENT_CACHE_SIZE = 256;

/** A result row of better-sqlite3. */
export type Row = Record<string, unknown>;

/**
 * A SQL term that ticks the query budget on every row a statement visits, so a scan that finds
 * few matches still stops at the deadline (better-sqlite3 offers no progress handler). Throwing
 * from it aborts the statement with the `query_timeout` error.
 */
export const BUDGET_CHECK = 'ocidex_budget()';

/** Planner and streaming knobs (tests shrink them to exercise every path on small data). */
export interface Tuning {
  /** Largest estimated candidate set that drives a query; larger ones are streamed in order. */
  driverLimit: number;
  /** Rows per chunk when streaming in order (grows to 4x). */
  chunk: number;
}

/** Read access to the index for one engine: statements, path ids, JSON, tuning. */
export class SqlContext {
  readonly #statements = new Map<string, Database.Statement>();

  constructor(
    readonly db: Database.Database,
    readonly tuning: Tuning,
  ) {
    db.function('ocidex_budget', { deterministic: false }, () => {
      tick();
      return 1;
    });
  }

  /** A prepared statement for `sql`, cached (least recently used dropped first). */
  statement(sql: string): Database.Statement {
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
    return this.statement(sql).all(...params) as Row[];
  }

  get(sql: string, params: readonly unknown[] = []): Row | undefined {
    return this.statement(sql).get(...params) as Row | undefined;
  }

  /** Ids of the given paths that exist in `paths`. */
  pathIds(paths: Iterable<string>): Map<string, number> {
    const ids = new Map<string, number>();
    for (const path of paths) {
      const row = this.get('SELECT id FROM paths WHERE path = ?', [path]);
      if (row !== undefined) ids.set(path, row['id'] as number);
    }
    return ids;
  }

  /** The stored JSON of a document, or undefined when it was deleted meanwhile. */
  json(id: number): string | undefined {
    return this.get('SELECT json FROM documents WHERE id = ?', [id])?.['json'] as string | undefined;
  }
}
