/**
 * QueryEngine: JSONPath over the indexed documents. The one rule: a query's result is exactly
 * what evaluating it over the JSON array of all indexed documents (ordered by reference, or by
 * the sort path) returns, paged. The index only narrows which documents are evaluated.
 */
import type Database from 'better-sqlite3';
import { withBudget } from './budget.js';
import { compileQuery } from './compile.js';
import type { CompiledQuery } from './compiled.js';
import { decodeCursor, encodeCursor } from './cursor.js';
import { invalidArgument } from './errors.js';
import { countItems } from './engine/count.js';
import { type ExplainResult, explainQuery } from './engine/explain.js';
import { facetValues } from './engine/facet.js';
import { runPage } from './engine/run-query.js';
import { SqlContext } from './engine/sql-context.js';
import { DEFAULT_MAX_QUERY_LENGTH, DEFAULT_MAX_RESULTS, DEFAULT_TIMEOUT_MS, DRIVER_CANDIDATE_LIMIT, STREAM_CHUNK } from './limits.js';
import { type CheckedOptions, checkOptions } from './options.js';
import { fingerprintOf } from './plain.js';
import { parseDocumentPath } from './sort.js';
import type { EngineOptions, FacetValue, QueryOptions, QueryResult } from './types.js';

/** Compiled queries kept per engine (saved queries and repeated API calls parse once). */
const COMPILED_CACHE_SIZE = 256;

/** JSONPath queries, counts, facets and plans over one index connection. */
export class QueryEngine {
  readonly #context: SqlContext;
  readonly #defaults: { timeoutMs: number; maxResults: number };
  readonly #maxQueryLength: number;
  readonly #compiled = new Map<string, CompiledQuery>();

  /** `db`: the index connection (`IndexStore.db`); read-only use, plus one helper index when writable. */
  constructor(db: Database.Database, options: EngineOptions = {}) {
    this.#context = new SqlContext(db, {
      driverLimit: options.driverCandidateLimit ?? DRIVER_CANDIDATE_LIMIT,
      chunk: options.streamChunk ?? STREAM_CHUNK,
    });
    this.#defaults = {
      timeoutMs: options.defaultTimeoutMs ?? DEFAULT_TIMEOUT_MS,
      maxResults: options.maxResults ?? DEFAULT_MAX_RESULTS,
    };
    this.#maxQueryLength = options.maxQueryLength ?? DEFAULT_MAX_QUERY_LENGTH;
  }

  /**
   * One page of `text`'s result. Throws OcidexError `invalid_query` (with `details.position`),
   * `invalid_argument`, `query_timeout` or `result_too_large`.
   */
  query(text: string, options: QueryOptions = {}): QueryResult {
    const { compiled, checked } = this.#prepare(text, options);
    const fingerprint = fingerprintOf(compiled, checked);
    const cursor = options.cursor === undefined ? null : decodeCursor(options.cursor, fingerprint);
    if (cursor !== null && (cursor.kind === 'offset') !== (compiled.shape !== 'per-document')) {
      throw invalidArgument('cursor does not fit this query');
    }
    const { page, plan } = withBudget(checked.timeoutMs, () => runPage(this.#context, compiled, checked, cursor));
    const result: QueryResult = { items: page.items, nextCursor: page.next === null ? null : encodeCursor(page.next, fingerprint), plan };
    if (cursor === null && page.exhausted) result.total = page.items.length;
    return result;
  }

  /** How many items `text` returns in all (limit and cursor ignored). */
  count(text: string, options: QueryOptions = {}): number {
    const { compiled, checked } = this.#prepare(text, options);
    return withBudget(checked.timeoutMs, () => countItems(this.#context, compiled, checked));
  }

  /**
   * Distinct values at `path` (a singular path like `@.model.license`, or ending in `[*]` for
   * array elements) among the documents `text` matches (every document without `text`), with
   * document counts, most frequent first.
   */
  facet(path: string, text?: string, options: QueryOptions = {}): FacetValue[] {
    const facetPath = parseDocumentPath(path, 'facet path', true);
    const prepared = text === undefined ? null : this.#prepare(text, options);
    const timeoutMs = prepared?.checked.timeoutMs ?? checkOptions(options, this.#defaults).timeoutMs;
    return withBudget(timeoutMs, () => facetValues(this.#context, facetPath, prepared?.compiled ?? null));
  }

  /** How the engine would run `text`: shape, bounds, candidate strategy and SQL, estimates. */
  explain(text: string, options: QueryOptions = {}): ExplainResult {
    const { compiled, checked } = this.#prepare(text, options);
    return withBudget(checked.timeoutMs, () => explainQuery(this.#context, compiled, checked));
  }

  #prepare(text: string, options: QueryOptions): { compiled: CompiledQuery; checked: CheckedOptions } {
    const checked = checkOptions(options, this.#defaults);
    const key = `${options.dialect ?? 'rfc9535'}\u0000${text}`;
    let compiled = this.#compiled.get(key);
    if (compiled === undefined) {
      compiled = compileQuery(text, options.dialect, this.#maxQueryLength);
      if (this.#compiled.size >= COMPILED_CACHE_SIZE) this.#compiled.delete(this.#compiled.keys().next().value as string);
      this.#compiled.set(key, compiled);
    }
    return { compiled, checked };
  }
}
