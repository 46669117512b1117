/**
 * Named limits of the query engine. Every query is bounded: its text, its run time, the items it
 * returns and the memory a whole-array evaluation may take.
 */

/** Longest accepted query text, in UTF-16 code units. */
export const DEFAULT_MAX_QUERY_LENGTH = 4_096;

/**
 * Deepest nesting of brackets, parentheses and prefix operators (`!`, `-`, `+`) in a query text:
 * the parsers recurse per level, and real queries nest a handful.
 */
export const MAX_QUERY_DEPTH = 64;

/** Time budget of one query, count or facet. */
export const DEFAULT_TIMEOUT_MS = 5_000;

/** Most items one page may hold; a query without `limit` returning more fails. */
export const DEFAULT_MAX_RESULTS = 10_000;

/** Largest JSON text (sum over documents) a whole-array evaluation may load. */
export const MAX_WHOLE_ARRAY_BYTES = 256 * 1024 * 1024;

/**
 * Most values one jsonpath-plus evaluation may select: it gathers them all (with their paths)
 * before returning any, so its memory grows with them.
 */
export const MAX_PLUS_VALUES = 1_000_000;

/** Descendant segments stop (with an error) below this depth; documents are far shallower. */
export const MAX_RECURSION_DEPTH = 256;

/** An I-Regexp compiled to more NFA states than this does not match anything (bounded memory). */
export const MAX_REGEX_STATES = 10_000;

/** Compiled regular expressions kept per function (match, search). */
export const REGEX_CACHE_SIZE = 64;

/** A set of at most this many candidate documents (by estimate) drives a query; larger sets are streamed. */
export const DRIVER_CANDIDATE_LIMIT = 20_000;

/**
 * A sorted first page whose set counts more than this (and at most DRIVER_CANDIDATE_LIMIT) is
 * first tried as a stream: see `trialStreamCount` in EngineOptions.
 */
export const TRIAL_STREAM_COUNT = 4_096;

/** Rows read from SQLite in the first chunk when streaming documents in order (doubling up to 4x). */
export const STREAM_CHUNK = 64;

/** Facet values returned at most (most frequent first). */
export const MAX_FACET_VALUES = 1_000;

/** Longest sort path or facet path text. */
export const MAX_PATH_LENGTH = 1_024;
