/**
 * RFC 9535 comparison semantics the planner must respect (its candidate set is a superset):
 * Nothing vs null, `!=` matching absent members, mixed types, `!` over comparisons, strings
 * longer than the index keeps, paths deeper than it keeps, truncated documents.
 */
import { afterAll, describe, expect, it } from 'vitest';
import type { JsonValue } from '../../../src/domain/document.js';
import { isOcidexError } from '../../../src/domain/errors.js';
import { MAX_INDEXED_STRING, MAX_VALUES_PER_DOCUMENT } from '../../../src/store/values.js';
import { evaluatePlain, QueryEngine } from '../../../src/query/index.js';
import { modelDocument, queryFixture } from './support.js';

const LONG = 'y'.repeat(MAX_INDEXED_STRING + 10);
const bulk = Object.fromEntries(Array.from({ length: MAX_VALUES_PER_DOCUMENT }, (_, index) => [`k${index}`, index]));
let deep: JsonValue = { v: 5 };
for (let level = 0; level < 9; level += 1) deep = { a: deep };

const fixture = queryFixture([
  modelDocument('A', { extra: { v: null } }),
  modelDocument('B', { extra: { v: 1 } }),
  modelDocument('C', { extra: { v: '1' } }),
  modelDocument('D', { extra: {} }),
  modelDocument('E'),
  modelDocument('F', { extra: { v: LONG } }),
  modelDocument('G', { extra: { v: true } }),
  modelDocument('H', { extra: { v: [1, 2] } }),
  modelDocument('I', { deep }),
  // Its values stop at MAX_VALUES_PER_DOCUMENT: `extra` (after `bulk`) has no row at all.
  modelDocument('T', { bulk, extra: { v: 1 } }),
]);
const streaming = new QueryEngine(fixture.store.db, { driverCandidateLimit: 0, streamChunk: 2 });
afterAll(() => fixture.cleanup());

const ALL = ['A', 'B', 'C', 'D', 'E', 'F', 'G', 'H', 'I', 'T'];
const except = (...labels: string[]) => ALL.filter((label) => !labels.includes(label));

function labels(items: JsonValue[]): string[] {
  return items.map((item) => (item as { model: { name: string } }).model.name).sort();
}

describe('comparison semantics over the index', () => {
  it('has the truncated document it needs', () => {
    const row = fixture.store.db
      .prepare("SELECT values_truncated AS t FROM documents WHERE reference LIKE '%models/T@%'")
      .get() as { t: number };
    expect(row.t).toBe(1);
  });

  it.each([
    ['$[?@.extra.v == null]', ['A']],
    ['$[?@.extra.v != null]', except('A')],
    ['$[?@.extra.v == 1]', ['B', 'T']],
    ['$[?@.extra.v != 1]', except('B', 'T')],
    ['$[?@.extra.v < 2]', ['B', 'T']],
    ['$[?!(@.extra.v < 2)]', except('B', 'T')],
    ["$[?@.extra.v >= '1']", ['C', 'F']],
    ["$[?@.extra.v > 'x']", ['F']],
    [`$[?@.extra.v == '${LONG}']`, ['F']],
    [`$[?@.extra.v != '${LONG}']`, except('F')],
    ['$[?@.extra.v]', ['A', 'B', 'C', 'F', 'G', 'H', 'T']],
    ['$[?!@.extra.v]', ['D', 'E', 'I']],
    ['$[?@.extra]', except('E', 'I')],
    ['$[?@.extra.v == true]', ['G']],
    ['$[?@.extra.v <= true]', ['G']],
    ['$[?@.extra.v < true]', []],
    ['$[?@.extra.v <= null]', ['A']],
    ['$[?@.extra.v == @.extra.w]', except('A', 'B', 'C', 'F', 'G', 'H', 'T')],
    ['$[?@.deep.a.a.a.a.a.a.a.a.a.v == 5]', ['I']],
    ['$[?@.deep.a.a.a.a.a.a.a.a.a.v != 5]', except('I')],
    ['$[?@.deep.a.a.a.a.a.a.a.a]', ['I']],
    ['$[?@.extra.v[0] == 1]', ['H']],
    ['$[?@.extra.v[-1] == 2]', ['H']],
    ['$[?@.extra.v[?@ == 2]]', ['H']],
    ['$[?@.extra.v[?@ > 1 && @ < 3]]', ['H']],
    ['$[?length(@.extra.v) == 2]', ['H']],
    ['$[?length(@.extra.v) != 2]', except('H')],
    ['$[?value(@.extra.v) == 1]', ['B', 'T']],
    ["$[?match(@.extra.v, 'y+')]", ['F']],
    ["$[?!search(@.extra.v, '1')]", except('C')],
    ['$[?@.model.metrics.accuracy > 0.5 && @.extra.v == 1]', ['B', 'T']],
    ['$[?@.model.metrics.accuracy == 0.9 || @.extra.v == 1]', ALL],
  ])('%s', (text, expected) => {
    const plain = evaluatePlain(fixture.documents(), text);
    expect(labels(plain)).toEqual(expected);
    expect(fixture.engine.query(text).items).toEqual(plain);
    expect(streaming.query(text).items).toEqual(plain);
    expect(fixture.engine.count(text)).toBe(plain.length);
  });
});

describe('number literals (json-p3 2.3.1 rejects those starting with 0)', () => {
  it.each(['0.9', '0', '-0', '0e2', '0.5e-1', '-0.25', '1e-02'])('accepts %s', (literal) => {
    expect(() => fixture.engine.query(`$[?@.size > ${literal}]`)).not.toThrow();
  });

  it.each(['01', '00', '-01', '1.', '.5', '1e', '0x1'])('rejects %s', (literal) => {
    let error: unknown;
    try {
      fixture.engine.query(`$[?@.size > ${literal}]`);
    } catch (caught) {
      error = caught;
    }
    expect(isOcidexError(error, 'invalid_query')).toBe(true);
  });
});
