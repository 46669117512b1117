/**
 * IndexStore: the one owner of the SQLite index. Every write method is one IMMEDIATE transaction;
 * reads use statements prepared once in the constructor.
 */
import type { CrawlCounts, CrawlErrorRecord, CrawlSummary } from '../domain/crawl.js';
import { documentReference, type ArtifactDocument, type MountInfo, type ReferrerSummary } from '../domain/document.js';
import type { SignatureMaterial, TrustPolicy } from '../domain/trust.js';
import { type IndexContext, now } from './context.js';
import * as runs from './crawl-runs.js';
import { openDatabase } from './database.js';
import { dialectOf } from './dialect.js';
import { deleteDocument } from './delete-document.js';
import { releaseLead, tryLead } from './leader-lock.js';
import { knownReferrers, rematerialize } from './materialize.js';
import { PathInterner } from './paths.js';
import { putDocument } from './put-document.js';
import { RunKeeper } from './run-keeper.js';
import { replaceEdges } from './referrers.js';
import * as configs from './registry-configs.js';
import { ensureRegistry, ensureRepository, findRepositoryId } from './repositories.js';
import { setTag } from './set-tag.js';
import type { SqlDatabase } from './sql-port.js';
import { WriteTransactions } from './write-transaction.js';
import { writable } from './writable.js';
import * as trust from './trust-records.js';
import { prepareStatements } from './statements.js';
import { type SyncInput, type SyncResult, syncRepository } from './sync-repository.js';

/** A repository as last recorded: the level-1 watermark and every tag. */
export interface RepositoryState {
  fingerprint: string | null;
  /** tag -> digest */
  tags: Map<string, string>;
}

/** One tag change, oldest first: added (oldDigest null), moved, removed (newDigest null). */
export interface TagEvent {
  tag: string;
  oldDigest: string | null;
  newDigest: string | null;
  at: string;
}

/** A digest as in OCI image-spec descriptor.md#digests; anything else is a tag. */
const DIGEST = /^[a-z0-9]+(?:[+._-][a-z0-9]+)*:[a-zA-Z0-9=_-]+$/;

/**
 * Opens the index at `location`, a SQLite file path or a `postgres://` URL: created and migrated
 * unless `readonly`.
 */
export function openIndex(location: string, options: { readonly?: boolean } = {}): IndexStore {
  return new IndexStore(openDatabase(location, options.readonly === true));
}

/** The index. Create it with `openIndex`; one per process and database. */
export class IndexStore {
  /** The connection, for read-only use by the query engine (doc_values, paths, documents). */
  readonly db: SqlDatabase;
  readonly #context: IndexContext;
  readonly #writes: WriteTransactions;
  readonly #runs: RunKeeper;

  /** Takes over an open, migrated connection (see `openIndex`). */
  constructor(db: SqlDatabase) {
    this.db = db;
    const statements = prepareStatements(db);
    const paths = new PathInterner(statements);
    this.#context = { db, dialect: dialectOf(db.dialect), statements, paths };
    this.#writes = new WriteTransactions(db, paths);
    this.#runs = new RunKeeper({
      heartbeat: (owner) => this.#write(() => runs.heartbeatRuns(this.#context, owner, now())),
      finish: (runId, summary) => this.#write(() => runs.finishRun(this.#context, runId, summary)),
    });
  }

  /** Closes the connection (after a last try to write run ends that failed). */
  close(): void {
    if (!this.db.open) return;
    this.#runs.stop();
    this.db.close();
  }

  /** Whether the registry's referrers API works (true), needs the tag-schema fallback (false), or is unknown. */
  getReferrersApi(registry: string): boolean | null {
    const value = this.#context.statements.selectRegistry.get(registry)?.referrersApi;
    return value === undefined || value === null ? null : value === 1;
  }

  /** Records whether the registry's referrers API works. */
  setReferrersApi(registry: string, value: boolean): void {
    this.#write(() => {
      const id = ensureRegistry(this.#context, registry, now());
      this.#context.statements.updateReferrersApi.run(value ? 1 : 0, id);
    });
  }

  /** The subjects that list `digest` among their referrers (an SBOM's model, say). */
  subjectsOf(registry: string, repository: string, digest: string): string[] {
    const row = this.#context.statements.selectRepository.get(registry, repository);
    return row === undefined ? [] : this.#context.statements.selectSubjectsOfReferrer.all(row.id, digest);
  }

  /** The fingerprint and tags recorded for a repository (empty when never synced). */
  getRepositoryState(registry: string, repository: string): RepositoryState {
    const { selectRepository, selectTags } = this.#context.statements;
    const row = selectRepository.get(registry, repository);
    if (row === undefined) return { fingerprint: null, tags: new Map() };
    return {
      fingerprint: row.fingerprint,
      tags: new Map(selectTags.all(row.id).map((tag) => [tag.name, tag.digest])),
    };
  }

  /** Names of the registry's known repositories, sorted. */
  listRepositories(registry: string): string[] {
    return this.#context.statements.listRepositories.all(registry);
  }

  /** Whether the document `digest` is indexed (a known digest is never fetched again). */
  hasDocument(registry: string, repository: string, digest: string): boolean {
    const repositoryId = findRepositoryId(this.#context, registry, repository);
    if (repositoryId === null) return false;
    return this.#context.statements.selectDocumentRow.get(repositoryId, digest) !== undefined;
  }

  /**
   * The stored document's mount, or null when it is not indexed (or was indexed before
   * documents carried `mount`: unknown, never guessed).
   */
  mountOf(registry: string, repository: string, digest: string): MountInfo | null {
    return this.getDocument(documentReference(registry, repository, digest))?.mount ?? null;
  }

  /** Runs `work` in one write transaction: the writes it makes join it. */
  inBatch<T>(work: () => T): T {
    return this.#write(work);
  }

  /**
   * Upserts documents in one transaction, with the attachments the index knows (see
   * put-document.ts); a document whose JSON is byte-identical to the stored one is not rewritten.
   * Returns how many rows were written.
   */
  putDocuments(documents: readonly ArtifactDocument[]): number {
    return this.#write(() => {
      const repositories = new Map<string, number>();
      let written = 0;
      for (const document of documents) {
        const key = `${document.registry}\u0000${document.repository}`;
        let repositoryId = repositories.get(key);
        if (repositoryId === undefined) {
          repositoryId = ensureRepository(this.#context, document.registry, document.repository, document.crawledAt);
          repositories.set(key, repositoryId);
        }
        if (putDocument(this.#context, repositoryId, document)) written += 1;
      }
      return written;
    });
  }

  /**
   * Replaces the referrer edges of `subject` and re-materializes its document when indexed;
   * edges of a subject not indexed yet are applied when it is put.
   */
  setReferrers(
    registry: string,
    repository: string,
    subject: string,
    referrers: readonly ReferrerSummary[],
    records: readonly trust.ReferrerRecord[] = [],
  ): void {
    this.#write(() => {
      const at = now();
      const repositoryId = ensureRepository(this.#context, registry, repository, at);
      trust.putReferrerRecords(this.#context, repositoryId, records);
      replaceEdges(this.#context, repositoryId, subject, referrers);
      rematerialize(this.#context, repositoryId, subject, at);
    });
  }

  /** The summary a referrer was recorded with (its manifest is never fetched again), or null. */
  knownReferrer(registry: string, repository: string, digest: string): ReferrerSummary | null {
    return trust.knownReferrer(this.#context, registry, repository, digest);
  }

  /** Every referrer recorded in a repository, as digest -> summary. */
  knownReferrersOf(registry: string, repository: string): Array<[string, ReferrerSummary]> {
    return trust.knownReferrersOf(this.#context, registry, repository);
  }

  /** The signature material recorded for a referrer, or null. */
  referrerMaterial(registry: string, repository: string, digest: string): SignatureMaterial | null {
    const repositoryId = findRepositoryId(this.#context, registry, repository);
    return repositoryId === null ? null : trust.referrerMaterial(this.#context, repositoryId, digest);
  }

  /** Every subject that has referrer edges, as `[registry, repository, subject, referrers]`. */
  *iterateReferrerSubjects(): IterableIterator<[string, string, string, ReferrerSummary[]]> {
    const subjects = this.#context.statements.selectSubjectsWithEdges.all();
    for (const { registry, repository, subject } of subjects) {
      const repositoryId = findRepositoryId(this.#context, registry, repository);
      if (repositoryId !== null)
        yield [registry, repository, subject, knownReferrers(this.#context, repositoryId, subject)];
    }
  }

  /** The trust policies in force (none stored: none) and the hash they were stored with. */
  trustPolicies(): { hash: string | null; policies: TrustPolicy[] } {
    return trust.readTrust(this.#context);
  }

  /** Stores the trust policies in force under `hash`. */
  setTrustPolicies(hash: string, policies: readonly TrustPolicy[]): void {
    this.#write(() => this.#context.statements.upsertTrust.run(hash, JSON.stringify(policies), now()));
  }

  /**
   * In one transaction: makes the tags table equal `input.tags` (recording tag_events),
   * re-materializes the documents whose tags changed, removes documents no longer live
   * (collect-garbage.ts), then records the fingerprint.
   */
  syncRepository(input: SyncInput): SyncResult {
    return this.#write(() => {
      const repositoryId = ensureRepository(this.#context, input.registry, input.repository, input.at);
      return syncRepository(this.#context, repositoryId, input);
    });
  }

  /** Removes a document deleted from the registry (see delete-document.ts); true when it was indexed. */
  deleteDocument(registry: string, repository: string, digest: string): boolean {
    return this.#write(() => {
      const repositoryId = findRepositoryId(this.#context, registry, repository);
      return repositoryId !== null && deleteDocument(this.#context, repositoryId, digest, now());
    });
  }

  /**
   * Points `tag` of a repository at `digest` (a push event), recording a tag_event and
   * re-materializing the documents' `tags`; idempotent. Returns true when the tag changed.
   */
  setTag(registry: string, repository: string, tag: string, digest: string, at: string = now()): boolean {
    return this.#write(() => {
      const repositoryId = ensureRepository(this.#context, registry, repository, at);
      return setTag(this.#context, repositoryId, tag, digest, at);
    });
  }

  /**
   * Records a running crawl of `registry`, owned by this process (which renews its heartbeat);
   * returns the run id. `params` must not hold credentials.
   */
  startRun(registry: string, params: Record<string, unknown>): number {
    const runId = this.#write(() => runs.startRun(this.#context, registry, params, now(), this.#runs.owner));
    this.#runs.started();
    return runId;
  }

  /**
   * Records the summary and final status of a run. When the index cannot take it (full,
   * read-only), throws, and keeps it to write again on each heartbeat and at close.
   */
  finishRun(runId: number, summary: CrawlSummary): void {
    this.#runs.finish(runId, summary);
  }

  /**
   * Whether the index takes writes now (readiness): open, not readonly, and a real write (the
   * schema version set to itself, which rewrites the header) commits. A full disk, a read-only
   * file or `query_only` say false; another writer holding the lock (busy) says true, after a
   * short wait only (a probe must answer fast).
   */
  writable(): boolean {
    return writable(this.db, (work) => this.#write(work));
  }

  /**
   * Whether this process leads under `name` among the processes sharing the index, taking the
   * lead when it is free (see leader-lock.ts): on PostgreSQL a session advisory lock, released
   * when this process or its connection goes; on SQLite always true. Throws `index_unavailable`
   * when the database cannot be reached (then nobody can be sure to lead).
   */
  tryLead(name: string): boolean {
    return tryLead(this.db, name);
  }

  /** Gives up the lead under `name` before closing; false when this process did not lead. */
  releaseLead(name: string): boolean {
    return releaseLead(this.db, name);
  }

  /** Writes the run ends kept after a failed `finishRun` that the index now takes; returns their ids. */
  retryRunEnds(): number[] {
    return this.#runs.retryPending();
  }

  /** Records the counts so far of a running crawl (see `getRun`); false when it is not running. */
  updateRunProgress(runId: number, counts: CrawlCounts): boolean {
    return this.#write(() => runs.updateRunProgress(this.#context, runId, counts, now()));
  }

  /**
   * Adds to the counts so far of a running crawl, exactly under concurrent writers (the run's row
   * is read and written in one write transaction); false when it is not running.
   */
  addRunProgress(runId: number, add: (counts: CrawlCounts | null) => CrawlCounts): boolean {
    return this.#write(() => runs.addRunProgress(this.#context, runId, add, now()));
  }

  /** Stores every error given (the crawl caps them), in one transaction. */
  recordErrors(runId: number | null, errors: readonly CrawlErrorRecord[]): void {
    if (errors.length > 0) this.#write(() => runs.recordErrors(this.#context, runId, errors));
  }

  /** The tag changes a run recorded in the tag history (exact even when a sync was applied twice). */
  tagChangesOfRun(runId: number): runs.TagChanges {
    return runs.tagChangesOfRun(this.#context, runId);
  }

  /** Stored errors of a run, counted by code. */
  errorCountsOfRun(runId: number): Record<string, number> {
    const counts: Record<string, number> = {};
    for (const row of this.#context.statements.countErrorsOfRun.all(runId)) counts[row.code] = row.count;
    return counts;
  }

  /** Stored errors, oldest first, filtered by run and/or registry. */
  listErrors(filter: runs.ErrorFilter = {}): CrawlErrorRecord[] {
    return runs.listErrors(this.#context, filter);
  }

  /** One crawl run, or null; a running one shows the counts last reported (`updateRunProgress`). */
  getRun(runId: number): runs.CrawlRunRecord | null {
    return runs.getRun(this.#context, runId);
  }

  /** Crawl runs, newest first. */
  listRuns(filter: { registry?: string; limit?: number } = {}): runs.CrawlRunRecord[] {
    return runs.listRuns(this.#context, filter);
  }

  /** The document `registry/repository@digest`, or null. */
  getDocument(reference: string): ArtifactDocument | null {
    const json = this.#context.statements.selectDocumentByReference.get(reference);
    return json === undefined ? null : (JSON.parse(json) as ArtifactDocument);
  }

  /** The document a tag or digest of the repository points at, or null. */
  findDocuments(registry: string, repository: string, reference: string): ArtifactDocument | null {
    const { selectTag, selectDocumentRow } = this.#context.statements;
    const repositoryId = findRepositoryId(this.#context, registry, repository);
    if (repositoryId === null) return null;
    const digest = DIGEST.test(reference) ? reference : selectTag.get(repositoryId, reference);
    const row = digest === undefined ? undefined : selectDocumentRow.get(repositoryId, digest);
    return row === undefined ? null : (JSON.parse(row.json) as ArtifactDocument);
  }

  /**
   * Every document ordered by reference, streamed. The connection is busy until the iteration
   * ends: finish (or `return()`) it before calling other methods.
   */
  *iterateDocuments(): IterableIterator<ArtifactDocument> {
    for (const json of this.#context.statements.selectAllDocuments.iterate()) {
      yield JSON.parse(json) as ArtifactDocument;
    }
  }

  /** How many documents the index holds. */
  countDocuments(): number {
    return this.#context.statements.countDocuments.get() ?? 0;
  }

  /** How many documents have a verified signature. */
  countVerifiedDocuments(): number {
    return this.#context.statements.countVerifiedDocuments.get() ?? 0;
  }

  /** Every tag change of a repository, oldest first. */
  tagHistory(registry: string, repository: string): TagEvent[] {
    const repositoryId = findRepositoryId(this.#context, registry, repository);
    return repositoryId === null ? [] : this.#context.statements.selectTagEvents.all(repositoryId);
  }

  /** Stored registry configurations (service mode), ordered by id. */
  listRegistryConfigs(): configs.StoredRegistryConfig[] {
    return configs.listRegistryConfigs(this.#context);
  }

  /** The stored registry configuration `id`, or null. */
  getRegistryConfig(id: string): configs.StoredRegistryConfig | null {
    return configs.getRegistryConfig(this.#context, id);
  }

  /**
   * Stores a registry configuration (never secrets). With `replace` false it is written only
   * when `id` is free; returns true when written.
   */
  putRegistryConfig(stored: Omit<configs.StoredRegistryConfig, 'updatedAt'>, options: { replace: boolean }): boolean {
    return this.#write(() => configs.writeRegistryConfig(this.#context, stored, now(), options.replace));
  }

  /** Removes the registry configuration `id` (not its documents); false when unknown. */
  deleteRegistryConfig(id: string): boolean {
    return this.#write(() => this.#context.statements.deleteRegistryConfig.run(id).changes > 0);
  }

  #write<T>(work: () => T): T {
    return this.#writes.run(work);
  }
}
