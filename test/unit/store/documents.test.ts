import { describe, expect, it } from 'vitest';
import { storedValue } from '../../../src/query/engine/stored-text.js';
import { dialectOf, verifyIndex } from '../../../src/store/index.js';
import { AT, REGISTRY, REPOSITORY, digestOf, modelDocument, useTempStore } from './fixtures.js';

describe('IndexStore documents', () => {
  const setup = useTempStore();

  it('returns a put document unchanged by reference, tag and digest', () => {
    const document = modelDocument('llama', { tags: ['v1'] });
    expect(setup.store.putDocuments([document])).toBe(1);
    expect(setup.store.getDocument(document.reference)).toEqual(document);
    expect(setup.store.findDocuments(REGISTRY, REPOSITORY, document.digest)).toEqual(document);
    expect(setup.store.hasDocument(REGISTRY, REPOSITORY, document.digest)).toBe(true);
    expect(setup.store.hasDocument(REGISTRY, REPOSITORY, digestOf('other'))).toBe(false);
    expect(setup.store.getDocument(`${REGISTRY}/${REPOSITORY}@${digestOf('other')}`)).toBeNull();
    expect(setup.store.countDocuments()).toBe(1);
  });

  it('finds a document by tag once the repository is synced', () => {
    const document = modelDocument('llama');
    setup.store.putDocuments([document]);
    expect(setup.store.findDocuments(REGISTRY, REPOSITORY, 'v1')).toBeNull();
    setup.store.syncRepository({
      registry: REGISTRY,
      repository: REPOSITORY,
      tags: new Map([['v1', document.digest]]),
      fingerprint: 'f',
      at: AT,
    });
    expect(setup.store.findDocuments(REGISTRY, REPOSITORY, 'v1')?.tags).toEqual(['v1']);
    expect(setup.store.findDocuments(REGISTRY, 'unknown/repo', 'v1')).toBeNull();
  });

  it('does not rewrite a byte-identical document', () => {
    const document = modelDocument('llama');
    setup.store.putDocuments([document]);
    const before = setup.store.db.prepare('SELECT id, updated_at FROM documents').get();
    expect(setup.store.putDocuments([{ ...document }])).toBe(0);
    expect(setup.store.db.prepare('SELECT id, updated_at FROM documents').get()).toEqual(before);
  });

  it('rewrites a changed document and replaces its values', () => {
    const document = modelDocument('llama');
    setup.store.putDocuments([document]);
    const changed = { ...document, annotations: { note: 'retrained' }, crawledAt: '2025-04-01T00:00:00.000Z' };
    expect(setup.store.putDocuments([changed])).toBe(1);
    expect(setup.store.getDocument(document.reference)?.annotations).toEqual({ note: 'retrained' });
    const paths = setup.store.db
      .prepare(
        `SELECT path FROM doc_values JOIN paths ON paths.id = path_id WHERE path LIKE '$[''annotations'']%' ORDER BY path`,
      )
      .pluck()
      .all();
    expect(paths).toEqual([`$['annotations']`, `$['annotations']['note']`]);
    expect(verifyIndex(setup.store.db)).toEqual([]);
  });

  it('stores typed values: numbers as numbers, long strings as null, booleans as types', () => {
    const document = modelDocument('llama', { annotations: { long: 'x'.repeat(600) } });
    setup.store.putDocuments([document]);
    const { db } = setup.store;
    const value = (path: string) => {
      const row = db
        .prepare<[string], { type: number; value: unknown; raw: unknown }>(
          `SELECT v.type, ${dialectOf(db.dialect).valueColumns('v')} FROM doc_values v JOIN paths ON paths.id = v.path_id WHERE path = ?`,
        )
        .get(path);
      return { type: row?.type, value: storedValue(row?.value, row?.raw) };
    };
    expect(value(`$['size']`)).toEqual({ type: 3, value: 5000 });
    expect(value(`$['annotations']['long']`)).toEqual({ type: 4, value: null });
    expect(value(`$['signed']`)).toEqual({ type: 1, value: null });
    expect(value(`$['model']['licenses'][*]`)).toEqual({ type: 4, value: 'Apache-2.0' });
  });

  it('marks a document whose values were truncated', () => {
    const annotations = Object.fromEntries(Array.from({ length: 2100 }, (_, index) => [`key${index}`, 'v']));
    setup.store.putDocuments([modelDocument('huge', { annotations })]);
    expect(setup.store.db.prepare('SELECT values_truncated FROM documents').pluck().get()).toBe(1);
    expect(setup.store.db.prepare('SELECT count(*) FROM doc_values').pluck().get()).toBe(2000);
    expect(verifyIndex(setup.store.db)).toEqual([]);
  });

  it('puts a batch in one transaction: a bad document rolls back all of them', () => {
    const documents = Array.from({ length: 1000 }, (_, index) => modelDocument(`model-${index}`));
    const bad = { ...modelDocument('bad'), reference: 'elsewhere/x@sha256:00' };
    expect(() => setup.store.putDocuments([...documents, bad])).toThrow(
      expect.objectContaining({ code: 'invalid_argument' }),
    );
    expect(setup.store.countDocuments()).toBe(0);
    expect(setup.store.putDocuments(documents)).toBe(1000);
    expect(setup.store.countDocuments()).toBe(1000);
  });

  it('a write nested in a batch joins it: its failure rolls back what the batch wrote before it', () => {
    const good = modelDocument('good', { tags: ['v1'] });
    const bad = { ...modelDocument('bad'), reference: 'elsewhere/x@sha256:00' };
    expect(() =>
      setup.store.inBatch(() => {
        setup.store.putDocuments([good]);
        setup.store.setTag(REGISTRY, REPOSITORY, 'v1', good.digest, AT);
        setup.store.putDocuments([bad]);
      }),
    ).toThrow(expect.objectContaining({ code: 'invalid_argument' }));
    expect(setup.store.countDocuments()).toBe(0);
    expect(setup.store.tagHistory(REGISTRY, REPOSITORY)).toEqual([]);
    expect(setup.store.db.prepare('SELECT count(*) FROM doc_values').pluck().get()).toBe(0);
    expect(setup.store.inBatch(() => setup.store.putDocuments([good]))).toBe(1);
    expect(setup.store.countDocuments()).toBe(1);
  });

  it('path ids cached by a rolled-back transaction are not reused (regression)', () => {
    const bad = { ...modelDocument('bad'), reference: 'elsewhere/x@sha256:00' };
    const novel = modelDocument('first', { annotations: { 'only.here': 'x' } });
    expect(() => setup.store.putDocuments([novel, bad])).toThrow();
    expect(setup.store.db.prepare('SELECT count(*) FROM paths').pluck().get()).toBe(0);
    setup.store.putDocuments([novel]);
    const orphans = setup.store.db
      .prepare('SELECT count(*) FROM doc_values WHERE path_id NOT IN (SELECT id FROM paths)')
      .pluck()
      .get();
    expect(orphans).toBe(0);
    expect(verifyIndex(setup.store.db)).toEqual([]);
  });

  it('iterates documents ordered by reference, across repositories', () => {
    const documents = [
      modelDocument('c', { repository: 'zeta' }),
      modelDocument('a', { repository: 'alpha' }),
      modelDocument('b', { repository: 'alpha' }),
      modelDocument('d', { registry: 'a.example' }),
    ];
    setup.store.putDocuments(documents);
    const references = [...setup.store.iterateDocuments()].map((document) => document.reference);
    expect(references).toEqual(documents.map((document) => document.reference).sort());
    expect(references[0]?.startsWith('a.example/')).toBe(true);
  });

  it('lists the repositories of a registry, sorted', () => {
    setup.store.putDocuments([modelDocument('a', { repository: 'zeta' }), modelDocument('b', { repository: 'alpha' })]);
    setup.store.putDocuments([modelDocument('c', { registry: 'other.example' })]);
    expect(setup.store.listRepositories(REGISTRY)).toEqual(['alpha', 'zeta']);
    expect(setup.store.listRepositories('unknown.example')).toEqual([]);
  });

  it('records whether a registry supports the referrers API', () => {
    expect(setup.store.getReferrersApi(REGISTRY)).toBeNull();
    setup.store.setReferrersApi(REGISTRY, false);
    expect(setup.store.getReferrersApi(REGISTRY)).toBe(false);
    setup.store.setReferrersApi(REGISTRY, true);
    expect(setup.store.getReferrersApi(REGISTRY)).toBe(true);
  });
});
