/** Public types of the query engine. */
import type { JsonValue } from '../domain/document.js';

/** `rfc9535` (default): RFC 9535 JSONPath. `jsonpath-plus`: its script filters, safe evaluator only. */
export type Dialect = 'rfc9535' | 'jsonpath-plus';

/** Options of one query, count or facet. */
export interface QueryOptions {
  dialect?: Dialect;
  /** A singular path into each document, like `@.model.metrics.accuracy` or `$.size`. */
  sort?: string;
  /** `asc` (default) or `desc`; without `sort`, orders by reference. Missing sort values come last either way. */
  order?: 'asc' | 'desc';
  /** Items per page; without it, every item (at most `maxResults`, else `result_too_large`). */
  limit?: number;
  /** `nextCursor` of the previous page, for the same query, dialect, sort and order. */
  cursor?: string;
  timeoutMs?: number;
  /**
   * Free-text words (`llama 8b gguf`), all required, each a word prefix, matched on the full-text
   * index (name, description, family, format, license, size, quantization, repository, tags,
   * annotations); narrows the documents the query runs over.
   */
  words?: string;
  /** Overrides the engine's cap on the items of one page (may only lower it). */
  maxResults?: number;
}

/** How a page was found. */
export interface QueryPlanSummary {
  /** The index narrowed the documents evaluated. */
  indexed: boolean;
  /** Documents evaluated exactly. */
  candidates: number;
  /** The main candidate SQL. */
  sql?: string;
}

/** One page of a query result. */
export interface QueryResult {
  /** Matched documents or selected values, in order. */
  items: JsonValue[];
  /** Cursor of the next page, or null on the last page. */
  nextCursor: string | null;
  /** Total number of items, when known without extra work (a first page that is also the last). */
  total?: number;
  plan: QueryPlanSummary;
}

/** One facet value and the number of matching documents having it. */
export interface FacetValue {
  value: JsonValue;
  count: number;
}

/** The facet values of one path. */
export interface PathFacet {
  path: string;
  values: FacetValue[];
}

/** A saved query (queries/*.yaml). */
export interface SavedQuery {
  name: string;
  description: string;
  query: string;
  dialect: Dialect;
  sort?: string;
  order?: 'asc' | 'desc';
  /** The file it was loaded from. */
  file: string;
}

/** Engine-wide limits and tuning. */
export interface EngineOptions {
  defaultTimeoutMs?: number;
  maxQueryLength?: number;
  maxResults?: number;
  /** Largest estimated candidate set that drives a query (default DRIVER_CANDIDATE_LIMIT); larger ones stream. */
  driverCandidateLimit?: number;
  /** Rows per chunk when streaming documents in order (default STREAM_CHUNK, growing to 4x that). */
  streamChunk?: number;
  /**
   * PostgreSQL: a sorted first page whose set counts more than this (default TRIAL_STREAM_COUNT),
   * though small enough to drive, is tried as a stream first: its first chunk read with the
   * counts from a bounded stretch of the sort path. A set filling it streams, uncounted further.
   */
  trialStreamCount?: number;
  /**
   * Facets over every document from the counts the writers keep (src/store/facet-counts.ts):
   * 'start' (default) also starts counting a path the first time it is asked for, which writes
   * (once per path: its counts filled in one statement); 'read' only reads the counts of paths
   * counted already; 'off' groups the values of every document (as before the counts).
   */
  facetCounts?: 'start' | 'read' | 'off';
}

/** On whose behalf a query runs, and until when it is wanted. */
export interface QueryContext {
  /** The key admission limits count by: a remote address or a token hash (default: one anonymous client). */
  client?: string;
  /** Aborts when the answer is no longer wanted (the client went away): a waiting query is dropped. */
  signal?: AbortSignal;
}

/**
 * Queries as the API runs them: asynchronously, for a client. Implemented off the event loop by
 * QueryPool and in process by InProcessQueries. Rejects with the engine's OcidexErrors, and
 * `overloaded` (with `details.retryAfterMs`) when the pool refuses the task.
 */
export interface QueryService {
  query(text: string, options?: QueryOptions, context?: QueryContext): Promise<QueryResult>;
  facet(path: string, text?: string, options?: QueryOptions, context?: QueryContext): Promise<FacetValue[]>;
  /** The facets of several paths in one task (one admission, one budget). */
  facets(paths: readonly string[], text?: string, options?: QueryOptions, context?: QueryContext): Promise<PathFacet[]>;
  /** Stops the workers; tasks in flight are answered first or fail. */
  close(): Promise<void>;
}
