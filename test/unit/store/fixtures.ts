import { afterEach, beforeEach } from 'vitest';
/** Test helpers for the index: temp databases, real-shaped documents, table snapshots. */
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type Database from 'better-sqlite3';
import type { ArtifactDocument, ReferrerSummary } from '../../../src/domain/document.js';
import { documentReference } from '../../../src/domain/document.js';
import { type IndexStore, openIndex, type SyncResult } from '../../../src/store/index.js';

export const REGISTRY = 'registry.test:5000';
export const REPOSITORY = 'models/llm';
export const AT = '2025-03-01T10:00:00.000Z';

export interface TempIndexes {
  path: string;
  open: (options?: { readonly?: boolean }) => IndexStore;
  /** Closes every store opened through `open` and removes the directory. */
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

/** A temp directory per test, under os.tmpdir(). */
export function tempIndexes(): TempIndexes {
  const directory = mkdtempSync(join(tmpdir(), 'ocidex-index-'));
  const path = join(directory, 'index.db');
  const stores: IndexStore[] = [];
  return {
    path,
    open: (options) => {
      const store = openIndex(path, options);
      stores.push(store);
      return store;
    },
    cleanup: () => {
      for (const store of stores) store.close();
      rmSync(directory, { recursive: true, force: true });
    },
  };
}

/** A stable sha256 digest named after `label`. */
export function digestOf(label: string): string {
  return `sha256:${createHash('sha256').update(label).digest('hex')}`;
}

/** A modelpack-like model document; `overrides` may change anything. */
export function modelDocument(label: string, overrides: Partial<ArtifactDocument> = {}): ArtifactDocument {
  const registry = overrides.registry ?? REGISTRY;
  const repository = overrides.repository ?? REPOSITORY;
  const digest = overrides.digest ?? digestOf(label);
  return {
    reference: documentReference(registry, repository, digest),
    registry,
    repository,
    digest,
    tags: [],
    mediaType: 'application/vnd.oci.image.manifest.v1+json',
    artifactType: 'application/vnd.cncf.model.manifest.v1+json',
    kind: 'model',
    format: 'modelpack',
    annotations: { 'org.opencontainers.image.title': label, 'org.cncf.model.metrics+json': { accuracy: 0.91 } },
    config: { descriptor: { name: label, version: '1.0' }, config: { paramSize: '8b', format: 'safetensors' } },
    layers: [
      {
        mediaType: 'application/vnd.cncf.model.weight.v1.raw',
        digest: digestOf(`${label}/weights`),
        size: 4096,
        title: 'model.safetensors',
        annotations: {},
      },
    ],
    manifests: [],
    size: 5000,
    model: {
      name: label,
      version: '1.0',
      license: 'Apache-2.0',
      licenses: ['Apache-2.0'],
      licenseRaw: 'Apache-2.0',
      format: 'safetensors',
      framework: null,
      base: null,
      architecture: 'transformer',
      family: 'llama',
      paramSize: '8b',
      precision: 'bf16',
      quantization: null,
      authors: ['ocidex tests'],
      description: `the ${label} model`,
      uri: null,
      created: '2025-01-01T00:00:00Z',
      metrics: { accuracy: 0.91 },
    },
    mount: { imageVolume: false, artifactVolume: false, reason: 'not_an_image_config' },
    subject: null,
    parent: null,
    platform: null,
    referrers: [],
    signed: false,
    verified: false,
    signers: [],
    crawledAt: AT,
    ...overrides,
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
export function referrer(label: string, kind: ReferrerSummary['kind'], nested: ReferrerSummary[] = []): ReferrerSummary {
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
export function totalChanges(db: Database.Database): number {
  return db.prepare<[], number>('SELECT total_changes()').pluck().get() ?? 0;
}

/** Digests of the documents stored, sorted. */
export function storedDigests(store: IndexStore): string[] {
  return [...store.iterateDocuments()].map((document) => document.digest).sort();
}
