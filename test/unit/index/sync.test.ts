import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { IndexStore } from '../../../src/index/index.js';
import { verifyIndex } from '../../../src/index/index.js';
import {
  AT, REGISTRY, REPOSITORY, applyCrawl, indexDocument, modelDocument, referrer, snapshot, storedDigests, tempIndexes, totalChanges,
} from './fixtures.js';
import type { TempIndexes } from './fixtures.js';

const LATER = '2025-03-02T10:00:00.000Z';
const v1 = modelDocument('v1');
const v2 = modelDocument('v2');

describe('IndexStore.syncRepository', () => {
  let temp: TempIndexes;
  let store: IndexStore;
  beforeEach(() => {
    temp = tempIndexes();
    store = temp.open();
  });
  afterEach(() => temp.cleanup());

  it('records added tags with their events and materializes them into documents', () => {
    const result = applyCrawl(store, { tags: { latest: v1, '1.0': v1 } });
    expect(result).toEqual({ tagsAdded: 2, tagsMoved: 0, tagsRemoved: 0, documentsRemoved: 0 });
    expect(store.getDocument(v1.reference)?.tags).toEqual(['1.0', 'latest']);
    expect(store.tagHistory(REGISTRY, REPOSITORY)).toEqual([
      { tag: '1.0', oldDigest: null, newDigest: v1.digest, at: AT },
      { tag: 'latest', oldDigest: null, newDigest: v1.digest, at: AT },
    ]);
    const state = store.getRepositoryState(REGISTRY, REPOSITORY);
    expect(state.tags).toEqual(new Map([['latest', v1.digest], ['1.0', v1.digest]]));
    expect(state.fingerprint).toBe(JSON.stringify([['1.0', v1.digest], ['latest', v1.digest]]));
  });

  it('moves a tag: both documents re-materialized, the event keeps old and new digests', () => {
    applyCrawl(store, { tags: { latest: v1, '1.0': v1 } });
    const result = applyCrawl(store, { tags: { latest: v2, '1.0': v1 }, at: LATER });
    expect(result).toEqual({ tagsAdded: 0, tagsMoved: 1, tagsRemoved: 0, documentsRemoved: 0 });
    expect(store.getDocument(v1.reference)?.tags).toEqual(['1.0']);
    expect(store.getDocument(v2.reference)?.tags).toEqual(['latest']);
    expect(store.tagHistory(REGISTRY, REPOSITORY).at(-1)).toEqual({ tag: 'latest', oldDigest: v1.digest, newDigest: v2.digest, at: LATER });
    expect(verifyIndex(store.db)).toEqual([]);
  });

  it('a removed tag leaves its document while other tags remain', () => {
    applyCrawl(store, { tags: { latest: v1, '1.0': v1 } });
    const result = applyCrawl(store, { tags: { '1.0': v1 }, at: LATER });
    expect(result).toEqual({ tagsAdded: 0, tagsMoved: 0, tagsRemoved: 1, documentsRemoved: 0 });
    expect(store.getDocument(v1.reference)?.tags).toEqual(['1.0']);
    expect(store.tagHistory(REGISTRY, REPOSITORY).at(-1)).toEqual({ tag: 'latest', oldDigest: v1.digest, newDigest: null, at: LATER });
  });

  it('removes a document whose last tag is gone, with its values', () => {
    applyCrawl(store, { tags: { '1.0': v1, '2.0': v2 } });
    const result = applyCrawl(store, { tags: { '2.0': v2 }, at: LATER });
    expect(result.documentsRemoved).toBe(1);
    expect(store.getDocument(v1.reference)).toBeNull();
    expect(storedDigests(store)).toEqual([v2.digest]);
    expect(verifyIndex(store.db)).toEqual([]);
    expect(store.db.prepare('SELECT count(*) FROM doc_values WHERE doc_id NOT IN (SELECT id FROM documents)').pluck().get()).toBe(0);
  });

  it('records the run id on tag events and the fingerprint with crawled_at last', () => {
    const runId = store.startRun(REGISTRY, {});
    applyCrawl(store, { tags: { latest: v1 }, runId });
    expect(store.db.prepare('SELECT run_id FROM tag_events').pluck().all()).toEqual([runId]);
    expect(store.db.prepare('SELECT crawled_at FROM repositories').pluck().get()).toBe(AT);
  });

  it('applying the same crawl twice changes nothing but the watermark', () => {
    const child = modelDocument('child', { parent: null });
    const parent = indexDocument('parent', [child]);
    const crawl = {
      tags: { latest: v1, '1.0': v1, multi: parent },
      documents: [{ ...child, parent: parent.digest }],
      referrers: { [v1.digest]: [referrer('sig', 'signature'), referrer('sbom', 'sbom')] },
    };
    applyCrawl(store, crawl);
    const before = snapshot(store.db);
    const changes = totalChanges(store.db);
    const result = applyCrawl(store, crawl);
    expect(result).toEqual({ tagsAdded: 0, tagsMoved: 0, tagsRemoved: 0, documentsRemoved: 0 });
    expect(snapshot(store.db)).toEqual(before);
    expect(totalChanges(store.db) - changes).toBe(1); // the repositories row: fingerprint + crawled_at
    expect(verifyIndex(store.db)).toEqual([]);
  });

  it('heals a document put with tags the repository no longer has', () => {
    applyCrawl(store, { tags: { latest: v1 } });
    const child = modelDocument('orphan-child', { parent: v1.digest, tags: ['stale'] });
    store.putDocuments([child]);
    expect(store.getDocument(child.reference)?.tags).toEqual(['stale']);
    applyCrawl(store, { tags: { latest: v1 }, at: LATER });
    expect(store.getDocument(child.reference)?.tags).toEqual([]);
    expect(verifyIndex(store.db)).toEqual([]);
  });
});

describe('garbage collection', () => {
  let temp: TempIndexes;
  let store: IndexStore;
  beforeEach(() => {
    temp = tempIndexes();
    store = temp.open();
  });
  afterEach(() => temp.cleanup());

  const amd64 = modelDocument('amd64');
  const arm64 = modelDocument('arm64');
  const multi = indexDocument('multi', [amd64, arm64]);
  const children = [amd64, arm64].map((child) => ({ ...child, parent: multi.digest }));

  it('keeps untagged index children while the index lives and removes them with it', () => {
    applyCrawl(store, { tags: { latest: multi, solo: v1 }, documents: children });
    expect(storedDigests(store)).toEqual([amd64.digest, arm64.digest, multi.digest, v1.digest].sort());
    const result = applyCrawl(store, { tags: { solo: v1 }, at: LATER });
    expect(result.documentsRemoved).toBe(3);
    expect(storedDigests(store)).toEqual([v1.digest]);
  });

  it('keeps a child listed by a live index even when its parent column names a dead one', () => {
    const other = indexDocument('other', [amd64]);
    applyCrawl(store, { tags: { a: multi, b: other }, documents: children });
    applyCrawl(store, { tags: { b: other }, at: LATER });
    expect(storedDigests(store)).toEqual([amd64.digest, other.digest].sort());
  });

  it('keeps referrer targets of a live document, nested ones too, and drops them with it', () => {
    const sbom = modelDocument('sbom', { kind: 'artifact', format: 'artifact', subject: v1.digest });
    const signatureOnSbom = modelDocument('sig-on-sbom', { kind: 'artifact', format: 'artifact', subject: sbom.digest });
    const crawl = {
      tags: { latest: v1 },
      documents: [sbom, signatureOnSbom],
      referrers: { [v1.digest]: [referrer('sbom', 'sbom', [referrer('sig-on-sbom', 'signature')])] },
    };
    applyCrawl(store, crawl);
    expect(storedDigests(store)).toEqual([v1.digest, sbom.digest, signatureOnSbom.digest].sort());
    const result = applyCrawl(store, { tags: { other: v2 }, at: LATER });
    expect(result.documentsRemoved).toBe(3);
    expect(storedDigests(store)).toEqual([v2.digest]);
    expect(store.db.prepare('SELECT count(*) FROM referrers').pluck().get()).toBe(0);
  });

  it('does not keep a document only because its subject field names a live one', () => {
    const stray = modelDocument('stray', { kind: 'artifact', format: 'artifact', subject: v1.digest });
    applyCrawl(store, { tags: { latest: v1 }, documents: [stray] });
    expect(store.hasDocument(REGISTRY, REPOSITORY, stray.digest)).toBe(false);
  });

  it('only collects the synced repository', () => {
    const elsewhere = modelDocument('elsewhere', { repository: 'models/other' });
    store.putDocuments([elsewhere]);
    applyCrawl(store, { tags: { latest: v1 } });
    expect(store.hasDocument(REGISTRY, 'models/other', elsewhere.digest)).toBe(true);
  });
});
