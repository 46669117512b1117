/** Test helpers for the store: temp databases, real-shaped documents (test/support/documents.ts), table snapshots. */
import { afterEach, beforeEach } from 'vitest';
import type { SqlDatabase } from '../../../src/store/index.js';
import type { ArtifactDocument, ReferrerSummary } from '../../../src/domain/document.js';
import { AT, digestOf, modelDocument, REGISTRY, REPOSITORY } from '../../support/documents.js';
import { tempLocation } from '../../support/temp-index.js';
import { type IndexStore, openIndex, type SyncResult } from '../../../src/store/index.js';

export { AT, digestOf, modelDocument, REGISTRY, REPOSITORY } from '../../support/documents.js';

export interface TempIndexes {
  path: string;
  open: (options?: { readonly?: boolean }) => IndexStore;
  /** Closes every store opened through `open` and removes the index. */
  cleanup: () => void;
}

/** A fresh store in a temp directory for each test of the calling suite, removed after it. */
export function useTempStore(): { readonly temp: TempIndexes; readonly store: IndexStore } {
  const current = {} as { temp: TempIndexes; store: IndexStore };
  beforeEach(() => {
    current.temp = tempIndexes();
    current.store = current.temp.open();
  });
  afterEach(() => current.temp.cleanup());
  return current;
}

/** A fresh index per test in the backend under test (a temp file, or a fresh PostgreSQL database). */
export function tempIndexes(): TempIndexes {
  const location = tempLocation('index.db');
  const stores: IndexStore[] = [];
  return {
    path: location.path,
    open: (options) => {
      const store = openIndex(location.path, options);
      stores.push(store);
      return store;
    },
    cleanup: () => {
      for (const store of stores) store.close();
      location.remove();
    },
  };
}

/** An image index listing `children` (documents whose `parent` should be this index). */
export function indexDocument(label: string, children: readonly ArtifactDocument[]): ArtifactDocument {
  return modelDocument(label, {
    mediaType: 'application/vnd.oci.image.index.v1+json',
    artifactType: null,
    kind: 'index',
    format: 'oci-index',
    config: null,
    layers: [],
    model: null,
    manifests: children.map((child) => ({
      digest: child.digest,
      mediaType: child.mediaType,
      size: child.size,
      platform: { os: 'linux', architecture: 'amd64', variant: null },
    })),
  });
}

/** A referrer summary of `kind` for `label`. */
export function referrer(
  label: string,
  kind: ReferrerSummary['kind'],
  nested: ReferrerSummary[] = [],
): ReferrerSummary {
  return {
    digest: digestOf(label),
    mediaType: 'application/vnd.oci.image.manifest.v1+json',
    artifactType: kind === 'signature' ? 'application/vnd.dev.cosign.artifact.sig.v1+json' : 'application/spdx+json',
    kind,
    annotations: {},
    referrers: nested,
  };
}

export interface CrawlFixture {
  /** tag -> the document it points at */
  tags: Record<string, ArtifactDocument>;
  /** Untagged documents crawled too (index children, referrers). */
  documents?: ArtifactDocument[];
  /** subject digest -> its referrers */
  referrers?: Record<string, ReferrerSummary[]>;
  at?: string;
  runId?: number;
}

/** Applies one crawl of REPOSITORY as the crawl pipeline does: put, referrers, then sync. */
export function applyCrawl(store: IndexStore, crawl: CrawlFixture): SyncResult {
  const tags = new Map(Object.entries(crawl.tags).map(([tag, document]) => [tag, document.digest]));
  const tagsOf = (document: ArtifactDocument) => Object.keys(crawl.tags).filter((tag) => crawl.tags[tag] === document);
  const documents = [...new Set([...Object.values(crawl.tags), ...(crawl.documents ?? [])])];
  store.putDocuments(documents.map((document) => ({ ...document, tags: tagsOf(document) })));
  for (const [subject, summaries] of Object.entries(crawl.referrers ?? {})) {
    store.setReferrers(REGISTRY, REPOSITORY, subject, summaries);
  }
  return store.syncRepository({
    registry: REGISTRY,
    repository: REPOSITORY,
    tags,
    fingerprint: JSON.stringify([...tags].sort()),
    at: crawl.at ?? AT,
    runId: crawl.runId ?? null,
  });
}

export { snapshot } from '../../support/temp-index.js';

/** Total rows changed by this connection so far (sqlite3_total_changes). */
export function totalChanges(db: SqlDatabase): number {
  return db.prepare<[], number>('SELECT total_changes()').pluck().get() ?? 0;
}

/** Digests of the documents stored, sorted. */
export function storedDigests(store: IndexStore): string[] {
  return [...store.iterateDocuments()].map((document) => document.digest).sort();
}
