/**
 * Facets over every document from the counts the writers keep (src/store/facet-counts.ts): after
 * random writes, replacements, deletes, syncs with garbage collection, writes through a second
 * connection and an index copy, the counted facets equal the grouped ones ('off') and the facet
 * of the plain documents, truncated documents and irregular values included; the counts equal
 * doc_values (verifyIndex). Runs on both backends (the `postgres` vitest project).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ArtifactDocument, JsonValue } from '../../../src/domain/document.js';
import { QueryEngine } from '../../../src/query/index.js';
import { copyIndex, type IndexStore, MAX_COUNTED_PATHS, openIndex, verifyIndex } from '../../../src/store/index.js';
import { testBackend } from '../../support/backend.js';
import { tempLocation } from '../../support/temp-index.js';
import { randomDocument } from './differential/documents.js';
import { Random } from './differential/random.js';
import { referenceFacet } from './facet-reference.js';

/** Singular paths (counted when asked for), and two the counts do not serve (an array element, a wildcard). */
const PATHS = [
  '@.model.license',
  '@.size',
  '@.model.metrics.accuracy',
  '@.model',
  '@.model.description',
  '@.signed',
  '@.kind',
  '@.annotations.a',
  '@.bulk.k3',
  '@.tags[0]',
  '@.tags[*]',
];

type Location = ReturnType<typeof tempLocation>;

/** Rounds of random writes (PostgreSQL: a round trip per statement). */
const ROUNDS = testBackend() === 'postgres' ? 3 : 6;

function documentsOf(store: IndexStore): JsonValue[] {
  return [...store.iterateDocuments()] as unknown as JsonValue[];
}

function countedPaths(store: IndexStore): number {
  return Number(store.db.prepare('SELECT count(*) FROM facet_paths').pluck().get());
}

function countProblems(store: IndexStore): string[] {
  return verifyIndex(store.db).filter((problem) => problem.startsWith('facet count'));
}

/** The facets of PATHS from `engine` equal the grouped ones and the plain documents' facets. */
function expectExact(store: IndexStore, engine: QueryEngine, label: string): void {
  const documents = documentsOf(store);
  const grouped = new QueryEngine(store.db, { facetCounts: 'off' }).facets(PATHS);
  const expected = PATHS.map((path) => ({ path, values: referenceFacet(documents, path) }));
  expect(grouped, label).toEqual(expected);
  expect(engine.facets(PATHS), label).toEqual(expected);
  expect(countProblems(store), label).toEqual([]);
}

/** One round of random writes: new documents, replaced ones, deletes, and a sync that collects garbage. */
function randomWrites(store: IndexStore, random: Random, next: { index: number }): void {
  const fresh = Array.from({ length: 8 }, () => randomDocument(random, next.index++));
  const stored = documentsOf(store) as unknown as ArtifactDocument[];
  const replaced = stored
    .filter(() => random.chance(0.1))
    .map((old) => ({ old, content: randomDocument(random, next.index++) }))
    .map(({ old, content }) => ({
      ...content,
      digest: old.digest,
      reference: old.reference,
      registry: old.registry,
      repository: old.repository,
    }));
  store.putDocuments([...fresh, ...replaced]);
  for (const document of stored.filter(() => random.chance(0.05)))
    store.deleteDocument(document.registry, document.repository, document.digest);
  const victim = random.pick(stored);
  if (victim === undefined) return;
  const kept = documentsOf(store).filter(
    (document) => (document as { repository: string }).repository === victim.repository && random.chance(0.6),
  ) as unknown as ArtifactDocument[];
  store.syncRepository({
    registry: victim.registry,
    repository: victim.repository,
    tags: new Map(kept.map((document, index) => [`t${index}`, document.digest])),
    fingerprint: `round-${next.index}`,
    at: '2025-03-02T10:00:00.000Z',
  });
}

describe('facet counts', () => {
  let location: Location;
  let store: IndexStore;
  const next = { index: 0 };

  beforeEach(() => {
    location = tempLocation('index.db');
    store = openIndex(location.path);
    const random = new Random(15);
    const documents = Array.from({ length: 150 }, () => randomDocument(random, next.index++));
    store.putDocuments(documents);
  });
  afterEach(() => {
    store.close();
    location.remove();
  });

  it('counts each singular path asked for over every document, and stays exact through random writes', () => {
    const engine = new QueryEngine(store.db);
    expect(countedPaths(store)).toBe(0);
    expectExact(store, engine, 'before any write');
    // The indexed singular paths (not @.tags[0], not @.tags[*]) are counted now.
    expect(countedPaths(store)).toBe(9);
    const truncated = store.db.prepare('SELECT count(*) FROM documents WHERE values_truncated = 1').pluck().get();
    expect(Number(truncated)).toBeGreaterThan(0);
    const random = new Random(16);
    for (let round = 0; round < ROUNDS; round += 1) {
      randomWrites(store, random, next);
      expectExact(store, engine, `round ${round}`);
    }
  });

  it('stays exact under writes through a second connection, and a readonly engine reads the counts', () => {
    new QueryEngine(store.db).facets(PATHS);
    const writer = openIndex(location.path);
    const reader = openIndex(location.path, { readonly: true });
    try {
      const engine = new QueryEngine(reader.db, { facetCounts: 'read' });
      const random = new Random(17);
      for (let round = 0; round < 3; round += 1) {
        randomWrites(writer, random, next);
        expectExact(store, engine, `round ${round}`);
      }
    } finally {
      writer.close();
      reader.close();
    }
  });

  it('a readonly engine (a query worker) starts counting through a connection of its own', () => {
    const reader = openIndex(location.path, { readonly: true });
    try {
      const engine = new QueryEngine(reader.db);
      expect(engine.facets(['@.model.license'])).toEqual([
        { path: '@.model.license', values: referenceFacet(documentsOf(store), '@.model.license') },
      ]);
      expect(countedPaths(store)).toBe(1);
      randomWrites(store, new Random(18), next);
      expectExact(store, engine, 'after writes');
    } finally {
      reader.close();
    }
  });

  it(`counts at most ${MAX_COUNTED_PATHS} paths; the others stay exact, grouped`, () => {
    const paths = store.db
      .prepare("SELECT path FROM paths WHERE path NOT LIKE '%[*]' ORDER BY id LIMIT 40")
      .pluck()
      .all() as string[];
    expect(paths.length).toBeGreaterThan(MAX_COUNTED_PATHS);
    const facetPaths = paths.map((path) => `@${path.slice(1)}`);
    const engine = new QueryEngine(store.db);
    const documents = documentsOf(store);
    expect(engine.facets(facetPaths)).toEqual(
      facetPaths.map((path) => ({ path, values: referenceFacet(documents, path) })),
    );
    expect(countedPaths(store)).toBe(MAX_COUNTED_PATHS);
    expect(countProblems(store)).toEqual([]);
  });

  it('an index copy (ocidex migrate) carries the counted paths and rebuilds their counts', () => {
    new QueryEngine(store.db).facets(PATHS);
    const target = tempLocation('copy.db');
    const copy = openIndex(target.path);
    try {
      copyIndex(store, copy);
      expect(countedPaths(copy)).toBe(9);
      expect(countProblems(copy)).toEqual([]);
      expectExact(copy, new QueryEngine(copy.db, { facetCounts: 'read' }), 'the copy');
      copyIndex(store, copy, { replace: true });
      expect(countProblems(copy)).toEqual([]);
    } finally {
      copy.close();
      target.remove();
    }
  });
});
