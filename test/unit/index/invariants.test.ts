import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { IndexStore } from '../../../src/index/index.js';
import { verifyIndex } from '../../../src/index/index.js';
import { REGISTRY, REPOSITORY, applyCrawl, indexDocument, modelDocument, referrer, tempIndexes } from './fixtures.js';
import type { TempIndexes } from './fixtures.js';

describe('verifyIndex', () => {
  let temp: TempIndexes;
  let store: IndexStore;
  beforeEach(() => {
    temp = tempIndexes();
    store = temp.open();
  });
  afterEach(() => temp.cleanup());

  const [a, b, c] = ['a', 'b', 'c'].map((label) => modelDocument(label));
  const child = modelDocument('child');
  const multi = indexDocument('multi', [child]);

  it('holds through tag moves, referrer changes, garbage collection and deletes', () => {
    if (!a || !b || !c) throw new Error('fixtures');
    const steps = [
      () => applyCrawl(store, { tags: { latest: a, stable: a, multi }, documents: [{ ...child, parent: multi.digest }] }),
      () => store.setReferrers(REGISTRY, REPOSITORY, a.digest, [referrer('sig-a', 'signature')]),
      () => applyCrawl(store, { tags: { latest: b, stable: a, multi } }),
      () => store.setReferrers(REGISTRY, REPOSITORY, b.digest, [referrer('sbom-b', 'sbom', [referrer('sig-sbom', 'signature')])]),
      () => store.setReferrers(REGISTRY, REPOSITORY, a.digest, []),
      () => applyCrawl(store, { tags: { latest: c, stable: b } }),
      () => store.deleteDocument(REGISTRY, REPOSITORY, b.digest),
      () => applyCrawl(store, { tags: { latest: c } }),
    ];
    for (const [index, step] of steps.entries()) {
      step();
      expect(verifyIndex(store.db), `after step ${index}`).toEqual([]);
    }
    expect(store.countDocuments()).toBe(1);
  });

  it('reports documents whose values, tags or referrers drifted', () => {
    if (!a) throw new Error('fixtures');
    applyCrawl(store, { tags: { latest: a }, referrers: { [a.digest]: [referrer('sig', 'signature')] } });
    store.db.prepare(`DELETE FROM doc_values WHERE rowid = (SELECT min(rowid) FROM doc_values)`).run();
    store.db.prepare(`UPDATE tags SET name = 'renamed'`).run();
    store.db.prepare(`UPDATE referrers SET json = json_set(json, '$.kind', 'sbom')`).run();
    const problems = verifyIndex(store.db);
    expect(problems).toEqual([
      `${a.reference}: doc_values differ from json`,
      `${a.reference}: tags differ from the tags table`,
      `${a.reference}: referrers differ from the edges`,
      `${a.reference}: signed is wrong`,
    ]);
  });
});
