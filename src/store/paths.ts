/** Interning of document paths: each distinct path is one `paths` row, its id cached. */
import type { Statements } from './statements.js';

/**
 * Path ids by path text. Rows are never deleted, so a cached id stays valid, except one
 * created inside a transaction that rolled back: the store calls `forget()` on rollback.
 */
export class PathInterner {
  readonly #ids = new Map<string, number>();
  readonly #statements: Statements;

  constructor(statements: Statements) {
    this.#statements = statements;
  }

  /** The id of `path`, inserting it when new. Call inside a write transaction. */
  intern(path: string): number {
    let id = this.#ids.get(path);
    if (id === undefined) {
      id = this.#statements.selectPath.get(path) ?? this.#statements.insertPath.get(path);
      if (id === undefined) throw new Error(`path not interned: ${path}`);
      this.#ids.set(path, id);
    }
    return id;
  }

  /** Drops every cached id (after a rollback may have removed some rows). */
  forget(): void {
    this.#ids.clear();
  }
}
