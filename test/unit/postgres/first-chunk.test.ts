/**
 * A sorted stream's first chunk read with the planner's probes on PostgreSQL (query/engine/
 * first-chunk.ts): a top-1 query is one round trip, and its pages and cursors are those SQLite
 * gives (SQLite never reads ahead: it has no round trips) and the plain evaluator's. When the gate
 * is shut (a truncated document, a long string at the sort path, a set small enough to drive),
 * the rows are not read with the probes and the answers are still the same.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { ArtifactDocument, JsonValue } from '../../../src/domain/document.js';
import { type EngineOptions, evaluatePlain, QueryEngine, type QueryOptions } from '../../../src/query/index.js';
import { type IndexStore, openIndex, type PgDatabase } from '../../../src/store/index.js';
import { MAX_INDEXED_STRING, MAX_VALUES_PER_DOCUMENT } from '../../../src/store/values.js';
import { dropPostgresDatabase, freshPostgresDatabase } from '../../support/backend.js';
import { pagesOf } from './pages.js';
import { modelDocument } from '../query/support.js';

const LICENSES = ['Apache-2.0', 'MIT', 'gemma'];
/** Past the index's longest string: kept in the JSON only. */
const LONG = `zz${'y'.repeat(MAX_INDEXED_STRING)}`;
/** Small enough that the sets below stream (8 documents at most drive), chunks that split groups. */
const STREAMED = { driverCandidateLimit: 8, streamChunk: 4 };

/** 300 models: licenses in turn, accuracies tied in threes (every 17th has none), sizes tied in tens. */
function models(): ArtifactDocument[] {
  return Array.from({ length: 300 }, (_, index) => {
    const label = `m${String(index).padStart(3, '0')}`;
    const document = modelDocument(label, { size: 1000 + Math.floor(index / 10) });
    const metrics: Record<string, number> = index % 17 === 5 ? {} : { accuracy: Math.floor(index / 3) / 1000 };
    const license = LICENSES[index % LICENSES.length] as string;
    return { ...document, model: { ...document.model!, license, metrics, description: `model ${label}` } };
  });
}

/**
 * The best Apache-2.0 model by far, with more values than the index keeps (truncated): its model's
 * are indexed, the members after it are not.
 */
function truncatedModel(): ArtifactDocument {
  const document = modelDocument('truncated');
  const bulk = Object.fromEntries(Array.from({ length: MAX_VALUES_PER_DOCUMENT }, (_, key) => [`k${key}`, key]));
  const truncated = { ...document, model: { ...document.model!, metrics: { accuracy: 2 } }, bulk };
  return truncated;
}

/** An Apache-2.0 model whose description, first by far in descending order, is too long for the index. */
function longDescriptionModel(): ArtifactDocument {
  const document = modelDocument('long');
  return { ...document, model: { ...document.model!, description: LONG } };
}

interface Pair {
  sqlite: IndexStore;
  postgres: IndexStore;
  documents: JsonValue[];
}

const directory = mkdtempSync(join(tmpdir(), 'ocidex-first-chunk-'));
const urls: string[] = [];
const stores: IndexStore[] = [];
afterAll(() => {
  for (const store of stores) store.close();
  for (const url of urls) dropPostgresDatabase(url);
  rmSync(directory, { recursive: true, force: true });
});

/** The same documents in a SQLite file and a PostgreSQL database. */
function pair(name: string, documents: ArtifactDocument[]): Pair {
  const url = freshPostgresDatabase();
  urls.push(url);
  const [sqlite, postgres] = [openIndex(join(directory, `${name}.db`)), openIndex(url)] as [IndexStore, IndexStore];
  stores.push(sqlite, postgres);
  for (const store of [sqlite, postgres]) store.putDocuments(documents);
  return { sqlite, postgres, documents: [...sqlite.iterateDocuments()] as unknown as JsonValue[] };
}

/** Round trips to PostgreSQL of the second run of `text` (the first learns the path ids), its items and plan. */
function secondRun(engine: QueryEngine, store: IndexStore, text: string, options: QueryOptions) {
  engine.query(text, options);
  const before = (store.db as PgDatabase).roundTrips;
  const result = engine.query(text, options);
  return {
    trips: (store.db as PgDatabase).roundTrips - before,
    items: result.items,
    kind: result.plan.sql?.split(':')[0],
  };
}

/** Pages and cursors on both backends equal, and their items the plain evaluator's. */
function expectSameAnswers(
  data: Pair,
  text: string,
  options: QueryOptions,
  engineOptions: EngineOptions = STREAMED,
): void {
  const [sqlite, postgres] = [data.sqlite, data.postgres].map((store) =>
    pagesOf(new QueryEngine(store.db, engineOptions), text, options),
  );
  const label = `${text} ${JSON.stringify(options)}`;
  expect(postgres, label).toEqual(sqlite);
  const { limit: _limit, ...unlimited } = options;
  expect(
    postgres?.flatMap((page) => page.items),
    label,
  ).toEqual(evaluatePlain(data.documents, text, unlimited));
}

const TOP_1 = "$[?@.model.license == 'Apache-2.0']";
const BY_ACCURACY: QueryOptions = { sort: '@.model.metrics.accuracy', order: 'desc', limit: 1 };

describe('a sorted first chunk read with the probes (PostgreSQL)', () => {
  const regular = pair('regular', models());

  it('makes a top-1 query and a first sorted page one round trip', () => {
    // A page of 19 by size: its first chunk (20 rows and one more) ends with a group of ten.
    for (const [text, options] of [
      [TOP_1, BY_ACCURACY],
      ["$[?@.kind == 'model']", { sort: '@.size', order: 'desc', limit: 19 }],
    ] as const) {
      const engine = new QueryEngine(regular.postgres.db, { driverCandidateLimit: 8 });
      const run = secondRun(engine, regular.postgres, text, options);
      expect(run.kind).toBe('stream-by-sort');
      expect(run.trips).toBe(1);
      expect(run.items).toEqual(evaluatePlain(regular.documents, text, options));
    }
  });

  it('gives the pages and cursors SQLite gives, sets streamed in either order, ties across chunks', () => {
    const queries: Array<[string, QueryOptions]> = [
      [TOP_1, BY_ACCURACY],
      [TOP_1, { sort: '@.model.metrics.accuracy', limit: 7 }],
      ["$[?@.model.license == 'MIT' || @.model.license == 'gemma']", { sort: '@.size', order: 'desc', limit: 7 }],
      ["$[?!(@.model.license == 'MIT')]", { sort: '@.model.metrics.accuracy', limit: 25 }],
      ['$[?@.size >= 1005]', { sort: '@.size', limit: 25 }],
      ['$[?@.size >= 1005]', { sort: '@.size', order: 'desc', limit: 3 }],
      ["$[?@.kind == 'model']", { sort: '@.model.description', order: 'desc', limit: 7 }],
      // Nothing the index can narrow: every document streamed in sort order.
      ['$[*]', { sort: '@.size', order: 'desc', limit: 7 }],
      // An empty first chunk: no candidate has a value at the sort path.
      ['$[?!(@.model.metrics.accuracy >= 0)]', { sort: '@.model.metrics.accuracy', order: 'desc', limit: 5 }],
    ];
    for (const [text, options] of queries) {
      expectSameAnswers(regular, text, options);
      expectSameAnswers(regular, text, options, { driverCandidateLimit: 8, streamChunk: 64 });
    }
  });

  it('is not read for a set small enough to drive: the same answers', () => {
    const run = secondRun(new QueryEngine(regular.postgres.db), regular.postgres, TOP_1, BY_ACCURACY);
    expect(run.kind).toBe('driven-by-sort');
    expect(run.trips).toBe(2);
    expectSameAnswers(regular, TOP_1, { ...BY_ACCURACY, limit: 7 }, { driverCandidateLimit: 20_000, streamChunk: 4 });
  });

  it('is tried for a set small enough to drive once it counts more than the trial count: one round trip when it fills', () => {
    // 100 Apache-2.0 models: more than the trial count (20), fewer than the driver limit (400).
    const trial = { driverCandidateLimit: 400, trialStreamCount: 20 };
    const run = secondRun(new QueryEngine(regular.postgres.db, trial), regular.postgres, TOP_1, BY_ACCURACY);
    expect(run.kind).toBe('stream-by-sort');
    expect(run.trips).toBe(1);
    expect(run.items).toEqual(evaluatePlain(regular.documents, TOP_1, BY_ACCURACY));
    // Sizes tie in tens, three Apache-2.0 models in the largest: the first chunk (3 rows) ends
    // inside that group, which is read whole with the JSON of the two the page takes.
    const bySize: QueryOptions = { sort: '@.size', order: 'desc', limit: 1 };
    const tied = secondRun(new QueryEngine(regular.postgres.db, trial), regular.postgres, TOP_1, bySize);
    expect(tied.kind).toBe('stream-by-sort');
    expect(tied.trips).toBe(2);
    expect(tied.items).toEqual(evaluatePlain(regular.documents, TOP_1, bySize));
    for (const options of [
      BY_ACCURACY,
      bySize,
      { ...bySize, limit: 7 },
      { sort: '@.model.metrics.accuracy', limit: 4 },
    ])
      expectSameAnswers(regular, TOP_1, options as QueryOptions, trial);
  });

  it('counts on and drives a tried set that does not fill the chunk from its stretch of the sort path', () => {
    // The 141 least accurate models, sorted most accurate first: none in the first 96 rows read.
    const text = '$[?@.model.metrics.accuracy < 0.05]';
    const trial = { driverCandidateLimit: 400, trialStreamCount: 20 };
    const run = secondRun(new QueryEngine(regular.postgres.db, trial), regular.postgres, text, BY_ACCURACY);
    expect(run.kind).toBe('driven-by-sort');
    expect(run.trips).toBe(3);
    expect(run.items).toEqual(evaluatePlain(regular.documents, text, BY_ACCURACY));
    expectSameAnswers(regular, text, { ...BY_ACCURACY, limit: 9 }, trial);
    // Past the driver limit the set streams, as without the trial: the same pages.
    expectSameAnswers(regular, text, { ...BY_ACCURACY, limit: 9 }, { driverCandidateLimit: 100, trialStreamCount: 20 });
  });

  it('is not read while a document is truncated: the truncated one is still found first', () => {
    const truncated = pair('truncated', [...models(), truncatedModel()]);
    const run = secondRun(new QueryEngine(truncated.postgres.db, STREAMED), truncated.postgres, TOP_1, BY_ACCURACY);
    expect(run.kind).toBe('stream-by-sort');
    expect(run.trips).toBeGreaterThan(1);
    expect((run.items[0] as { model: { metrics: { accuracy: number } } }).model.metrics.accuracy).toBe(2);
    expectSameAnswers(truncated, TOP_1, { ...BY_ACCURACY, limit: 7 });
  });

  it('is not read while a string at the sort path is too long for the index: the long one is still first', () => {
    const long = pair('long', [...models(), longDescriptionModel()]);
    const options: QueryOptions = { sort: '@.model.description', order: 'desc', limit: 1 };
    const run = secondRun(new QueryEngine(long.postgres.db, STREAMED), long.postgres, TOP_1, options);
    expect(run.kind).toBe('stream-by-sort');
    expect(run.trips).toBeGreaterThan(1);
    expect((run.items[0] as { model: { description: string } }).model.description).toBe(LONG);
    expectSameAnswers(long, TOP_1, { ...options, limit: 7 });
  });
});
