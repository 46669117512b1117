/**
 * The store of the index (the SQLite file of documents ocidex answers from): the only module
 * that touches SQLite. Open it with `openIndex`; the query engine reads `IndexStore.db` (tables
 * in schema.ts, typed values in values.ts). Named `store` so "index" means an OCI image index.
 */
export { openIndex, IndexStore } from './store.js';
export type { RepositoryState, TagEvent } from './store.js';
export type { SyncInput, SyncResult } from './sync-repository.js';
export type { CrawlRunRecord, ErrorFilter } from './crawl-runs.js';
export type { RegistryConfigSource, StoredRegistryConfig } from './registry-configs.js';
export { verifyIndex } from './verify.js';
export { BUSY_TIMEOUT_MS } from './database.js';
export { toIndexError } from './index-errors.js';
export { ownerAlive, PROCESS_OWNER, RUN_LEASE_MS, type RunOwner } from './run-owner.js';
export { SCHEMA_VERSION } from './schema.js';
export type { ReferrerRecord } from './trust-records.js';
