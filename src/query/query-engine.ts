/**
 * QueryEngine: JSONPath over the indexed documents. The one rule: a query's result is exactly
 * what evaluating it over the JSON array of all indexed documents (ordered by reference, or by
 * the sort path) returns, paged. The index only narrows which documents are evaluated.
 */
import type { SqlDatabase } from '../store/index.js';
import { withBudget } from './budget.js';
import { compileQuery } from './compile.js';
import type { CompiledQuery } from './compiled.js';
import { decodeCursor, encodeCursor } from './cursor.js';
import { invalidArgument } from './errors.js';
import { countItems } from './engine/count.js';
import { type ExplainResult, explainQuery } from './engine/explain.js';
import { type FacetPath, facetValuesOf } from './engine/facet.js';
import { FacetCache } from './engine/facet-cache.js';
import { CountedPaths } from './engine/facet-counts.js';
import { orderSourceOf, runPage } from './engine/run-query.js';
import { SqlContext } from './engine/sql-context.js';
import {
  DEFAULT_MAX_QUERY_LENGTH,
  DEFAULT_MAX_RESULTS,
  DEFAULT_TIMEOUT_MS,
  DRIVER_CANDIDATE_LIMIT,
  STREAM_CHUNK,
  TRIAL_STREAM_COUNT,
} from './limits.js';
import { type CheckedOptions, checkOptions } from './options.js';
import { fingerprintOf } from './plain.js';
import { parseDocumentPath } from './sort.js';
import { textExpression, withText } from './text-filter.js';
import type { EngineOptions, FacetValue, PathFacet, QueryOptions, QueryResult } from './types.js';

/** The query facets of a text search run under: every document. */
const DEFAULT_FACET_QUERY = '$[*]';

/** Compiled queries kept per engine (saved queries and repeated API calls parse once). */
const COMPILED_CACHE_SIZE = 256;

/** JSONPath queries, counts, facets and plans over one index connection. */
export class QueryEngine {
  readonly #context: SqlContext;
  readonly #defaults: { timeoutMs: number; maxResults: number };
  readonly #maxQueryLength: number;
  readonly #compiled = new Map<string, CompiledQuery>();
  readonly #facetCache: FacetCache;
  readonly #counted: CountedPaths | null;

  /**
   * `db`: the index connection (`IndexStore.db`), read only; the one write is starting to count
   * a facet path (`options.facetCounts`), through `db` when writable, else a connection of its own.
   */
  constructor(db: SqlDatabase, options: EngineOptions = {}) {
    this.#context = new SqlContext(db, {
      driverLimit: options.driverCandidateLimit ?? DRIVER_CANDIDATE_LIMIT,
      chunk: options.streamChunk ?? STREAM_CHUNK,
      trialStream: options.trialStreamCount ?? TRIAL_STREAM_COUNT,
    });
    this.#facetCache = new FacetCache(this.#context);
    const counts = options.facetCounts ?? 'start';
    this.#counted = counts === 'off' ? null : new CountedPaths(this.#context, counts);
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
    const order = orderSourceOf(this.#context, compiled, checked);
    const cursor = options.cursor === undefined ? null : decodeCursor(options.cursor, fingerprint, order);
    if (cursor !== null && (cursor.kind === 'offset') !== (compiled.shape !== 'per-document')) {
      throw invalidArgument('cursor does not fit this query');
    }
    const { page, plan } = withBudget(checked.timeoutMs, () => runPage(this.#context, compiled, checked, cursor));
    const result: QueryResult = {
      items: page.items,
      nextCursor: page.next === null ? null : encodeCursor(page.next, fingerprint, order),
      plan,
    };
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
    return this.facets([path], text, options)[0]?.values ?? [];
  }

  /**
   * The facets of several paths among the documents `text` and `options.words` match, under one
   * time budget. Without either, answers come from a cache valid until the index changes.
   */
  facets(paths: readonly string[], text?: string, options: QueryOptions = {}): PathFacet[] {
    const facetPaths = paths.map((path) => parseDocumentPath(path, 'facet path', true));
    const query = text ?? (options.words === undefined ? undefined : DEFAULT_FACET_QUERY);
    const prepared = query === undefined ? null : this.#prepare(query, options);
    const timeoutMs = prepared?.checked.timeoutMs ?? checkOptions(options, this.#defaults).timeoutMs;
    const byText = new Map(facetPaths.map((facetPath) => [facetPath.text, facetPath]));
    return withBudget(timeoutMs, () => {
      const values =
        prepared === null
          ? this.#facetCache.getMany(
              facetPaths.map((facetPath) => facetPath.text),
              (missing) =>
                facetValuesOf(
                  this.#context,
                  missing.map((path) => byText.get(path) as FacetPath),
                  null,
                  this.#counted,
                ),
            )
          : facetValuesOf(this.#context, facetPaths, prepared.compiled);
      return paths.map((path, index) => ({ path, values: values[index] as FacetValue[] }));
    });
  }

  /** How the engine would run `text`: shape, bounds, candidate strategy and SQL, estimates. */
  explain(text: string, options: QueryOptions = {}): ExplainResult {
    const { compiled, checked } = this.#prepare(text, options);
    return withBudget(checked.timeoutMs, () => explainQuery(this.#context, compiled, checked));
  }

  #prepare(text: string, options: QueryOptions): { compiled: CompiledQuery; checked: CheckedOptions } {
    const checked = checkOptions(options, this.#defaults);
    const words = options.words === undefined ? null : textExpression(options.words);
    const key = `${options.dialect ?? 'rfc9535'}\u0000${words ?? ''}\u0000${text}`;
    let compiled = this.#compiled.get(key);
    if (compiled === undefined) {
      compiled = compileQuery(text, options.dialect, this.#maxQueryLength);
      if (words !== null) compiled = withText(compiled, words, (reference) => this.#matchesText(reference, words));
      if (this.#compiled.size >= COMPILED_CACHE_SIZE)
        this.#compiled.delete(this.#compiled.keys().next().value as string);
      this.#compiled.set(key, compiled);
    }
    return { compiled, checked };
  }

  /**
   * Whether a candidate matches the text: an untruncated candidate passed the text condition in
   * SQL already; a truncated one (always a candidate) is looked up in doc_text.
   */
  #matchesText(reference: string, expression: string): boolean {
    const row = this.#context.get(TRUNCATED_ID, [reference]);
    if (row === undefined) return true;
    const matches = this.#context.dialect.matchesText(expression, row['id'] as number);
    return this.#context.get(matches.sql, matches.params) !== undefined;
  }
}

/** The id of the document `reference` when its values are truncated. */
const TRUNCATED_ID = 'SELECT id FROM documents WHERE reference = ? AND values_truncated = 1';
