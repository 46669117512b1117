import { describe, expect, it } from 'vitest';
import { verifyIndex } from '../../../src/store/index.js';
import { REGISTRY, REPOSITORY, applyCrawl, modelDocument, referrer, snapshot, useTempStore } from './fixtures.js';

const model = modelDocument('model');
const signature = referrer('sig', 'signature');
const sbom = referrer('sbom', 'sbom');

describe('IndexStore.setReferrers', () => {
  const setup = useTempStore();

  it('re-materializes an indexed subject: referrers ordered by digest, signed follows signatures', () => {
    setup.store.putDocuments([model]);
    setup.store.setReferrers(REGISTRY, REPOSITORY, model.digest, [signature, sbom]);
    const stored = setup.store.getDocument(model.reference);
    expect(stored?.referrers).toEqual([signature, sbom].sort((a, b) => a.digest.localeCompare(b.digest)));
    expect(stored?.signed).toBe(true);
    expect(verifyIndex(setup.store.db)).toEqual([]);
  });

  it('keeps edges of a subject not indexed yet and applies them when it is put', () => {
    setup.store.setReferrers(REGISTRY, REPOSITORY, model.digest, [signature]);
    expect(setup.store.countDocuments()).toBe(0);
    setup.store.putDocuments([model]);
    expect(setup.store.getDocument(model.reference)).toMatchObject({ referrers: [signature], signed: true });
  });

  it('replaces the edges: a removed signature unsets signed', () => {
    setup.store.putDocuments([model]);
    setup.store.setReferrers(REGISTRY, REPOSITORY, model.digest, [signature, sbom]);
    setup.store.setReferrers(REGISTRY, REPOSITORY, model.digest, [sbom]);
    expect(setup.store.getDocument(model.reference)).toMatchObject({ referrers: [sbom], signed: false });
    expect(setup.store.db.prepare('SELECT digest FROM referrers').pluck().all()).toEqual([sbom.digest]);
    setup.store.setReferrers(REGISTRY, REPOSITORY, model.digest, []);
    expect(setup.store.getDocument(model.reference)).toMatchObject({ referrers: [], signed: false });
    expect(verifyIndex(setup.store.db)).toEqual([]);
  });

  it('setting the same referrers again changes no row', () => {
    setup.store.putDocuments([model]);
    setup.store.setReferrers(REGISTRY, REPOSITORY, model.digest, [signature, sbom]);
    const before = snapshot(setup.store.db);
    setup.store.setReferrers(REGISTRY, REPOSITORY, model.digest, [sbom, signature]);
    expect(snapshot(setup.store.db)).toEqual(before);
  });

  it('overrides referrers a re-put document carries with the known edges', () => {
    setup.store.putDocuments([model]);
    setup.store.setReferrers(REGISTRY, REPOSITORY, model.digest, [sbom]);
    setup.store.putDocuments([{ ...model, referrers: [signature], signed: true }]);
    expect(setup.store.getDocument(model.reference)).toMatchObject({ referrers: [sbom], signed: false });
  });

  it('adopts the referrers of a put document as edges when none are known', () => {
    setup.store.putDocuments([{ ...model, referrers: [signature] }]);
    expect(setup.store.db.prepare('SELECT digest, kind FROM referrers').all()).toEqual([
      { digest: signature.digest, kind: 'signature' },
    ]);
    expect(setup.store.getDocument(model.reference)).toMatchObject({ referrers: [signature], signed: true });
    expect(verifyIndex(setup.store.db)).toEqual([]);
  });

  it('edges are per repository', () => {
    const elsewhere = modelDocument('model', { repository: 'models/other' });
    setup.store.putDocuments([model, elsewhere]);
    setup.store.setReferrers(REGISTRY, REPOSITORY, model.digest, [signature]);
    expect(setup.store.getDocument(elsewhere.reference)?.signed).toBe(false);
  });
});

describe('IndexStore.deleteDocument', () => {
  const setup = useTempStore();

  it('removes the document, its tags (with events), values and edges, and clears the fingerprint', () => {
    const other = modelDocument('other');
    applyCrawl(setup.store, { tags: { latest: model, keep: other }, referrers: { [model.digest]: [signature] } });
    expect(setup.store.deleteDocument(REGISTRY, REPOSITORY, model.digest)).toBe(true);
    expect(setup.store.getDocument(model.reference)).toBeNull();
    expect(setup.store.getRepositoryState(REGISTRY, REPOSITORY)).toEqual({
      fingerprint: null,
      tags: new Map([['keep', other.digest]]),
    });
    expect(setup.store.tagHistory(REGISTRY, REPOSITORY).at(-1)).toMatchObject({
      tag: 'latest',
      oldDigest: model.digest,
      newDigest: null,
    });
    expect(setup.store.db.prepare('SELECT count(*) FROM referrers').pluck().get()).toBe(0);
    expect(verifyIndex(setup.store.db)).toEqual([]);
    expect(setup.store.deleteDocument(REGISTRY, REPOSITORY, model.digest)).toBe(false);
    expect(setup.store.deleteDocument(REGISTRY, 'never/seen', model.digest)).toBe(false);
  });

  it('deleting a signature unsigns its subject', () => {
    const signatureDocument = modelDocument('sig', { kind: 'artifact', format: 'artifact', subject: model.digest });
    applyCrawl(setup.store, {
      tags: { latest: model },
      documents: [signatureDocument],
      referrers: { [model.digest]: [signature] },
    });
    expect(setup.store.getDocument(model.reference)?.signed).toBe(true);
    expect(setup.store.deleteDocument(REGISTRY, REPOSITORY, signatureDocument.digest)).toBe(true);
    expect(setup.store.getDocument(model.reference)).toMatchObject({ referrers: [], signed: false });
    expect(verifyIndex(setup.store.db)).toEqual([]);
  });
});
