/**
 * Facets over every document (the catalog's landing page asks for several on each visit) are
 * kept until the index changes: `PRAGMA data_version` moves when another connection commits,
 * `total_changes()` when this one writes, so a cached answer is never older than the index.
 */
import type { FacetValue } from '../types.js';
import type { SqlContext } from './sql-context.js';

/** Facets kept at most (paths asked for without a filter). */
const MAX_CACHED_FACETS = 64;

/** Unfiltered facet values by path, valid for one version of the index. */
export class FacetCache {
  readonly #values = new Map<string, FacetValue[]>();
  #version = '';

  constructor(private readonly context: SqlContext) {}

  /**
   * The values of each of `paths` over every document: cached, the missing ones computed together
   * by `compute` (which returns their values in the order asked) and kept.
   */
  getMany(paths: readonly string[], compute: (missing: readonly string[]) => FacetValue[][]): FacetValue[][] {
    const version = this.#currentVersion();
    if (version !== this.#version) {
      this.#values.clear();
      this.#version = version;
    }
    const missing = [...new Set(paths.filter((path) => !this.#values.has(path)))];
    const computed = missing.length === 0 ? [] : compute(missing);
    const fresh = new Map(missing.map((path, index) => [path, computed[index] as FacetValue[]]));
    for (const [path, values] of fresh) {
      if (this.#values.size >= MAX_CACHED_FACETS) this.#values.delete(this.#values.keys().next().value as string);
      this.#values.set(path, values);
    }
    return paths.map((path) => (fresh.get(path) ?? this.#values.get(path)) as FacetValue[]);
  }

  #currentVersion(): string {
    return this.context.dataVersion();
  }
}
