/**
 * IndexStore: the one owner of the index (SQLite or PostgreSQL): documents, tags, referrers and
 * trust, over the runs of store-runs.ts and the connection of store-base.ts. Every write method is
 * one write transaction; reads use statements prepared once in the constructor.
 */
import { documentReference, type ArtifactDocument, type MountInfo, type ReferrerSummary } from '../domain/document.js';
import type { SignatureMaterial, TrustPolicy } from '../domain/trust.js';
import { now } from './context.js';
import { openDatabase } from './database.js';
import { deleteDocument } from './delete-document.js';
import { knownReferrers, rematerialize } from './materialize.js';
import { putDocument } from './put-document.js';
import { replaceEdges } from './referrers.js';
import { ensureRegistry, ensureRepository, findRepositoryId } from './repositories.js';
import { setTag } from './set-tag.js';
import { StoreRuns } from './store-runs.js';
import * as trust from './trust-records.js';
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
export class IndexStore extends StoreRuns {
  /** Whether the registry's referrers API works (true), needs the tag-schema fallback (false), or is unknown. */
  getReferrersApi(registry: string): boolean | null {
    const value = this.context.statements.selectRegistry.get(registry)?.referrersApi;
    return value === undefined || value === null ? null : value === 1;
  }

  /** Records whether the registry's referrers API works. */
  setReferrersApi(registry: string, value: boolean): void {
    this.write(() => {
      const id = ensureRegistry(this.context, registry, now());
      this.context.statements.updateReferrersApi.run(value ? 1 : 0, id);
    });
  }

  /** The subjects that list `digest` among their referrers (an SBOM's model, say). */
  subjectsOf(registry: string, repository: string, digest: string): string[] {
    const row = this.context.statements.selectRepository.get(registry, repository);
    return row === undefined ? [] : this.context.statements.selectSubjectsOfReferrer.all(row.id, digest);
  }

  /** The fingerprint and tags recorded for a repository (empty when never synced). */
  getRepositoryState(registry: string, repository: string): RepositoryState {
    const { selectRepository, selectTags } = this.context.statements;
    const row = selectRepository.get(registry, repository);
    if (row === undefined) return { fingerprint: null, tags: new Map() };
    return {
      fingerprint: row.fingerprint,
      tags: new Map(selectTags.all(row.id).map((tag) => [tag.name, tag.digest])),
    };
  }

  /** Names of the registry's known repositories, sorted. */
  listRepositories(registry: string): string[] {
    return this.context.statements.listRepositories.all(registry);
  }

  /** Whether the document `digest` is indexed (a known digest is never fetched again). */
  hasDocument(registry: string, repository: string, digest: string): boolean {
    const repositoryId = findRepositoryId(this.context, registry, repository);
    if (repositoryId === null) return false;
    return this.context.statements.selectDocumentRow.get(repositoryId, digest) !== undefined;
  }

  /**
   * The stored document's mount, or null when it is not indexed (or was indexed before
   * documents carried `mount`: unknown, never guessed).
   */
  mountOf(registry: string, repository: string, digest: string): MountInfo | null {
    return this.getDocument(documentReference(registry, repository, digest))?.mount ?? null;
  }

  /**
   * Upserts documents in one transaction, with the attachments the index knows (see
   * put-document.ts); a document whose JSON is byte-identical to the stored one is not rewritten.
   * Returns how many rows were written.
   */
  putDocuments(documents: readonly ArtifactDocument[]): number {
    return this.write(() => {
      const repositories = new Map<string, number>();
      let written = 0;
      for (const document of documents) {
        const key = `${document.registry}\u0000${document.repository}`;
        let repositoryId = repositories.get(key);
        if (repositoryId === undefined) {
          repositoryId = ensureRepository(this.context, document.registry, document.repository, document.crawledAt);
          repositories.set(key, repositoryId);
        }
        if (putDocument(this.context, repositoryId, document)) written += 1;
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
    this.write(() => {
      const at = now();
      const repositoryId = ensureRepository(this.context, registry, repository, at);
      trust.putReferrerRecords(this.context, repositoryId, records);
      replaceEdges(this.context, repositoryId, subject, referrers);
      rematerialize(this.context, repositoryId, subject, at);
    });
  }

  /** The summary a referrer was recorded with (its manifest is never fetched again), or null. */
  knownReferrer(registry: string, repository: string, digest: string): ReferrerSummary | null {
    return trust.knownReferrer(this.context, registry, repository, digest);
  }

  /** Every referrer recorded in a repository, as digest -> summary. */
  knownReferrersOf(registry: string, repository: string): Array<[string, ReferrerSummary]> {
    return trust.knownReferrersOf(this.context, registry, repository);
  }

  /** The signature material recorded for a referrer, or null. */
  referrerMaterial(registry: string, repository: string, digest: string): SignatureMaterial | null {
    const repositoryId = findRepositoryId(this.context, registry, repository);
    return repositoryId === null ? null : trust.referrerMaterial(this.context, repositoryId, digest);
  }

  /** Every subject that has referrer edges, as `[registry, repository, subject, referrers]`. */
  *iterateReferrerSubjects(): IterableIterator<[string, string, string, ReferrerSummary[]]> {
    const subjects = this.context.statements.selectSubjectsWithEdges.all();
    for (const { registry, repository, subject } of subjects) {
      const repositoryId = findRepositoryId(this.context, registry, repository);
      if (repositoryId !== null)
        yield [registry, repository, subject, knownReferrers(this.context, repositoryId, subject)];
    }
  }

  /** The trust policies in force (none stored: none) and the hash they were stored with. */
  trustPolicies(): { hash: string | null; policies: TrustPolicy[] } {
    return trust.readTrust(this.context);
  }

  /** Stores the trust policies in force under `hash`. */
  setTrustPolicies(hash: string, policies: readonly TrustPolicy[]): void {
    this.write(() => this.context.statements.upsertTrust.run(hash, JSON.stringify(policies), now()));
  }

  /**
   * In one transaction: makes the tags table equal `input.tags` (recording tag_events),
   * re-materializes the documents whose tags changed, removes documents no longer live
   * (collect-garbage.ts), then records the fingerprint.
   */
  syncRepository(input: SyncInput): SyncResult {
    return this.write(() => {
      const repositoryId = ensureRepository(this.context, input.registry, input.repository, input.at);
      return syncRepository(this.context, repositoryId, input);
    });
  }

  /** Removes a document deleted from the registry (see delete-document.ts); true when it was indexed. */
  deleteDocument(registry: string, repository: string, digest: string): boolean {
    return this.write(() => {
      const repositoryId = findRepositoryId(this.context, registry, repository);
      return repositoryId !== null && deleteDocument(this.context, repositoryId, digest, now());
    });
  }

  /**
   * Points `tag` of a repository at `digest` (a push event), recording a tag_event and
   * re-materializing the documents' `tags`; idempotent. Returns true when the tag changed.
   */
  setTag(registry: string, repository: string, tag: string, digest: string, at: string = now()): boolean {
    return this.write(() => {
      const repositoryId = ensureRepository(this.context, registry, repository, at);
      return setTag(this.context, repositoryId, tag, digest, at);
    });
  }

  /** The document `registry/repository@digest`, or null. */
  getDocument(reference: string): ArtifactDocument | null {
    const json = this.context.statements.selectDocumentByReference.get(reference);
    return json === undefined ? null : (JSON.parse(json) as ArtifactDocument);
  }

  /** The document a tag or digest of the repository points at, or null. */
  findDocuments(registry: string, repository: string, reference: string): ArtifactDocument | null {
    const { selectTag, selectDocumentRow } = this.context.statements;
    const repositoryId = findRepositoryId(this.context, registry, repository);
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
    for (const json of this.context.statements.selectAllDocuments.iterate()) {
      yield JSON.parse(json) as ArtifactDocument;
    }
  }

  /** How many documents the index holds. */
  countDocuments(): number {
    return this.context.statements.countDocuments.get() ?? 0;
  }

  /** How many documents have a verified signature. */
  countVerifiedDocuments(): number {
    return this.context.statements.countVerifiedDocuments.get() ?? 0;
  }

  /** Every tag change of a repository, oldest first. */
  tagHistory(registry: string, repository: string): TagEvent[] {
    const repositoryId = findRepositoryId(this.context, registry, repository);
    return repositoryId === null ? [] : this.context.statements.selectTagEvents.all(repositoryId);
  }
}
