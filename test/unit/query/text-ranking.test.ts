import { afterEach, describe, expect, it } from 'vitest';
import type { JsonValue } from '../../../src/domain/document.js';
import { type QueryOptions, QueryEngine } from '../../../src/query/index.js';
import { modelInfo } from '../../support/documents.js';
import { modelDocument, type QueryFixture, queryFixture } from './support.js';

/** `label` described by `description` (the only place the searched word appears `count` times). */
const described = (label: string, description: string, license = 'MIT') =>
  modelDocument(label, { model: modelInfo(label, { description, license, authors: ['tests'] }) });

const CORPUS = [
  described('aa', 'zebra plain words here and there and more filler text'),
  described('bb', 'zebra zebra zebra'),
  described('cc', 'zebra zebra and some filler', 'Apache-2.0'),
  described('dd', 'nothing to see'),
  // Equal text: equal rank, ordered by reference.
  described('ee', 'zebra zebra'),
  described('ff', 'zebra zebra'),
];

let fixture: QueryFixture | null = null;
afterEach(() => fixture?.cleanup());

const referenceOf = (item: JsonValue) => (item as { reference: string }).reference;
const labelOf = (reference: string) => CORPUS.find((document) => document.reference === reference)?.repository;

/** Every item of `query`, page by page, with `limit` per page. */
function allPages(engine: QueryEngine, query: string, options: QueryOptions, limit: number): string[] {
  const references: string[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < 20; page += 1) {
    const result = engine.query(query, { ...options, limit, ...(cursor === undefined ? {} : { cursor }) });
    references.push(...result.items.map(referenceOf));
    if (result.nextCursor === null) return references;
    cursor = result.nextCursor;
  }
  throw new Error('paging did not end');
}

describe('text search ranked by relevance', () => {
  it('orders matches by bm25 when no sort is given, equal ranks by reference', () => {
    fixture = queryFixture(CORPUS);
    const items = fixture.engine.query('$[*]', { words: 'zebra' }).items.map(referenceOf);
    const labels = items.map(labelOf);
    expect(labels[0]).toBe('models/bb');
    expect(labels.at(-1)).toBe('models/aa');
    expect(labels).not.toContain('models/dd');
    const ee = items.indexOf(described('ee', '').reference);
    const ff = items.indexOf(described('ff', '').reference);
    expect(ff - ee).toBe(described('ee', '').reference < described('ff', '').reference ? 1 : -1);
  });

  it('keeps the order by sort path when one is given', () => {
    fixture = queryFixture(CORPUS);
    const items = fixture.engine.query('$[*]', { words: 'zebra', sort: '@.repository' }).items.map(referenceOf);
    expect(items.map(labelOf)).toEqual(['models/aa', 'models/bb', 'models/cc', 'models/ee', 'models/ff']);
  });

  for (const tuning of [{}, { driverCandidateLimit: 0, streamChunk: 2 }]) {
    it(`pages through ranked results without duplicates or gaps (${JSON.stringify(tuning)})`, () => {
      fixture = queryFixture(CORPUS);
      const engine = new QueryEngine(fixture.store.db, tuning);
      const whole = engine.query('$[*]', { words: 'zebra' }).items.map(referenceOf);
      expect(whole).toHaveLength(5);
      for (const limit of [1, 2, 3]) expect(allPages(engine, '$[*]', { words: 'zebra' }, limit)).toEqual(whole);
    });
  }

  it('applies q exactly to ranked candidates, in both dialects', () => {
    fixture = queryFixture(CORPUS);
    const rfc = fixture.engine.query("$[?@.model.license == 'MIT']", { words: 'zebra', limit: 2 });
    const plus = fixture.engine.query("$[?(@.model.license === 'MIT')]", {
      words: 'zebra',
      dialect: 'jsonpath-plus',
      limit: 2,
    });
    expect(rfc.items.map(referenceOf)).toEqual(plus.items.map(referenceOf));
    expect(rfc.items.map(referenceOf).map(labelOf)[0]).toBe('models/bb');
    const ranked = allPages(fixture.engine, "$[?@.model.license == 'MIT']", { words: 'zebra' }, 1);
    expect(ranked.map(labelOf)).not.toContain('models/cc');
    expect(ranked).toHaveLength(4);
  });
});

describe('explain of a text search', () => {
  it('names the ranked source without sort, the query order with sort or order=desc', () => {
    fixture = queryFixture(CORPUS);
    const ranked = fixture.engine.explain('$[*]', { words: 'zebra' });
    expect(ranked.source).toBe('ranked-by-text');
    expect(ranked.sql).toMatch(/^ranked-by-text: /);
    expect(fixture.engine.explain("$[?@.model.license == 'MIT']", { words: 'zebra' }).source).toBe('ranked-by-text');
    expect(fixture.engine.explain('$[*]', { words: 'zebra', order: 'desc' }).source).toMatch(/-by-reference$/);
    expect(fixture.engine.explain('$[*]', { words: 'zebra', sort: '@.size' }).source).toMatch(/-by-sort$/);
    expect(fixture.engine.explain('$[*]').source).toBe('stream-by-reference');
  });
});

describe('cursors of a ranked text search', () => {
  const wireOf = (cursor: string) => JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  const cursorOf = (wire: unknown) => Buffer.from(JSON.stringify(wire)).toString('base64url');
  /** The ranking a cursor names: the backend's own (FTS5 bm25, PostgreSQL ts_rank). */
  const rankOrder = () => (fixture?.store.db.dialect === 'postgres' ? 'ts_rank' : 'bm25');

  it('resume a ranked cursor made before cursors named their order (rank key, no order field)', () => {
    fixture = queryFixture(CORPUS);
    const first = fixture.engine.query('$[*]', { words: 'zebra', limit: 2 });
    const { b, ...legacy } = wireOf(first.nextCursor as string);
    expect(b).toBe(rankOrder());
    const resumed = fixture.engine.query('$[*]', { words: 'zebra', limit: 2, cursor: cursorOf(legacy) });
    const fresh = fixture.engine.query('$[*]', { words: 'zebra', limit: 2, cursor: first.nextCursor as string });
    expect(resumed.items).toEqual(fresh.items);
  });

  it('refuse a reference-order cursor instead of restarting the ranking', () => {
    fixture = queryFixture(CORPUS);
    const first = fixture.engine.query('$[*]', { words: 'zebra', limit: 2 });
    const { b: _, ...wire } = wireOf(first.nextCursor as string);
    const cursor = cursorOf({ ...wire, k: null });
    expect(() => fixture?.engine.query('$[*]', { words: 'zebra', limit: 2, cursor })).toThrow(
      `made for results in reference (or sort) order, but these results are in text relevance order (${rankOrder()})`,
    );
  });
});
