/**
 * Every SQL statement of the index, as named constants (prepared once, in statements.ts).
 * Tables are described in schema.ts.
 */

// registries and repositories
export const SELECT_REGISTRY = `SELECT id, referrers_api AS "referrersApi" FROM registries WHERE name = ?`;
export const INSERT_REGISTRY = `INSERT INTO registries (name, created_at) VALUES (?, ?) RETURNING id`;
export const UPDATE_REFERRERS_API = `UPDATE registries SET referrers_api = ? WHERE id = ?`;
export const SELECT_REPOSITORY = `
SELECT repositories.id, repositories.fingerprint
FROM repositories JOIN registries ON registries.id = repositories.registry_id
WHERE registries.name = ? AND repositories.name = ?`;
export const INSERT_REPOSITORY = `INSERT INTO repositories (registry_id, name) VALUES (?, ?) RETURNING id`;
export const LIST_REPOSITORIES = `
SELECT repositories.name
FROM repositories JOIN registries ON registries.id = repositories.registry_id
WHERE registries.name = ? ORDER BY repositories.name`;
export const UPDATE_FINGERPRINT = `UPDATE repositories SET fingerprint = ?, crawled_at = ? WHERE id = ?`;
export const CLEAR_FINGERPRINT = `UPDATE repositories SET fingerprint = NULL WHERE id = ?`;

// tags and their history
export const SELECT_TAGS = `SELECT name, digest FROM tags WHERE repository_id = ? ORDER BY name`;
export const SELECT_TAG_NAMES_OF_DIGEST = `
SELECT name FROM tags WHERE repository_id = ? AND digest = ? ORDER BY name`;
export const SELECT_TAG = `SELECT digest FROM tags WHERE repository_id = ? AND name = ?`;
export const UPSERT_TAG = `
INSERT INTO tags (repository_id, name, digest, updated_at) VALUES (?, ?, ?, ?)
ON CONFLICT (repository_id, name) DO UPDATE SET digest = excluded.digest, updated_at = excluded.updated_at`;
export const DELETE_TAG = `DELETE FROM tags WHERE repository_id = ? AND name = ?`;
export const INSERT_TAG_EVENT = `
INSERT INTO tag_events (repository_id, tag, old_digest, new_digest, run_id, at) VALUES (?, ?, ?, ?, ?, ?)`;
export const SELECT_TAG_EVENTS = `
SELECT tag, old_digest AS "oldDigest", new_digest AS "newDigest", at
FROM tag_events WHERE repository_id = ? ORDER BY id`;

// documents and their typed values
export const SELECT_DOCUMENT_ROW = `SELECT id, json FROM documents WHERE repository_id = ? AND digest = ?`;
export const SELECT_REPOSITORY_DOCUMENTS = `
SELECT id, digest, parent, json_extract(json, '$.tags') AS tags,
  CASE WHEN kind = 'index' THEN
    (SELECT json_group_array(json_extract(child.value, '$.digest'))
     FROM json_each(documents.json, '$.manifests') AS child)
  ELSE '[]' END AS children
FROM documents WHERE repository_id = ? ORDER BY digest`;
export const UPSERT_DOCUMENT = `
INSERT INTO documents
  (repository_id, digest, reference, kind, format, subject, parent, json, values_truncated, crawled_at, updated_at)
VALUES (@repositoryId, @digest, @reference, @kind, @format, @subject, @parent, @json, @truncated, @crawledAt, @updatedAt)
ON CONFLICT (repository_id, digest) DO UPDATE SET
  reference = excluded.reference, kind = excluded.kind, format = excluded.format,
  subject = excluded.subject, parent = excluded.parent, json = excluded.json,
  values_truncated = excluded.values_truncated, crawled_at = excluded.crawled_at,
  updated_at = excluded.updated_at
RETURNING id`;
export const DELETE_DOCUMENT = `DELETE FROM documents WHERE id = ?`;
export const DELETE_DOCUMENT_VALUES = `DELETE FROM doc_values WHERE doc_id = ?`;
export const INSERT_DOCUMENT_VALUE = `INSERT OR FAIL INTO doc_values (doc_id, path_id, type, value) VALUES (?, ?, ?, ?)`;
/** Rows of doc_values written by one statement run (one native call instead of this many). */
export const DOCUMENT_VALUES_CHUNK = 32;
/**
 * `OR FAIL`, not the default ABORT: a multi-row INSERT that may abort half-way makes SQLite keep
 * a statement journal (a copy of every page the statement touches that the transaction already
 * changed, spilled to a temp file: https://sqlite.org/tempfiles.html#stmtjrnl), which cost more
 * than the rows themselves. A NOT NULL failure still throws, and the store's transaction (or
 * savepoint) around every write rolls back the rows written before it.
 */
export const INSERT_DOCUMENT_VALUES_CHUNK = `INSERT OR FAIL INTO doc_values (doc_id, path_id, type, value) VALUES ${Array(DOCUMENT_VALUES_CHUNK).fill('(?, ?, ?, ?)').join(', ')}`;
/**
 * Every value row of a document in one statement, the columns bound as arrays: none on SQLite
 * (no array parameters; a statement run is a native call there, not a round trip), see pg/pg-sql.ts.
 */
export const INSERT_DOCUMENT_VALUES_ARRAYS = '';
export const SELECT_PATH = `SELECT id FROM paths WHERE path = ?`;
export const INSERT_PATH = `INSERT INTO paths (path) VALUES (?) RETURNING id`;

// referrer edges
export const SELECT_EDGES_OF_SUBJECT = `
SELECT digest, json FROM referrers WHERE repository_id = ? AND subject = ? ORDER BY digest`;
export const SELECT_EDGES_OF_REPOSITORY = `SELECT subject, digest, json FROM referrers WHERE repository_id = ?`;
export const SELECT_SUBJECTS_OF_REFERRER = `
SELECT subject FROM referrers WHERE repository_id = ? AND digest = ? ORDER BY subject`;
export const UPSERT_EDGE = `
INSERT INTO referrers (repository_id, subject, digest, artifact_type, kind, json) VALUES (?, ?, ?, ?, ?, ?)
ON CONFLICT (repository_id, subject, digest) DO UPDATE SET
  artifact_type = excluded.artifact_type, kind = excluded.kind, json = excluded.json`;
export const DELETE_EDGE = `DELETE FROM referrers WHERE repository_id = ? AND subject = ? AND digest = ?`;
export const DELETE_EDGES_OF_SUBJECT = `DELETE FROM referrers WHERE repository_id = ? AND subject = ?`;

// referrer records and trust policies (trust-records.ts)
export const SELECT_REFERRER_RECORD = `
SELECT summary, material FROM referrer_records WHERE repository_id = ? AND digest = ?`;
export const UPSERT_REFERRER_RECORD = `
INSERT INTO referrer_records (repository_id, digest, summary, material) VALUES (?, ?, ?, ?)
ON CONFLICT (repository_id, digest) DO UPDATE SET summary = excluded.summary, material = excluded.material`;
export const SELECT_REFERRER_SUMMARIES = `SELECT digest, summary FROM referrer_records WHERE repository_id = ?`;
export const SELECT_SUBJECTS_WITH_EDGES = `
SELECT g.name AS registry, r.name AS repository, e.subject AS subject
FROM referrers e JOIN repositories r ON r.id = e.repository_id JOIN registries g ON g.id = r.registry_id
GROUP BY e.repository_id, e.subject ORDER BY g.name, r.name, e.subject`;
export const COUNT_VERIFIED_DOCUMENTS = `SELECT count(*) FROM documents WHERE json_extract(json, '$.verified') = 1`;
export const SELECT_TRUST = `SELECT hash, json FROM trust_policies WHERE id = 1`;
export const SELECT_TRUST_HASH = `SELECT hash FROM trust_policies WHERE id = 1`;
export const UPSERT_TRUST = `
INSERT INTO trust_policies (id, hash, json, updated_at) VALUES (1, ?, ?, ?)
ON CONFLICT (id) DO UPDATE SET hash = excluded.hash, json = excluded.json, updated_at = excluded.updated_at`;

// reads
export const SELECT_DOCUMENT_BY_REFERENCE = `SELECT json FROM documents WHERE reference = ?`;
export const SELECT_ALL_DOCUMENTS = `SELECT json FROM documents ORDER BY reference`;
export const COUNT_DOCUMENTS = `SELECT count(*) AS count FROM documents`;

// crawl runs and errors
export const INSERT_RUN = `
INSERT INTO crawl_runs (registry, params, status, started_at) VALUES (?, ?, 'running', ?) RETURNING id`;
export const FINISH_RUN = `UPDATE crawl_runs SET status = ?, finished_at = ?, summary = ? WHERE id = ?`;
export const UPDATE_RUN_PROGRESS = `
UPDATE crawl_runs SET progress = ?, progress_at = ? WHERE id = ? AND status = 'running'`;
const RUN_COLUMNS = `
id, registry, status, params, started_at AS "startedAt", finished_at AS "finishedAt", summary,
progress, progress_at AS "progressAt", owner, heartbeat_at AS "heartbeatAt"`;
/** A run's counts so far, to add to in a write transaction (PostgreSQL locks the row: pg-sql.ts). */
export const SELECT_RUN_PROGRESS_FOR_UPDATE = `SELECT progress FROM crawl_runs WHERE id = ? AND status = 'running'`;
export const CLAIM_RUN = `UPDATE crawl_runs SET owner = ?, heartbeat_at = ? WHERE id = ?`;
/** The owner's heartbeat on every run it still works on. */
export const HEARTBEAT_RUNS = `
UPDATE crawl_runs SET heartbeat_at = ? WHERE status = 'running' AND json_extract(owner, '$.id') = ?`;
export const SELECT_RUN = `SELECT ${RUN_COLUMNS} FROM crawl_runs WHERE id = ?`;
/** The running runs of a registry, newest first (few: one per process crawling it). */
export const SELECT_RUNNING_RUNS_OF_REGISTRY = `
SELECT ${RUN_COLUMNS} FROM crawl_runs WHERE registry = ? AND status = 'running' ORDER BY id DESC`;
/**
 * Serializes starts of crawls of one registry (two keys: a space and the registry's hash) until
 * the transaction ends. SQLite's IMMEDIATE write transaction already does: this binds the keys
 * and does nothing (PostgreSQL takes an advisory lock: pg-sql.ts).
 */
export const LOCK_RUN_START = `SELECT ? + ? AS keys`;
/** Runs newest first, at most the bound limit. */
export const LIST_RUNS = `SELECT ${RUN_COLUMNS} FROM crawl_runs ORDER BY id DESC LIMIT ?`;
export const LIST_RUNS_OF_REGISTRY = `
SELECT ${RUN_COLUMNS} FROM crawl_runs WHERE registry = ? ORDER BY id DESC LIMIT ?`;
export const COUNT_ERRORS_OF_RUN = `
SELECT code, count(*) AS count FROM crawl_errors WHERE run_id = ? GROUP BY code ORDER BY code`;

export const INSERT_ERROR = `
INSERT INTO crawl_errors (run_id, registry, repository, reference, code, message, at)
VALUES (?, ?, ?, ?, ?, ?, ?)`;
const ERROR_COLUMNS = `registry, repository, reference, code, message, at`;
export const LIST_ERRORS_OF_RUN = `
SELECT ${ERROR_COLUMNS} FROM crawl_errors
WHERE run_id = @runId AND (CAST(@registry AS TEXT) IS NULL OR registry = @registry) ORDER BY id LIMIT @limit`;
export const LIST_ERRORS = `
SELECT ${ERROR_COLUMNS} FROM crawl_errors
WHERE CAST(@registry AS TEXT) IS NULL OR registry = @registry ORDER BY id LIMIT @limit`;

// registry configurations (service mode)
export const LIST_REGISTRY_CONFIGS = `SELECT id, json, source, updated_at AS "updatedAt" FROM registry_configs ORDER BY id`;
export const SELECT_REGISTRY_CONFIG = `SELECT id, json, source, updated_at AS "updatedAt" FROM registry_configs WHERE id = ?`;
export const INSERT_REGISTRY_CONFIG = `
INSERT INTO registry_configs (id, json, source, updated_at) VALUES (?, ?, ?, ?) ON CONFLICT (id) DO NOTHING`;
export const UPSERT_REGISTRY_CONFIG = `
INSERT INTO registry_configs (id, json, source, updated_at) VALUES (?, ?, ?, ?)
ON CONFLICT (id) DO UPDATE SET json = excluded.json, source = excluded.source, updated_at = excluded.updated_at`;
export const DELETE_REGISTRY_CONFIG = `DELETE FROM registry_configs WHERE id = ?`;

// facet counts (facet-counts.ts)
export const SELECT_FACET_PATH_IDS = `SELECT path_id FROM facet_paths ORDER BY path_id`;
export const INSERT_FACET_PATH = `INSERT INTO facet_paths (path_id, counted_at) VALUES (?, ?)`;
/** Writers of doc_values wait while a path's counts are filled (SQLite: the write lock does it). */
export const LOCK_FACET_VALUES = `SELECT 1`;
export const FILL_FACET_COUNTS = `
INSERT INTO facet_counts (path_id, type, value, n)
SELECT path_id, type, coalesce(value, 0), count(*) FROM doc_values
WHERE path_id = ? AND (type < 4 OR (type = 4 AND value IS NOT NULL)) GROUP BY path_id, type, value`;
export const COUNT_FACET_VALUES = `SELECT count(*) FROM facet_counts WHERE path_id = ?`;
export const DELETE_FACET_COUNTS = `DELETE FROM facet_counts WHERE path_id = ?`;
export const DELETE_FACET_PATH = `DELETE FROM facet_paths WHERE path_id = ?`;
