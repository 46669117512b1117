/** Interning of document paths: each distinct path is one `paths` row, its id cached. */
import type { Statements } from './statements.js';

/**
 * How many path ids a store keeps cached. Paths come from registry content (annotation keys,
 * config members), so a registry full of distinct keys would otherwise grow the cache without
 * end; a real corpus has a few hundred, and a cache that fills up starts over (the paths in use
 * come back on the next documents, one indexed read each).
 */
export const MAX_CACHED_PATH_IDS = 50_000;

/**
 * Path ids by path text. Rows are never deleted, so a cached id stays valid, except one
 * created inside a transaction that rolled back: the store calls `forget()` on rollback.
 */
export class PathInterner {
  readonly #ids = new Map<string, number>();
  readonly #statements: Statements;
  readonly #maxCached: number;

  constructor(statements: Statements, maxCached = MAX_CACHED_PATH_IDS) {
    this.#statements = statements;
    this.#maxCached = maxCached;
  }

  /** How many ids are cached. */
  get cached(): number {
    return this.#ids.size;
  }

  /** The id of `path`, inserting it when new. Call inside a write transaction. */
  intern(path: string): number {
    let id = this.#ids.get(path);
    if (id === undefined) {
      id = this.#statements.selectPath.get(path) ?? this.#statements.insertPath.get(path);
      if (id === undefined) throw new Error(`path not interned: ${path}`);
      if (this.#ids.size >= this.#maxCached) this.#ids.clear();
      this.#ids.set(path, id);
    }
    return id;
  }

  /** Drops every cached id (after a rollback may have removed some rows). */
  forget(): void {
    this.#ids.clear();
  }
}
