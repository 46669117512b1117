/**
 * The tables an index copy carries (`copy-index.ts`), in dependency order: a row is copied after
 * the rows it refers to, with its id, so references between tables (repository_id, doc_id,
 * path_id, run_id) stay valid. Columns are those of both schemas (schema.ts, pg/pg-schema.ts);
 * `doc_values` differs (SQLite's `value`, PostgreSQL's `num`/`str`) and is spelled per dialect in
 * copy-index.ts. `doc_text` and `facet_counts` are not copied: the target's triggers fill them
 * (`facet_paths` comes before `doc_values`, so the copied values are counted as they arrive).
 */

export interface CopiedTable {
  readonly name: string;
  /** Columns both backends have, in insert order (`doc_values`: the typed value comes after these). */
  readonly columns: readonly string[];
  /** An `id` the database generates (an identity column on PostgreSQL, whose sequence is moved past the copy). */
  readonly identity: boolean;
}

const table = (name: string, columns: string, identity = false): CopiedTable => ({
  name,
  columns: columns.split(/,\s*/),
  identity,
});

/** Dependency order; `copyIndex` deletes (`replace`) in the reverse order. */
export const COPIED_TABLES: readonly CopiedTable[] = [
  table('registries', 'id, name, referrers_api, created_at', true),
  table('repositories', 'id, registry_id, name, fingerprint, crawled_at', true),
  table('tags', 'repository_id, name, digest, updated_at'),
  table('tag_events', 'id, repository_id, tag, old_digest, new_digest, run_id, at', true),
  table(
    'documents',
    'id, repository_id, digest, reference, kind, format, subject, parent, json, values_truncated, crawled_at, updated_at',
    true,
  ),
  table('paths', 'id, path', true),
  table('facet_paths', 'path_id, counted_at'),
  table('doc_values', 'doc_id, path_id, type'),
  table('referrers', 'repository_id, subject, digest, artifact_type, kind, json'),
  table('referrer_records', 'repository_id, digest, summary, material'),
  table(
    'crawl_runs',
    'id, registry, params, status, started_at, finished_at, summary, progress, progress_at, owner, heartbeat_at',
    true,
  ),
  table('crawl_errors', 'id, run_id, registry, repository, reference, code, message, at', true),
  table('registry_configs', 'id, json, source, updated_at'),
  table('trust_policies', 'id, hash, json, updated_at'),
];

/** The table whose value columns differ between the backends. */
export const VALUES_TABLE = 'doc_values';
