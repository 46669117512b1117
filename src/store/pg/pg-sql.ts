/**
 * The store's statements whose PostgreSQL text differs from ../sql.ts (JSON functions, typed
 * value columns); every other statement is the same text for both backends. `json` columns
 * are read with the `json` type (not `jsonb`), which keeps any JSON text JavaScript wrote.
 */
import { DOCUMENT_VALUES_CHUNK } from '../sql.js';
import type * as sql from '../sql.js';

type Overrides = Partial<Record<keyof typeof sql, string>>;

/**
 * `column` read as `json`. JSON.stringify writes a lone surrogate (and U+0000) as an escape, which
 * PostgreSQL's json refuses as soon as it de-escapes the string (an object key on the way to a
 * member, a value read as text): those escapes become U+FFFD in this copy. Only for reading the
 * index's own members (tags, digests, flags), which never hold one; a document without `\u` is
 * read as it is.
 */
function readableJson(column: string): string {
  return `(CASE WHEN strpos(${column}, '\\u') = 0 THEN ${column}
    ELSE regexp_replace(${column}, '\\\\u(d[89a-f][0-9a-f]{2}|0000)', '\\\\ufffd', 'gi') END)::json`;
}

export const PG_OVERRIDES: Overrides = {
  SELECT_REPOSITORY_DOCUMENTS: `
SELECT id, digest, parent, (${readableJson('json')} -> 'tags')::text AS tags,
  CASE WHEN kind = 'index' THEN
    (SELECT coalesce(json_agg(child ->> 'digest'), '[]')::text FROM json_array_elements(${readableJson('json')} -> 'manifests') AS child)
  ELSE '[]' END AS children
FROM documents WHERE repository_id = ? ORDER BY digest`,
  COUNT_VERIFIED_DOCUMENTS: `SELECT count(*) FROM documents WHERE (${readableJson('json')} ->> 'verified') = 'true'`,
  HEARTBEAT_RUNS: `
UPDATE crawl_runs SET heartbeat_at = ? WHERE status = 'running' AND (owner::json ->> 'id') = ?`,
  SELECT_RUN_PROGRESS_FOR_UPDATE: `SELECT progress FROM crawl_runs WHERE id = ? AND status = 'running' FOR UPDATE`,
  INSERT_DOCUMENT_VALUE: 'INSERT INTO doc_values (doc_id, path_id, type, num, str) VALUES (?, ?, ?, ?, ?)',
  INSERT_DOCUMENT_VALUES_CHUNK: `INSERT INTO doc_values (doc_id, path_id, type, num, str) VALUES ${Array(DOCUMENT_VALUES_CHUNK).fill('(?, ?, ?, ?, ?)').join(', ')}`,
  // A document's value rows in one round trip, however many: the columns as arrays, unnested in step.
  INSERT_DOCUMENT_VALUES_ARRAYS: `INSERT INTO doc_values (doc_id, path_id, type, num, str)
SELECT ?::bigint, v.path_id, v.type, v.num, v.str
FROM unnest(?::bigint[], ?::smallint[], ?::double precision[], ?::bytea[]) AS v(path_id, type, num, str)`,
  LOCK_FACET_VALUES: 'LOCK TABLE doc_values IN SHARE MODE',
  // https://www.postgresql.org/docs/current/functions-admin.html#FUNCTIONS-ADVISORY-LOCKS
  LOCK_RUN_START: 'SELECT pg_advisory_xact_lock(?::integer, ?::integer) IS NULL AS locked',
  FILL_FACET_COUNTS: `
INSERT INTO facet_counts (path_id, type, num, str, slot, n)
SELECT path_id, type, coalesce(num, 0), coalesce(str, ''::bytea), 0, count(*) FROM doc_values
WHERE path_id = ? AND (type < 4 OR (type = 4 AND str IS NOT NULL)) GROUP BY path_id, type, num, str`,
};
