/**
 * Differential test of the one rule: seeded random documents in a real temp index, seeded random
 * queries (both dialects, sort, order, limit, cursors, counts, facets); the engine, under three
 * planner tunings (driving sets, streaming with tiny chunks, a mix), must return exactly what
 * the plain evaluator returns over the array of all documents.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JsonValue } from '../../../../src/domain/document.js';
import { isOcidexError } from '../../../../src/domain/errors.js';
import {
  evaluatePlain,
  evaluatePlainPage,
  type QueryEngine,
  QueryEngine as Engine,
  type QueryOptions,
} from '../../../../src/query/index.js';
import { testBackend } from '../../../support/backend.js';
import { referenceFacet } from '../facet-reference.js';
import { queryFixture, type QueryFixture } from '../support.js';
import { randomDocument } from './documents.js';
import { FACET_PATHS, randomOptions, randomPlusQuery, randomRfcFilter, randomRfcQuery } from './queries.js';
import { Random } from './random.js';

/**
 * `tunings`: how many of the engine tunings below run each case (the larger corpus is slower).
 * On PostgreSQL (the `postgres` project) every statement is a round trip: a third of the cases,
 * the same corpora and seeds.
 */
const SCALE = testBackend() === 'postgres' ? 3 : 1;
const CORPORA = [
  { seed: 1, size: 200, cases: Math.ceil(500 / SCALE), plusCases: Math.ceil(100 / SCALE), tunings: 2 },
  { seed: 2, size: 60, cases: Math.ceil(900 / SCALE), plusCases: Math.ceil(200 / SCALE), tunings: 3 },
];

/** Generous per-test timeout: the whole file stays under a minute on two cores. */
const TIMEOUT_MS = 120_000;

function errorCode(work: () => unknown): string | null {
  try {
    work();
    return null;
  } catch (error) {
    if (isOcidexError(error)) return error.code;
    throw error;
  }
}

/** Pages fetched per paged case, each compared with the plain evaluator's page. */
const PAGES_COMPARED = 4;

function checkCase(
  engines: readonly QueryEngine[],
  documents: JsonValue[],
  text: string,
  options: QueryOptions,
  round: number,
): void {
  const { limit, ...unlimited } = options;
  let expected: JsonValue[] = [];
  const expectedError = errorCode(() => {
    expected = evaluatePlain(documents, text, unlimited);
  });
  for (const [index, engine] of engines.entries()) {
    if (expectedError !== null) {
      expect(errorCode(() => engine.query(text, options))).toBe(expectedError);
      continue;
    }
    expect(engine.query(text, unlimited).items).toEqual(expected);
    if (index === 0) expect(engine.count(text, unlimited)).toBe(expected.length);
    if (limit !== undefined && index === round % engines.length) checkPages(engine, documents, text, options, expected);
  }
}

function checkPages(
  engine: QueryEngine,
  documents: JsonValue[],
  text: string,
  options: QueryOptions,
  expected: JsonValue[],
): void {
  const items: JsonValue[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < PAGES_COMPARED; page += 1) {
    const request = cursor === undefined ? options : { ...options, cursor };
    const actual = engine.query(text, request);
    const plain = evaluatePlainPage(documents, text, request);
    expect(actual.items).toEqual(plain.items);
    expect(actual.nextCursor).toEqual(plain.nextCursor);
    items.push(...actual.items);
    if (actual.nextCursor === null) {
      expect(items).toEqual(expected);
      return;
    }
    cursor = actual.nextCursor;
  }
  expect(items).toEqual(expected.slice(0, items.length));
}

for (const corpus of CORPORA) {
  describe(`differential: ${corpus.size} documents, seed ${corpus.seed}`, () => {
    let fixture: QueryFixture;
    let engines: QueryEngine[];
    let documents: JsonValue[];

    beforeAll(() => {
      const random = new Random(corpus.seed);
      fixture = queryFixture(Array.from({ length: corpus.size }, (_, index) => randomDocument(random, index)));
      engines = [
        fixture.engine,
        new Engine(fixture.store.db, { driverCandidateLimit: 0, streamChunk: 3 }),
        new Engine(fixture.store.db, { driverCandidateLimit: 12, streamChunk: 5 }),
      ].slice(0, corpus.tunings);
      documents = fixture.documents();
    });
    afterAll(() => fixture.cleanup());

    it('has truncated documents, deep paths and mixed types to query', () => {
      const truncated = fixture.store.db
        .prepare('SELECT count(*) AS n FROM documents WHERE values_truncated = 1')
        .get() as { n: number };
      expect(truncated.n).toBeGreaterThan(0);
      expect(documents).toHaveLength(corpus.size);
    });

    /** Checks `count` random queries of one dialect, naming the case that differs. */
    const randomCases = (seed: number, count: number, next: (random: Random) => [string, QueryOptions]) => () => {
      const random = new Random(corpus.seed * 1000 + seed);
      for (let index = 0; index < count; index += 1) {
        const [text, options] = next(random);
        try {
          checkCase(engines, documents, text, options, index);
        } catch (error) {
          throw new Error(`case ${index}: ${text} ${JSON.stringify(options)}\n${(error as Error).message}`, {
            cause: error,
          });
        }
      }
    };

    it(
      `rfc9535: ${corpus.cases} random queries`,
      randomCases(1, corpus.cases, (random) => [randomRfcQuery(random), randomOptions(random)]),
      TIMEOUT_MS,
    );

    it(
      `jsonpath-plus: ${corpus.plusCases} random queries`,
      randomCases(2, corpus.plusCases, (random) => [
        randomPlusQuery(random),
        { ...randomOptions(random), dialect: 'jsonpath-plus' as const },
      ]),
      TIMEOUT_MS,
    );

    it(
      'facets equal the facet of the plain result',
      () => {
        const random = new Random(corpus.seed * 1000 + 3);
        for (let index = 0; index < 120; index += 1) {
          const path = random.pick(FACET_PATHS);
          const text = index % 4 === 0 ? undefined : `$[?${randomRfcFilter(random)}]`;
          let matching: JsonValue[] = documents;
          if (text !== undefined && errorCode(() => (matching = evaluatePlain(documents, text))) !== null) continue;
          const expected = referenceFacet(matching, path);
          for (const engine of engines) {
            expect(engine.facet(path, text), `${path} ${text}`).toEqual(expected);
          }
        }
      },
      TIMEOUT_MS,
    );

    it(
      'several facets at once equal the facets of the plain result (one grouped statement for the indexed paths)',
      () => {
        const random = new Random(corpus.seed * 1000 + 4);
        for (let index = 0; index < 60; index += 1) {
          const paths = [random.pick(FACET_PATHS), random.pick(FACET_PATHS), random.pick(FACET_PATHS)];
          // Unfiltered (the cache, computing the paths it lacks together), every document, or a filter.
          const text = index % 8 === 0 ? undefined : index % 4 === 0 ? '$[*]' : `$[?${randomRfcFilter(random)}]`;
          let matching: JsonValue[] = documents;
          if (text !== undefined && errorCode(() => (matching = evaluatePlain(documents, text))) !== null) continue;
          const expected = paths.map((path) => ({ path, values: referenceFacet(matching, path) }));
          for (const engine of engines) expect(engine.facets(paths, text), `${paths} ${text}`).toEqual(expected);
        }
      },
      TIMEOUT_MS,
    );
  });
}
