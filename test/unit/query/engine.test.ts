/**
 * The engine's contract beyond single results: sort order (types, missing last), cursors
 * (stable while documents are added and removed), counts, facets, totals, explain, shapes.
 */
import { afterAll, describe, expect, it } from 'vitest';
import type { JsonValue } from '../../../src/domain/document.js';
import { isOcidexError } from '../../../src/domain/errors.js';
import { evaluatePlain, type QueryOptions } from '../../../src/query/index.js';
import { modelDocument, queryFixture } from './support.js';

/** A model document named `label` (license Apache-2.0 unless given) with `accuracy` (omitted when undefined). */
function withAccuracy(label: string, accuracy: unknown, license: string | null = 'Apache-2.0') {
  const model = modelDocument(label).model!;
  const metrics = (accuracy === undefined ? {} : { accuracy }) as Record<string, number>;
  return modelDocument(label, { model: { ...model, license, metrics } });
}

const fixture = queryFixture([
  withAccuracy('n1', 0.5, 'MIT'),
  withAccuracy('n2', 0.99),
  withAccuracy('n3', 0.7),
  withAccuracy('s1', 'high', null),
  withAccuracy('b1', true, 'MIT'),
  withAccuracy('z1', null),
  withAccuracy('o1', { value: 1 }),
  withAccuracy('m1', undefined),
  modelDocument('m2', { model: null }),
]);
afterAll(() => fixture.cleanup());

const names = (items: JsonValue[]) =>
  items.map((item) => (item as { model: { name: string } | null }).model?.name ?? 'm2');

function errorCode(work: () => unknown): string | undefined {
  try {
    work();
  } catch (error) {
    return isOcidexError(error) ? error.code : 'other';
  }
  return undefined;
}

describe('sort order', () => {
  it('orders by type (null, false, true, numbers, strings, objects, arrays), missing last', () => {
    const items = fixture.engine.query('$[*]', { sort: '@.model.metrics.accuracy' }).items;
    expect(names(items)).toEqual(['z1', 'b1', 'n1', 'n3', 'n2', 's1', 'o1', 'm1', 'm2']);
  });

  it('reverses present values for desc, and still puts missing values last', () => {
    const items = fixture.engine.query('$[*]', { sort: '@.model.metrics.accuracy', order: 'desc' }).items;
    expect(names(items)).toEqual(['o1', 's1', 'n2', 'n3', 'n1', 'b1', 'z1', 'm2', 'm1']);
  });

  it('is the plain evaluator order for every sort path and order', () => {
    for (const sort of [
      '@.model.license',
      '@.model.metrics.accuracy',
      '@.model',
      '@.size',
      '$.model.licenses[0]',
      '@.nope',
    ]) {
      for (const order of ['asc', 'desc'] as const) {
        const options: QueryOptions = { sort, order };
        expect(fixture.engine.query('$[*].reference', options).items).toEqual(
          evaluatePlain(fixture.documents(), '$[*].reference', options),
        );
      }
    }
  });

  it('finds the most accurate Apache-2.0 model through the index', () => {
    const options: QueryOptions = { sort: '@.model.metrics.accuracy', order: 'desc', limit: 1 };
    const result = fixture.engine.query(
      "$[?@.model.license == 'Apache-2.0' && @.model.metrics.accuracy >= 0]",
      options,
    );
    expect(names(result.items)).toEqual(['n2']);
    expect(result.plan.indexed).toBe(true);
    expect(fixture.engine.explain("$[?@.model.license == 'Apache-2.0']", options)).toMatchObject({
      indexed: true,
      sort: { indexed: true },
    });
  });

  it('rejects a sort path that is not singular', () => {
    expect(errorCode(() => fixture.engine.query('$[*]', { sort: '@.tags[*]' }))).toBe('invalid_argument');
    expect(errorCode(() => fixture.engine.query('$[*]', { sort: '@..name' }))).toBe('invalid_argument');
  });
});

describe('cursors', () => {
  it('page through the result and end with a null cursor', () => {
    const all = fixture.engine.query('$[*].reference').items;
    const pages: JsonValue[] = [];
    let cursor: string | undefined;
    do {
      const page = fixture.engine.query('$[*].reference', { limit: 2, ...(cursor ? { cursor } : {}) });
      pages.push(...page.items);
      cursor = page.nextCursor ?? undefined;
    } while (cursor !== undefined);
    expect(pages).toEqual(all);
  });

  it('stay stable while documents are added and removed between pages', () => {
    const store = queryFixture(['a', 'c', 'e', 'g'].map((label) => modelDocument(label, { repository: `r/${label}` })));
    try {
      const options: QueryOptions = { limit: 2, sort: '@.repository' };
      const first = store.engine.query('$[*].repository', options);
      expect(first.items).toEqual(['r/a', 'r/c']);
      store.store.putDocuments([modelDocument('b', { repository: 'r/b' }), modelDocument('f', { repository: 'r/f' })]);
      store.store.deleteDocument('registry.test', 'r/e', modelDocument('e', { repository: 'r/e' }).digest);
      const second = store.engine.query('$[*].repository', { ...options, cursor: first.nextCursor! });
      expect(second.items).toEqual(['r/f', 'r/g']);
      expect(second.nextCursor).toBeNull();
    } finally {
      store.cleanup();
    }
  });

  it('resume inside a document that yields several items', () => {
    const first = fixture.engine.query('$[*].model.licenses[*]', { limit: 1 });
    const rest = fixture.engine.query('$[*].model.licenses[*]', { cursor: first.nextCursor! });
    expect([...first.items, ...rest.items]).toEqual(fixture.engine.query('$[*].model.licenses[*]').items);
  });

  it('are refused when malformed or from another query, sort or order', () => {
    const { nextCursor } = fixture.engine.query('$[*]', { limit: 1 });
    expect(errorCode(() => fixture.engine.query('$[*]', { cursor: 'bm9wZQ' }))).toBe('invalid_argument');
    expect(errorCode(() => fixture.engine.query('$[*].size', { cursor: nextCursor! }))).toBe('invalid_argument');
    expect(errorCode(() => fixture.engine.query('$[*]', { cursor: nextCursor!, order: 'desc' }))).toBe(
      'invalid_argument',
    );
  });

  it('page whole-array queries by offset', () => {
    const first = fixture.engine.query('$[1:7].reference', { limit: 4 });
    const second = fixture.engine.query('$[1:7].reference', { limit: 4, cursor: first.nextCursor! });
    expect([...first.items, ...second.items]).toEqual(evaluatePlain(fixture.documents(), '$[1:7].reference'));
    expect(second.nextCursor).toBeNull();
  });
});

describe('counts, totals and facets', () => {
  it('counts items without fetching them, and reports a total on a complete first page', () => {
    expect(fixture.engine.count("$[?@.model.license == 'Apache-2.0']")).toBe(5);
    expect(fixture.engine.count('$[*].model.licenses[*]')).toBe(
      evaluatePlain(fixture.documents(), '$[*].model.licenses[*]').length,
    );
    expect(fixture.engine.query("$[?@.model.license == 'MIT']").total).toBe(2);
    expect(fixture.engine.query("$[?@.model.license == 'MIT']", { limit: 1 }).total).toBeUndefined();
  });

  it('computes a license facet with counts, most frequent first', () => {
    expect(fixture.engine.facet('@.model.license')).toEqual([
      { value: 'Apache-2.0', count: 5 },
      { value: 'MIT', count: 2 },
      { value: null, count: 1 },
    ]);
    expect(fixture.engine.facet('@.model.license', '$[?@.model.metrics.accuracy > 0.6]')).toEqual([
      { value: 'Apache-2.0', count: 2 },
    ]);
    expect(fixture.engine.facet('@.model.licenses[*]', '$[?@.model.license == null]')).toEqual([
      { value: 'Apache-2.0', count: 1 },
    ]);
  });

  it('refuses a facet over a whole-array query', () => {
    expect(errorCode(() => fixture.engine.facet('@.model.license', '$[0]'))).toBe('invalid_argument');
  });
});

describe('shapes and plans', () => {
  it('answers $.name (never selects anything on the array) without reading documents', () => {
    const result = fixture.engine.query('$.reference');
    expect(result).toMatchObject({ items: [], plan: { candidates: 0 } });
  });

  it('evaluates whole-array queries over every document', () => {
    for (const text of [
      '$',
      '$[0].reference',
      '$[-1:]',
      '$[?@.size == $[0].size].reference',
      '$[?@.model, ?@.size].reference',
    ]) {
      expect(fixture.engine.query(text).items, text).toEqual(evaluatePlain(fixture.documents(), text));
    }
  });

  it('explains selective, non-indexable and whole-array queries', () => {
    expect(fixture.engine.explain("$[?@.model.license == 'MIT']")).toMatchObject({
      shape: 'per-document',
      indexed: true,
      exact: true,
      source: 'driven-by-reference',
    });
    expect(fixture.engine.explain('$[?count(@.tags[*]) > 1]')).toMatchObject({
      indexed: false,
      exact: false,
      source: 'stream-by-reference',
    });
    expect(fixture.engine.explain('$[0]')).toMatchObject({ shape: 'whole-array', source: null });
  });

  it('plans jsonpath-plus filters over the index too', () => {
    const text = "$[?(@.model.license === 'MIT' && @.model.metrics.accuracy < 0.6)].reference";
    const result = fixture.engine.query(text, { dialect: 'jsonpath-plus' });
    expect(result.items).toEqual(evaluatePlain(fixture.documents(), text, { dialect: 'jsonpath-plus' }));
    expect(result.items).toHaveLength(1);
    // `<` in JavaScript converts: b1's `true` is a candidate too, and evaluation drops it.
    expect(result.plan).toMatchObject({ indexed: true, candidates: 2 });
  });

  it('rejects an unknown dialect and bad limits', () => {
    expect(errorCode(() => fixture.engine.query('$', { dialect: 'xpath' as never }))).toBe('invalid_argument');
    expect(errorCode(() => fixture.engine.query('$', { limit: 0 }))).toBe('invalid_argument');
    expect(errorCode(() => fixture.engine.query('$', { order: 'up' as never }))).toBe('invalid_argument');
  });
});
