import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { IndexStore } from '../../../src/index/index.js';
import { verifyIndex } from '../../../src/index/index.js';
import { REGISTRY, REPOSITORY, applyCrawl, modelDocument, referrer, snapshot, tempIndexes } from './fixtures.js';
import type { TempIndexes } from './fixtures.js';

const model = modelDocument('model');
const signature = referrer('sig', 'signature');
const sbom = referrer('sbom', 'sbom');

describe('IndexStore.setReferrers', () => {
  let temp: TempIndexes;
  let store: IndexStore;
  beforeEach(() => {
    temp = tempIndexes();
    store = temp.open();
  });
  afterEach(() => temp.cleanup());

  it('re-materializes an indexed subject: referrers ordered by digest, signed follows signatures', () => {
    store.putDocuments([model]);
    store.setReferrers(REGISTRY, REPOSITORY, model.digest, [signature, sbom]);
    const stored = store.getDocument(model.reference);
    expect(stored?.referrers).toEqual([signature, sbom].sort((a, b) => a.digest.localeCompare(b.digest)));
    expect(stored?.signed).toBe(true);
    expect(verifyIndex(store.db)).toEqual([]);
  });

  it('keeps edges of a subject not indexed yet and applies them when it is put', () => {
    store.setReferrers(REGISTRY, REPOSITORY, model.digest, [signature]);
    expect(store.countDocuments()).toBe(0);
    store.putDocuments([model]);
    expect(store.getDocument(model.reference)).toMatchObject({ referrers: [signature], signed: true });
  });

  it('replaces the edges: a removed signature unsets signed', () => {
    store.putDocuments([model]);
    store.setReferrers(REGISTRY, REPOSITORY, model.digest, [signature, sbom]);
    store.setReferrers(REGISTRY, REPOSITORY, model.digest, [sbom]);
    expect(store.getDocument(model.reference)).toMatchObject({ referrers: [sbom], signed: false });
    expect(store.db.prepare('SELECT digest FROM referrers').pluck().all()).toEqual([sbom.digest]);
    store.setReferrers(REGISTRY, REPOSITORY, model.digest, []);
    expect(store.getDocument(model.reference)).toMatchObject({ referrers: [], signed: false });
    expect(verifyIndex(store.db)).toEqual([]);
  });

  it('setting the same referrers again changes no row', () => {
    store.putDocuments([model]);
    store.setReferrers(REGISTRY, REPOSITORY, model.digest, [signature, sbom]);
    const before = snapshot(store.db);
    store.setReferrers(REGISTRY, REPOSITORY, model.digest, [sbom, signature]);
    expect(snapshot(store.db)).toEqual(before);
  });

  it('overrides referrers a re-put document carries with the known edges', () => {
    store.putDocuments([model]);
    store.setReferrers(REGISTRY, REPOSITORY, model.digest, [sbom]);
    store.putDocuments([{ ...model, referrers: [signature], signed: true }]);
    expect(store.getDocument(model.reference)).toMatchObject({ referrers: [sbom], signed: false });
  });

  it('adopts the referrers of a put document as edges when none are known', () => {
    store.putDocuments([{ ...model, referrers: [signature] }]);
    expect(store.db.prepare('SELECT digest, kind FROM referrers').all()).toEqual([{ digest: signature.digest, kind: 'signature' }]);
    expect(store.getDocument(model.reference)).toMatchObject({ referrers: [signature], signed: true });
    expect(verifyIndex(store.db)).toEqual([]);
  });

  it('edges are per repository', () => {
    const elsewhere = modelDocument('model', { repository: 'models/other' });
    store.putDocuments([model, elsewhere]);
    store.setReferrers(REGISTRY, REPOSITORY, model.digest, [signature]);
    expect(store.getDocument(elsewhere.reference)?.signed).toBe(false);
  });
});

describe('IndexStore.deleteDocument', () => {
  let temp: TempIndexes;
  let store: IndexStore;
  beforeEach(() => {
    temp = tempIndexes();
    store = temp.open();
  });
  afterEach(() => temp.cleanup());

  it('removes the document, its tags (with events), values and edges, and clears the fingerprint', () => {
    const other = modelDocument('other');
    applyCrawl(store, { tags: { latest: model, keep: other }, referrers: { [model.digest]: [signature] } });
    expect(store.deleteDocument(REGISTRY, REPOSITORY, model.digest)).toBe(true);
    expect(store.getDocument(model.reference)).toBeNull();
    expect(store.getRepositoryState(REGISTRY, REPOSITORY)).toEqual({ fingerprint: null, tags: new Map([['keep', other.digest]]) });
    expect(store.tagHistory(REGISTRY, REPOSITORY).at(-1)).toMatchObject({ tag: 'latest', oldDigest: model.digest, newDigest: null });
    expect(store.db.prepare('SELECT count(*) FROM referrers').pluck().get()).toBe(0);
    expect(verifyIndex(store.db)).toEqual([]);
    expect(store.deleteDocument(REGISTRY, REPOSITORY, model.digest)).toBe(false);
    expect(store.deleteDocument(REGISTRY, 'never/seen', model.digest)).toBe(false);
  });

  it('deleting a signature unsigns its subject', () => {
    const signatureDocument = modelDocument('sig', { kind: 'artifact', format: 'artifact', subject: model.digest });
    applyCrawl(store, { tags: { latest: model }, documents: [signatureDocument], referrers: { [model.digest]: [signature] } });
    expect(store.getDocument(model.reference)?.signed).toBe(true);
    expect(store.deleteDocument(REGISTRY, REPOSITORY, signatureDocument.digest)).toBe(true);
    expect(store.getDocument(model.reference)).toMatchObject({ referrers: [], signed: false });
    expect(verifyIndex(store.db)).toEqual([]);
  });
});
