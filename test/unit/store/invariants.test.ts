import { describe, expect, it } from 'vitest';
import { verifyIndex } from '../../../src/store/index.js';
import { REGISTRY, REPOSITORY, applyCrawl, indexDocument, modelDocument, referrer, useTempStore } from './fixtures.js';

describe('verifyIndex', () => {
  const setup = useTempStore();

  const [a, b, c] = ['a', 'b', 'c'].map((label) => modelDocument(label));
  const child = modelDocument('child');
  const multi = indexDocument('multi', [child]);

  it('holds through tag moves, referrer changes, garbage collection and deletes', () => {
    if (!a || !b || !c) throw new Error('fixtures');
    const steps = [
      () =>
        applyCrawl(setup.store, {
          tags: { latest: a, stable: a, multi },
          documents: [{ ...child, parent: multi.digest }],
        }),
      () => setup.store.setReferrers(REGISTRY, REPOSITORY, a.digest, [referrer('sig-a', 'signature')]),
      () => applyCrawl(setup.store, { tags: { latest: b, stable: a, multi } }),
      () =>
        setup.store.setReferrers(REGISTRY, REPOSITORY, b.digest, [
          referrer('sbom-b', 'sbom', [referrer('sig-sbom', 'signature')]),
        ]),
      () => setup.store.setReferrers(REGISTRY, REPOSITORY, a.digest, []),
      () => applyCrawl(setup.store, { tags: { latest: c, stable: b } }),
      () => setup.store.deleteDocument(REGISTRY, REPOSITORY, b.digest),
      () => applyCrawl(setup.store, { tags: { latest: c } }),
    ];
    for (const [index, step] of steps.entries()) {
      step();
      expect(verifyIndex(setup.store.db), `after step ${index}`).toEqual([]);
    }
    expect(setup.store.countDocuments()).toBe(1);
  });

  it('reports documents whose values, tags or referrers drifted', () => {
    if (!a) throw new Error('fixtures');
    applyCrawl(setup.store, { tags: { latest: a }, referrers: { [a.digest]: [referrer('sig', 'signature')] } });
    setup.store.db
      .prepare(`DELETE FROM doc_values WHERE path_id = (SELECT id FROM paths WHERE path = ?)`)
      .run(`$['size']`);
    setup.store.db.prepare(`UPDATE tags SET name = 'renamed'`).run();
    setup.store.db.prepare(`UPDATE referrers SET json = replace(json, '"kind":"signature"', '"kind":"sbom"')`).run();
    const problems = verifyIndex(setup.store.db);
    expect(problems).toEqual([
      `${a.reference}: doc_values differ from json`,
      `${a.reference}: tags differ from the tags table`,
      `${a.reference}: referrers differ from the edges`,
      `${a.reference}: signed is wrong`,
    ]);
  });
});
