import { describe, expect, it } from 'vitest';
import { verifyIndex } from '../../../src/store/index.js';
import {
  AT,
  REGISTRY,
  REPOSITORY,
  applyCrawl,
  indexDocument,
  modelDocument,
  referrer,
  snapshot,
  storedDigests,
  totalChanges,
  useTempStore,
} from './fixtures.js';

const LATER = '2025-03-02T10:00:00.000Z';
const v1 = modelDocument('v1');
const v2 = modelDocument('v2');

describe('IndexStore.syncRepository', () => {
  const setup = useTempStore();

  it('records added tags with their events and materializes them into documents', () => {
    const result = applyCrawl(setup.store, { tags: { latest: v1, '1.0': v1 } });
    expect(result).toEqual({ tagsAdded: 2, tagsMoved: 0, tagsRemoved: 0, documentsRemoved: 0 });
    expect(setup.store.getDocument(v1.reference)?.tags).toEqual(['1.0', 'latest']);
    expect(setup.store.tagHistory(REGISTRY, REPOSITORY)).toEqual([
      { tag: '1.0', oldDigest: null, newDigest: v1.digest, at: AT },
      { tag: 'latest', oldDigest: null, newDigest: v1.digest, at: AT },
    ]);
    const state = setup.store.getRepositoryState(REGISTRY, REPOSITORY);
    expect(state.tags).toEqual(
      new Map([
        ['latest', v1.digest],
        ['1.0', v1.digest],
      ]),
    );
    expect(state.fingerprint).toBe(
      JSON.stringify([
        ['1.0', v1.digest],
        ['latest', v1.digest],
      ]),
    );
  });

  it('moves a tag: both documents re-materialized, the event keeps old and new digests', () => {
    applyCrawl(setup.store, { tags: { latest: v1, '1.0': v1 } });
    const result = applyCrawl(setup.store, { tags: { latest: v2, '1.0': v1 }, at: LATER });
    expect(result).toEqual({ tagsAdded: 0, tagsMoved: 1, tagsRemoved: 0, documentsRemoved: 0 });
    expect(setup.store.getDocument(v1.reference)?.tags).toEqual(['1.0']);
    expect(setup.store.getDocument(v2.reference)?.tags).toEqual(['latest']);
    expect(setup.store.tagHistory(REGISTRY, REPOSITORY).at(-1)).toEqual({
      tag: 'latest',
      oldDigest: v1.digest,
      newDigest: v2.digest,
      at: LATER,
    });
    expect(verifyIndex(setup.store.db)).toEqual([]);
  });

  it('a removed tag leaves its document while other tags remain', () => {
    applyCrawl(setup.store, { tags: { latest: v1, '1.0': v1 } });
    const result = applyCrawl(setup.store, { tags: { '1.0': v1 }, at: LATER });
    expect(result).toEqual({ tagsAdded: 0, tagsMoved: 0, tagsRemoved: 1, documentsRemoved: 0 });
    expect(setup.store.getDocument(v1.reference)?.tags).toEqual(['1.0']);
    expect(setup.store.tagHistory(REGISTRY, REPOSITORY).at(-1)).toEqual({
      tag: 'latest',
      oldDigest: v1.digest,
      newDigest: null,
      at: LATER,
    });
  });

  it('removes a document whose last tag is gone, with its values', () => {
    applyCrawl(setup.store, { tags: { '1.0': v1, '2.0': v2 } });
    const result = applyCrawl(setup.store, { tags: { '2.0': v2 }, at: LATER });
    expect(result.documentsRemoved).toBe(1);
    expect(setup.store.getDocument(v1.reference)).toBeNull();
    expect(storedDigests(setup.store)).toEqual([v2.digest]);
    expect(verifyIndex(setup.store.db)).toEqual([]);
    expect(
      setup.store.db
        .prepare('SELECT count(*) FROM doc_values WHERE doc_id NOT IN (SELECT id FROM documents)')
        .pluck()
        .get(),
    ).toBe(0);
  });

  it('syncs and collects a repository whose documents hold lone surrogates and U+0000, in keys too', () => {
    // JSON.stringify writes these as escapes that PostgreSQL's json type refuses to read.
    const text = 'lone \ud800 \udfff nul \u0000 pair \u{1f600}';
    const note = { 'org.example.note': text, [`key ${text}`]: 'value' };
    const odd = { ...indexDocument('odd', [v1]), annotations: note };
    applyCrawl(setup.store, { tags: { odd: odd, '2.0': v2 }, documents: [v1] });
    expect(storedDigests(setup.store)).toEqual([odd.digest, v1.digest, v2.digest].sort());
    const result = applyCrawl(setup.store, { tags: { '2.0': v2 }, at: LATER });
    expect(result.documentsRemoved).toBe(2);
    expect(storedDigests(setup.store)).toEqual([v2.digest]);
    applyCrawl(setup.store, { tags: { odd: odd, '2.0': v2 }, documents: [v1], at: LATER });
    expect(setup.store.getDocument(odd.reference)?.annotations).toEqual(note);
    expect(setup.store.countVerifiedDocuments()).toBe(0);
    // No verifyIndex here: the paths table holds keys as UTF-8 text, where a lone surrogate is
    // U+FFFD (lookups map the same way, and exact evaluation reads the JSON).
  });

  it('records the run id on tag events and the fingerprint with crawled_at last', () => {
    const runId = setup.store.startRun(REGISTRY, {});
    applyCrawl(setup.store, { tags: { latest: v1 }, runId });
    expect(setup.store.db.prepare('SELECT run_id FROM tag_events').pluck().all()).toEqual([runId]);
    expect(setup.store.db.prepare('SELECT crawled_at FROM repositories').pluck().get()).toBe(AT);
  });

  it('applying the same crawl twice changes nothing but the watermark', () => {
    const child = modelDocument('child', { parent: null });
    const parent = indexDocument('parent', [child]);
    const crawl = {
      tags: { latest: v1, '1.0': v1, multi: parent },
      documents: [{ ...child, parent: parent.digest }],
      referrers: { [v1.digest]: [referrer('sig', 'signature'), referrer('sbom', 'sbom')] },
    };
    applyCrawl(setup.store, crawl);
    const before = snapshot(setup.store.db);
    const sqlite = setup.store.db.dialect === 'sqlite';
    const changes = sqlite ? totalChanges(setup.store.db) : 0;
    const result = applyCrawl(setup.store, crawl);
    expect(result).toEqual({ tagsAdded: 0, tagsMoved: 0, tagsRemoved: 0, documentsRemoved: 0 });
    expect(snapshot(setup.store.db)).toEqual(before);
    // the repositories row: fingerprint + crawled_at (PostgreSQL keeps no count of a session's changes)
    if (sqlite) expect(totalChanges(setup.store.db) - changes).toBe(1);
    expect(verifyIndex(setup.store.db)).toEqual([]);
  });

  it('heals a document put with tags the repository no longer has', () => {
    applyCrawl(setup.store, { tags: { latest: v1 } });
    const child = modelDocument('orphan-child', { parent: v1.digest, tags: ['stale'] });
    setup.store.putDocuments([child]);
    expect(setup.store.getDocument(child.reference)?.tags).toEqual(['stale']);
    applyCrawl(setup.store, { tags: { latest: v1 }, at: LATER });
    expect(setup.store.getDocument(child.reference)?.tags).toEqual([]);
    expect(verifyIndex(setup.store.db)).toEqual([]);
  });
});

describe('garbage collection', () => {
  const setup = useTempStore();

  const amd64 = modelDocument('amd64');
  const arm64 = modelDocument('arm64');
  const multi = indexDocument('multi', [amd64, arm64]);
  const children = [amd64, arm64].map((child) => ({ ...child, parent: multi.digest }));

  it('keeps untagged index children while the index lives and removes them with it', () => {
    applyCrawl(setup.store, { tags: { latest: multi, solo: v1 }, documents: children });
    expect(storedDigests(setup.store)).toEqual([amd64.digest, arm64.digest, multi.digest, v1.digest].sort());
    const result = applyCrawl(setup.store, { tags: { solo: v1 }, at: LATER });
    expect(result.documentsRemoved).toBe(3);
    expect(storedDigests(setup.store)).toEqual([v1.digest]);
  });

  it('keeps a child listed by a live index even when its parent column names a dead one', () => {
    const other = indexDocument('other', [amd64]);
    applyCrawl(setup.store, { tags: { a: multi, b: other }, documents: children });
    applyCrawl(setup.store, { tags: { b: other }, at: LATER });
    expect(storedDigests(setup.store)).toEqual([amd64.digest, other.digest].sort());
  });

  it('keeps referrer targets of a live document, nested ones too, and drops them with it', () => {
    const sbom = modelDocument('sbom', { kind: 'artifact', format: 'artifact', subject: v1.digest });
    const signatureOnSbom = modelDocument('sig-on-sbom', {
      kind: 'artifact',
      format: 'artifact',
      subject: sbom.digest,
    });
    const crawl = {
      tags: { latest: v1 },
      documents: [sbom, signatureOnSbom],
      referrers: { [v1.digest]: [referrer('sbom', 'sbom', [referrer('sig-on-sbom', 'signature')])] },
    };
    applyCrawl(setup.store, crawl);
    expect(storedDigests(setup.store)).toEqual([v1.digest, sbom.digest, signatureOnSbom.digest].sort());
    const result = applyCrawl(setup.store, { tags: { other: v2 }, at: LATER });
    expect(result.documentsRemoved).toBe(3);
    expect(storedDigests(setup.store)).toEqual([v2.digest]);
    expect(setup.store.db.prepare('SELECT count(*) FROM referrers').pluck().get()).toBe(0);
  });

  it('does not keep a document only because its subject field names a live one', () => {
    const stray = modelDocument('stray', { kind: 'artifact', format: 'artifact', subject: v1.digest });
    applyCrawl(setup.store, { tags: { latest: v1 }, documents: [stray] });
    expect(setup.store.hasDocument(REGISTRY, REPOSITORY, stray.digest)).toBe(false);
  });

  it('only collects the synced repository', () => {
    const elsewhere = modelDocument('elsewhere', { repository: 'models/other' });
    setup.store.putDocuments([elsewhere]);
    applyCrawl(setup.store, { tags: { latest: v1 } });
    expect(setup.store.hasDocument(REGISTRY, 'models/other', elsewhere.digest)).toBe(true);
  });
});
