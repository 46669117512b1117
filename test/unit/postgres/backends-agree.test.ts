/**
 * Both backends give the same answers: the same documents in a SQLite file and a PostgreSQL
 * database, the same queries (both dialects, sorts, filters, text), and identical items, cursor
 * pages, counts and facets. Text search is compared on whole words (each backend tokenizes with
 * its own full-text search; ranks differ, so ranked text results are compared as sets).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JsonValue } from '../../../src/domain/document.js';
import { QueryEngine, type QueryOptions } from '../../../src/query/index.js';
import { openIndex, type IndexStore } from '../../../src/store/index.js';
import { randomDocument } from '../query/differential/documents.js';
import { randomOptions, randomPlusQuery, randomRfcQuery } from '../query/differential/queries.js';
import { Random } from '../query/differential/random.js';
import { modelDocument } from '../query/support.js';
import { freshPostgresDatabase, dropPostgresDatabase } from '../../support/backend.js';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pagesOf } from './pages.js';

const directory = mkdtempSync(join(tmpdir(), 'ocidex-agree-'));
const url = freshPostgresDatabase();
let stores: IndexStore[];
let engines: QueryEngine[];

beforeAll(() => {
  const random = new Random(7);
  const documents = [
    ...Array.from({ length: 120 }, (_, index) => randomDocument(random, index)),
    modelDocument('llama-8b', { annotations: { 'org.example.note': 'chat tuned llama' } }),
    modelDocument('phi3-mini'),
    // JSON.stringify writes a lone surrogate as an escape, which PostgreSQL's json cannot read out.
    modelDocument('odd-one', { annotations: { 'org.example.note': 'lone \ud800 surrogate here' } }),
  ];
  stores = [openIndex(join(directory, 'index.db')), openIndex(url)];
  for (const store of stores) store.putDocuments(documents);
  engines = stores.map((store) => new QueryEngine(store.db, { driverCandidateLimit: 8, streamChunk: 4 }));
});

afterAll(() => {
  for (const store of stores ?? []) store.close();
  dropPostgresDatabase(url);
  rmSync(directory, { recursive: true, force: true });
});

/** Every page of `text` of 7 items (following cursors), items only. */
function pages(engine: QueryEngine, text: string, options: QueryOptions): JsonValue[][] {
  return pagesOf(engine, text, { ...options, limit: 7 }).map((page) => page.items);
}

/** The outcome of `work`: its value, or the error code it threw. */
function outcome<T>(work: () => T): T | { error: string } {
  try {
    return work();
  } catch (error) {
    return { error: (error as { code?: string }).code ?? String(error) };
  }
}

describe('SQLite and PostgreSQL agree', () => {
  it('on the pages, cursors and counts of random queries in both dialects', () => {
    const random = new Random(11);
    for (let index = 0; index < 120; index += 1) {
      const plus = index % 4 === 3;
      const text = plus ? randomPlusQuery(random) : randomRfcQuery(random);
      const options: QueryOptions = { ...randomOptions(random), ...(plus ? { dialect: 'jsonpath-plus' } : {}) };
      const [sqlite, postgres] = engines.map((engine) => outcome(() => pages(engine, text, options)));
      expect(postgres, `${text} ${JSON.stringify(options)}`).toEqual(sqlite);
      const [sqliteCount, postgresCount] = engines.map((engine) => outcome(() => engine.count(text, options)));
      expect(postgresCount, `count ${text}`).toEqual(sqliteCount);
    }
  });

  it('on facets of several paths, over everything and under a filter', () => {
    const paths = ['@.format', '@.kind', '@.model.license', '@.tags[*]', '@.size'];
    for (const text of [undefined, '$[?@.size > 100]', "$[?@.kind == 'model']"]) {
      const [sqlite, postgres] = engines.map((engine) => engine.facets(paths, text));
      expect(postgres).toEqual(sqlite);
    }
  });

  it('on text search by whole words, alone and with a query', () => {
    for (const words of ['llama', 'phi3 mini', 'chat tuned', 'surrogate', 'nothing-like-this']) {
      for (const text of ['$[*]', "$[?@.kind == 'model']"]) {
        const [sqlite, postgres] = engines.map((engine) =>
          engine
            .query(text, { words, limit: 1000 })
            .items.map((item) => JSON.stringify(item))
            .sort(),
        );
        expect(postgres, `${words} ${text}`).toEqual(sqlite);
      }
    }
    expect(engines[1]?.query('$[*]', { words: 'llama' }).items.length).toBeGreaterThan(0);
    expect(engines[1]?.query('$[*].reference', { words: 'surrogate' }).items).toHaveLength(1);
  });
});
