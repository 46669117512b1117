/**
 * How many statements a query makes: each is a round trip on PostgreSQL, so the planner's probes
 * are asked together, and a small driving set or a sorted page's first chunk comes with its JSON.
 * Results are checked against the plain evaluator as well.
 */
import { afterAll, describe, expect, it } from 'vitest';
import type { JsonValue } from '../../../src/domain/document.js';
import { evaluatePlain, QueryEngine, type QueryOptions } from '../../../src/query/index.js';
import type { SqlDatabase, SqlStatement } from '../../../src/store/index.js';
import { modelDocument, queryFixture } from './support.js';

/** 600 models: even ones Apache-2.0, odd ones MIT; accuracy i/1000; sizes in groups of ten equal values. */
const fixture = queryFixture(
  Array.from({ length: 600 }, (_, index) => {
    const document = modelDocument(`m${String(index).padStart(3, '0')}`, { size: 1000 + Math.floor(index / 10) });
    const license = index % 2 === 0 ? 'Apache-2.0' : 'MIT';
    return { ...document, model: { ...document.model!, license, metrics: { accuracy: index / 1000 } } };
  }),
);
afterAll(() => fixture.cleanup());

/** `db` with every statement run counted. */
function counting(db: SqlDatabase): { db: SqlDatabase; runs: () => number } {
  let runs = 0;
  const count = <T>(work: () => T): T => {
    runs += 1;
    return work();
  };
  const wrap = (statement: SqlStatement): SqlStatement => ({
    run: (...params) => count(() => statement.run(...params)),
    get: (...params) => count(() => statement.get(...params)),
    all: (...params) => count(() => statement.all(...params)),
    iterate: (...params) => count(() => statement.iterate(...params)),
    pluck: (toggle) => wrap(statement.pluck(toggle ?? true)),
  });
  const wrapped = new Proxy(db, {
    get(target, property) {
      if (property === 'prepare') return (sql: string) => wrap(target.prepare(sql));
      const value = Reflect.get(target, property, target) as unknown;
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
  return { db: wrapped, runs: () => runs };
}

/** The statements the second run of `text` makes (the first one learns the path ids), and its items. */
function statementsOf(
  text: string,
  options: QueryOptions,
  engineOptions = {},
): { statements: number; items: JsonValue[] } {
  const { db, runs } = counting(fixture.store.db);
  const engine = new QueryEngine(db, engineOptions);
  engine.query(text, options);
  const before = runs();
  const { items } = engine.query(text, options);
  return { statements: runs() - before, items };
}

/**
 * A small driving set's candidates: read in the statement of the first counts on PostgreSQL (a
 * round trip each), in a statement of their own on SQLite (see Dialect.readsWithProbes).
 */
const countsThenCandidates = () => (fixture.store.db.dialect === 'postgres' ? 1 : 2);

describe('statements per query', () => {
  it('a selective conjunction: its probes, then its candidates with their JSON (one statement on PostgreSQL)', () => {
    const text = "$[?@.model.license == 'MIT' && @.model.metrics.accuracy > 0.59]";
    const { statements, items } = statementsOf(text, {});
    expect(items).toEqual(evaluatePlain(fixture.documents(), text));
    expect(items).toHaveLength(5);
    expect(statements).toBe(countsThenCandidates());
  });

  it('a conjunction whose larger side is counted further: both counts in the probes statement', () => {
    // Apache-2.0: 300 documents, past the first probe's 256; accuracy > 0.5: 99, which makes the
    // planner count Apache-2.0 up to 990 to see whether to intersect (it does). 99 is a small
    // driving set: on PostgreSQL its candidates come with the counts.
    const text = "$[?@.model.license == 'Apache-2.0' && @.model.metrics.accuracy > 0.5]";
    const { statements, items } = statementsOf(text, {});
    expect(items).toEqual(evaluatePlain(fixture.documents(), text));
    expect(items).toHaveLength(49);
    expect(statements).toBe(countsThenCandidates());
  });

  it('a conjunction whose smallest side is past a small driving set: the counts, then the candidates with the JSON a page reads', () => {
    // accuracy > 0.4: 199 documents, more than the candidates read with the counts (128): the
    // candidates are read after the counts, with the JSON of the first 128 in reference order
    // (all 100 here; in batches of 8, 16, 32 and 64 otherwise).
    const text = "$[?@.model.license == 'MIT' && @.model.metrics.accuracy > 0.4]";
    const { statements, items } = statementsOf(text, {});
    expect(items).toEqual(evaluatePlain(fixture.documents(), text));
    expect(items).toHaveLength(100);
    expect(statements).toBe(2);
  });

  it('a small conjunction sorted by a path: its candidates are read with their sort values after the counts', () => {
    const text = "$[?@.model.license == 'MIT' && @.model.metrics.accuracy > 0.59]";
    const options: QueryOptions = { sort: '@.size', order: 'desc' };
    const { statements, items } = statementsOf(text, options);
    expect(items).toEqual(evaluatePlain(fixture.documents(), text, options));
    expect(statements).toBe(2);
  });

  it('a top-1 streamed in sort order: the probes and a first chunk of the page size with its JSON (one statement on PostgreSQL)', () => {
    const text = "$[?@.model.license == 'Apache-2.0']";
    const options: QueryOptions = { sort: '@.model.metrics.accuracy', order: 'desc', limit: 1 };
    const streamed = { driverCandidateLimit: 10 };
    const { statements, items } = statementsOf(text, options, streamed);
    expect(items).toEqual(evaluatePlain(fixture.documents(), text, options));
    expect((items[0] as { model: { metrics: { accuracy: number } } }).model.metrics.accuracy).toBe(0.598);
    expect(statements).toBe(countsThenCandidates());
  });

  it('the count of an exact value at a counted path, read from the facet counts, chooses the same plan', () => {
    // MIT: 300 documents. Counted up to 299 it is streamed, up to 300 it drives: exact at the boundary.
    const text = "$[?@.model.license == 'MIT']";
    const options: QueryOptions = { sort: '@.model.metrics.accuracy', order: 'desc', limit: 1 };
    const expected = evaluatePlain(fixture.documents(), text, options);
    new QueryEngine(fixture.store.db).facet('@.model.license');
    const counted = fixture.store.db.prepare<[], number>('SELECT count(*) FROM facet_paths').pluck().get();
    expect(counted).toBeGreaterThan(0);
    for (const [limit, kind] of [
      [299, 'stream-by-sort'],
      [300, 'driven-by-sort'],
    ] as const) {
      const engine = new QueryEngine(fixture.store.db, { driverCandidateLimit: limit });
      const result = engine.query(text, options);
      expect(result.items).toEqual(expected);
      expect(result.plan.sql?.split(':')[0]).toBe(kind);
    }
  });

  it('pages sorted by values that tie across chunks are those of the plain evaluator', () => {
    const text = '$[?@.size >= 1005]';
    for (const order of ['asc', 'desc'] as const) {
      const options: QueryOptions = { sort: '@.size', order, limit: 25 };
      const engine = new QueryEngine(fixture.store.db, { driverCandidateLimit: 10, streamChunk: 4 });
      const expected = evaluatePlain(fixture.documents(), text, { sort: '@.size', order });
      const pages: JsonValue[] = [];
      let cursor: string | null | undefined;
      do {
        const page = engine.query(text, { ...options, ...(cursor ? { cursor } : {}) });
        pages.push(...page.items);
        cursor = page.nextCursor;
      } while (cursor);
      expect(pages).toEqual(expected);
    }
  });
});
