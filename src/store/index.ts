/**
 * The store of the index (the documents ocidex answers from, in a SQLite file or a PostgreSQL
 * database): the only module that talks to the database. Open it with `openIndex`; the query
 * engine reads `IndexStore.db` (tables in schema.ts and pg/pg-schema.ts, typed values in
 * values.ts, where the dialects differ in dialect.ts). Named `store` so "index" means an OCI image index.
 */
export { openIndex, IndexStore } from './store.js';
export type { RepositoryState, TagEvent } from './store.js';
export type { SyncInput, SyncResult } from './sync-repository.js';
export type { CrawlRunRecord, ErrorFilter } from './crawl-runs.js';
export type { RegistryConfigSource, StoredRegistryConfig } from './registry-configs.js';
export { verifyIndex } from './verify.js';
export { copyIndex, type CopyOptions, type TableCount } from './copy-index.js';
export { BUSY_TIMEOUT_MS } from './database.js';
export { toIndexError } from './index-errors.js';
export { ownerAlive, PROCESS_OWNER, RUN_LEASE_MS, type RunOwner } from './run-owner.js';
export { SCHEMA_VERSION } from './schema.js';
export type { ReferrerRecord } from './trust-records.js';
export { dataVersionOf } from './data-version.js';
export { countFacetPaths, MAX_COUNTED_PATHS, MAX_COUNTED_VALUES } from './facet-counts.js';
export { type Dialect, dialectOf } from './dialect.js';
export type { DialectName, SqlDatabase, SqlStatement } from './sql-port.js';
export { SqliteDatabase } from './sqlite-database.js';
export { PgDatabase } from './pg/pg-database.js';
export { isPostgresUrl } from './pg/open-pg.js';
