/**
 * The index schema. SCHEMA_VERSION is stored in `PRAGMA user_version`; MIGRATIONS[i] takes a
 * database from version i to i + 1. Add a migration; never edit one that has shipped.
 */
import { FACET_COUNTS_MIGRATION, FACET_COUNTS_TRIGGER_MIGRATION } from './facet-counts-schema.js';
import { TEXT_SEARCH_MIGRATION } from './text-search.js';

export const SCHEMA_VERSION = 8;

const V1 = `
CREATE TABLE registries (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,            -- host[:port], as in references
  referrers_api INTEGER,                -- 1 API works, 0 tag-schema fallback, NULL unknown
  created_at TEXT NOT NULL
);
CREATE TABLE repositories (
  id INTEGER PRIMARY KEY,
  registry_id INTEGER NOT NULL REFERENCES registries(id),
  name TEXT NOT NULL,
  fingerprint TEXT,                     -- level-1 change detection; saved last, after success
  crawled_at TEXT,
  UNIQUE (registry_id, name)
);
CREATE TABLE tags (
  repository_id INTEGER NOT NULL REFERENCES repositories(id),
  name TEXT NOT NULL,
  digest TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  PRIMARY KEY (repository_id, name)
) WITHOUT ROWID;
CREATE INDEX tags_by_digest ON tags (repository_id, digest);
CREATE TABLE tag_events (                -- tag history: added (old NULL), moved, removed (new NULL)
  id INTEGER PRIMARY KEY,
  repository_id INTEGER NOT NULL REFERENCES repositories(id),
  tag TEXT NOT NULL,
  old_digest TEXT,
  new_digest TEXT,
  run_id INTEGER,
  at TEXT NOT NULL
);
CREATE INDEX tag_events_by_repository ON tag_events (repository_id, id);
CREATE TABLE documents (
  id INTEGER PRIMARY KEY,
  repository_id INTEGER NOT NULL REFERENCES repositories(id),
  digest TEXT NOT NULL,
  reference TEXT NOT NULL UNIQUE,       -- registry/repository@digest; default query order
  kind TEXT NOT NULL,
  format TEXT NOT NULL,
  subject TEXT,
  parent TEXT,                          -- digest of the index listing this child
  json TEXT NOT NULL,                   -- the whole normalized document
  values_truncated INTEGER NOT NULL DEFAULT 0,
  crawled_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  UNIQUE (repository_id, digest)
);
CREATE INDEX documents_by_parent ON documents (repository_id, parent);
CREATE TABLE referrers (                 -- referrer edges; embedded into the subject's json
  repository_id INTEGER NOT NULL REFERENCES repositories(id),
  subject TEXT NOT NULL,
  digest TEXT NOT NULL,
  artifact_type TEXT,
  kind TEXT NOT NULL,
  json TEXT NOT NULL,                   -- the ReferrerSummary
  PRIMARY KEY (repository_id, subject, digest)
) WITHOUT ROWID;
CREATE INDEX referrers_by_digest ON referrers (repository_id, digest);
CREATE TABLE paths (
  id INTEGER PRIMARY KEY,
  path TEXT NOT NULL UNIQUE             -- normalized JSONPath relative to a document
);
CREATE TABLE doc_values (                -- see values.ts for what rows a document yields
  doc_id INTEGER NOT NULL,
  path_id INTEGER NOT NULL,
  type INTEGER NOT NULL,                -- ValueType code
  value                                 -- no affinity: REAL/INTEGER for numbers, TEXT for strings
);
CREATE INDEX doc_values_lookup ON doc_values (path_id, type, value, doc_id);
CREATE INDEX doc_values_by_doc ON doc_values (doc_id);
CREATE TABLE crawl_runs (
  id INTEGER PRIMARY KEY,
  registry TEXT NOT NULL,
  params TEXT NOT NULL,                 -- JSON, never credentials
  status TEXT NOT NULL,                 -- running | succeeded | failed
  started_at TEXT NOT NULL,
  finished_at TEXT,
  summary TEXT                          -- JSON CrawlSummary
);
CREATE TABLE crawl_errors (
  id INTEGER PRIMARY KEY,
  run_id INTEGER,
  registry TEXT NOT NULL,
  repository TEXT,
  reference TEXT,
  code TEXT NOT NULL,
  message TEXT NOT NULL,
  at TEXT NOT NULL
);
CREATE INDEX crawl_errors_by_run ON crawl_errors (run_id);
CREATE INDEX crawl_errors_by_registry ON crawl_errors (registry, id);
CREATE INDEX crawl_runs_by_registry ON crawl_runs (registry, id);
`;

/**
 * v2 (service mode): registry configurations (never secrets: credentials are variable names),
 * and the live counts of a running crawl.
 */
const V2 = `
CREATE TABLE registry_configs (
  id TEXT PRIMARY KEY,                  -- the registry's slug in the API
  json TEXT NOT NULL,                   -- RegistryConfig, credentials as environment-variable names
  source TEXT NOT NULL CHECK (source IN ('file', 'api')),
  updated_at TEXT NOT NULL
);
ALTER TABLE crawl_runs ADD COLUMN progress TEXT;      -- JSON CrawlCounts so far, while running
ALTER TABLE crawl_runs ADD COLUMN progress_at TEXT;
`;

/**
 * v3: who works on a running crawl, so only a run whose owner is gone is marked aborted (not a
 * live CLI crawl seen by a starting `serve`): the owning process (JSON RunOwner: id, pid, host)
 * and the last time it said it is alive.
 */
const V3 = `
ALTER TABLE crawl_runs ADD COLUMN owner TEXT;         -- JSON RunOwner, null for runs of older versions
ALTER TABLE crawl_runs ADD COLUMN heartbeat_at TEXT;
`;

/**
 * v4 (trust): every referrer whose manifest was fetched, recorded once (content-addressed:
 * never fetched again), with the signature material verification needs; and the trust
 * policies in force, self-contained (keys, roots and CA certificates inline), so any process
 * that holds the index verifies the same way and a changed policy re-verifies from here.
 */
const V4 = `
CREATE TABLE referrer_records (
  repository_id INTEGER NOT NULL REFERENCES repositories(id),
  digest TEXT NOT NULL,
  summary TEXT NOT NULL,                -- ReferrerSummary without referrers, verification, material
  material TEXT,                        -- SignatureMaterial JSON (signatures only)
  PRIMARY KEY (repository_id, digest)
) WITHOUT ROWID;
CREATE TABLE trust_policies (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  hash TEXT NOT NULL,                   -- sha256 of json: a change re-verifies stored material
  json TEXT NOT NULL,                   -- TrustPolicy[]
  updated_at TEXT NOT NULL
);
`;

/**
 * v6 (queries): truncated documents are always query candidates, so finding them must not scan
 * `documents`; the index is partial, so it costs nothing while no document is truncated. Older
 * versions of the query engine created it at runtime, hence IF NOT EXISTS.
 */
const V6 = `
CREATE INDEX IF NOT EXISTS query_documents_truncated ON documents (id) WHERE values_truncated = 1;
`;

/** MIGRATIONS[i] upgrades from user_version i to i + 1. */
export const MIGRATIONS: readonly string[] = [
  V1,
  V2,
  V3,
  V4,
  TEXT_SEARCH_MIGRATION,
  V6,
  FACET_COUNTS_MIGRATION,
  FACET_COUNTS_TRIGGER_MIGRATION,
];
