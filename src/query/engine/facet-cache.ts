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

  /** The values of `path` over every document: cached, or computed by `compute` and kept. */
  get(path: string, compute: () => FacetValue[]): FacetValue[] {
    const version = this.#currentVersion();
    if (version !== this.#version) {
      this.#values.clear();
      this.#version = version;
    }
    let values = this.#values.get(path);
    if (values === undefined) {
      values = compute();
      if (this.#values.size >= MAX_CACHED_FACETS) this.#values.delete(this.#values.keys().next().value as string);
      this.#values.set(path, values);
    }
    return values;
  }

  #currentVersion(): string {
    const dataVersion = this.context.db.pragma('data_version', { simple: true }) as number;
    const changes = this.context.get('SELECT total_changes() AS n')?.['n'] as number;
    return `${dataVersion}/${changes}`;
  }
}
