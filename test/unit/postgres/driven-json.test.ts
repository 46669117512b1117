/**
 * A driving set too large to read every candidate's JSON with it (more than 128 by its count)
 * reads the JSON of the rows a first page goes through in the same statement (planner.ts
 * `drivenJsonColumn`): on PostgreSQL the counts and that statement are the page's only round
 * trips, where each batch of JSON was one more. Pages, cursors and items stay SQLite's and the
 * plain evaluator's.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JsonValue } from '../../../src/domain/document.js';
import { evaluatePlain, QueryEngine, type QueryOptions } from '../../../src/query/index.js';
import { type IndexStore, openIndex, type PgDatabase } from '../../../src/store/index.js';
import { dropPostgresDatabase, freshPostgresDatabase } from '../../support/backend.js';
import { modelDocument, modelInfo } from '../../support/documents.js';
import { pagesOf } from './pages.js';

const LICENSES = ['Apache-2.0', 'MIT', 'gemma'];
/** 200 accurate documents (accuracy >= 0.5), a third of them MIT: 66 match, driven by a set of 133 or 200. */
const TEXT = "$[?@.model.metrics.accuracy >= 0.5 && @.model.license == 'MIT']";

const directory = mkdtempSync(join(tmpdir(), 'ocidex-driven-json-'));
const url = freshPostgresDatabase();
let sqlite: IndexStore;
let postgres: IndexStore;
let documents: JsonValue[];

beforeAll(() => {
  const models = Array.from({ length: 400 }, (_, index) => {
    const label = `model-${String(index).padStart(3, '0')}`;
    const license = LICENSES[index % LICENSES.length] as string;
    return modelDocument(label, { model: modelInfo(label, { license, metrics: { accuracy: index / 400 } }) });
  });
  sqlite = openIndex(join(directory, 'index.db'));
  postgres = openIndex(url);
  for (const store of [sqlite, postgres]) store.putDocuments(models);
  documents = [...sqlite.iterateDocuments()] as unknown as JsonValue[];
});

afterAll(() => {
  sqlite?.close();
  postgres?.close();
  dropPostgresDatabase(url);
  rmSync(directory, { recursive: true, force: true });
});

/** Round trips to PostgreSQL of the second run (the first learns the path ids), with its items and plan. */
function secondRun(options: QueryOptions) {
  const engine = new QueryEngine(postgres.db);
  engine.query(TEXT, options);
  const before = (postgres.db as PgDatabase).roundTrips;
  const page = engine.query(TEXT, options);
  return { trips: (postgres.db as PgDatabase).roundTrips - before, page };
}

describe('a large driving set on PostgreSQL', () => {
  it('reads the JSON of a first page with the driving set, by reference or sorted: two round trips', () => {
    const cases: Array<[QueryOptions, string]> = [
      [{}, 'driven-by-reference'],
      [{ limit: 10 }, 'driven-by-reference'],
      [{ limit: 10, order: 'desc' }, 'driven-by-reference'],
      [{ limit: 10, sort: '@.model.metrics.accuracy', order: 'desc' }, 'driven-by-sort'],
      [{ limit: 5, sort: '@.model.name' }, 'driven-by-sort'],
    ];
    for (const [options, kind] of cases) {
      const run = secondRun(options);
      expect(run.page.plan.sql?.split(':')[0]).toBe(kind);
      // Every candidate matches: a page reads its items and one more (is there a next page?).
      expect(run.page.plan.candidates).toBe(Math.min(66, (options.limit ?? Infinity) + 1));
      expect(run.trips, JSON.stringify(options)).toBe(2);
      expect(run.page.items).toEqual(evaluatePlain(documents, TEXT, options).slice(0, options.limit));
    }
  });

  it('gives the pages and cursors SQLite gives, past the first page and in either order', () => {
    const cases: QueryOptions[] = [
      { limit: 10 },
      { limit: 30, order: 'desc' },
      { limit: 66 },
      { limit: 7, sort: '@.model.metrics.accuracy', order: 'desc' },
      { limit: 20, sort: '@.model.name' },
    ];
    for (const options of cases) {
      const expected = pagesOf(new QueryEngine(sqlite.db), TEXT, options);
      expect(pagesOf(new QueryEngine(postgres.db), TEXT, options), JSON.stringify(options)).toEqual(expected);
      const { limit: _limit, ...unlimited } = options;
      expect(expected.flatMap((page) => page.items)).toEqual(evaluatePlain(documents, TEXT, unlimited));
    }
  });
});
