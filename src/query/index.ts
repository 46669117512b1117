/**
 * The query module: JSONPath (RFC 9535, or jsonpath-plus's script filters with its safe
 * evaluator) over the indexed documents, planned as SQL over `doc_values`, evaluated exactly.
 */
export { QueryEngine } from './query-engine.js';
export { evaluatePlain, evaluatePlainPage } from './plain.js';
export { loadSavedQueries } from './saved-queries.js';
export { compileQuery, DIALECTS } from './compile.js';
export type { ExplainResult } from './engine/explain.js';
export type {
  Dialect,
  EngineOptions,
  FacetValue,
  PathFacet,
  QueryOptions,
  QueryContext,
  QueryPlanSummary,
  QueryResult,
  QueryService,
  SavedQuery,
} from './types.js';
export { QueryPool } from './pool/query-pool.js';
export { InProcessQueries } from './pool/in-process.js';
export { queryPoolSettingsFromEnv, type QueryPoolSettings } from './pool/settings.js';
export { DEFAULT_MAX_QUERY_LENGTH, DEFAULT_MAX_RESULTS, DEFAULT_TIMEOUT_MS, MAX_QUERY_DEPTH } from './limits.js';
