/**
 * Query texts that used to overflow a parser's stack or throw inside jsonpath-plus (a 500 through
 * the API): each is now `invalid_query`, found before any recursion.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { isOcidexError } from '../../../src/domain/errors.js';
import { compileQuery } from '../../../src/query/index.js';
import { MAX_QUERY_DEPTH } from '../../../src/query/limits.js';
import { checkNesting } from '../../../src/query/nesting.js';
import { modelDocument, queryFixture } from './support.js';

const fixture = queryFixture([modelDocument('a'), modelDocument('b')]);
afterAll(() => fixture.cleanup());

function failure(work: () => unknown): { code: string; position?: number } {
  try {
    work();
  } catch (error) {
    if (isOcidexError(error)) return { code: error.code, position: error.details.position };
    return { code: `threw ${(error as Error).name}: ${(error as Error).message}` };
  }
  return { code: 'ran' };
}

const DEEP: Array<[string, 'rfc9535' | 'jsonpath-plus', string]> = [
  ['nested filter queries', 'rfc9535', `$${'[?@'.repeat(1000)}${']'.repeat(1000)}`],
  ['a run of negations', 'rfc9535', `$[?${'!'.repeat(4000)}@.a]`],
  ['parenthesised logical expression', 'rfc9535', `$[?${'('.repeat(2000)}@.a${')'.repeat(2000)}]`],
  ['parenthesised script', 'jsonpath-plus', `$[?(${'('.repeat(2000)}@.a${')'.repeat(2000)})]`],
  ['a run of unary minus', 'jsonpath-plus', `$[?(${'- '.repeat(2000)}1)]`],
  ['nested brackets', 'jsonpath-plus', `$${'['.repeat(1500)}`],
];

describe('nesting limit (regression: RangeError, a 500 through the API)', () => {
  it.each(DEEP)('%s (%s) is invalid_query, positioned where it passes the limit', (_name, dialect, text) => {
    const outcome = failure(() => fixture.engine.query(text, { dialect }));
    expect(outcome.code).toBe('invalid_query');
    expect(outcome.position).toBeGreaterThan(0);
    expect(outcome.position).toBeLessThanOrEqual(text.length);
  });

  it('accepts nesting up to the limit and refuses one level more', () => {
    const nested = (depth: number) => `$[?${'('.repeat(depth - 1)}@.size${')'.repeat(depth - 1)} > 1]`;
    expect(fixture.engine.query(nested(MAX_QUERY_DEPTH)).items).toHaveLength(2);
    expect(failure(() => fixture.engine.query(nested(MAX_QUERY_DEPTH + 1))).code).toBe('invalid_query');
  });

  it('does not count brackets inside string literals', () => {
    expect(() => checkNesting(`$[?@.a == '${'['.repeat(500)}' || @.b == "${'(('.repeat(300)}\\""]`)).not.toThrow();
    expect(() => checkNesting(`$['${'['.repeat(200)}`)).not.toThrow();
  });

  it('counts prefix operators with spaces between them as one run', () => {
    expect(failure(() => checkNesting(`$[?${'! '.repeat(MAX_QUERY_DEPTH)}@.a]`)).code).toBe('invalid_query');
    expect(() => checkNesting(`$[?${'!'.repeat(10)}@.a && ${'!'.repeat(10)}@.b]`)).not.toThrow();
  });
});

describe('jsonpath-plus update operators (regression: passed the allow-list, threw inside jsonpath-plus)', () => {
  const UPDATES = ['$[?(--1)]', '$[?(++1)]', '$[?(@.a--)]', '$[?(@.size++1)]', '$[?(1--1)]', '$[?(-(--@.a))]'];
  it.each(UPDATES)('%s is invalid_query, positioned at the operator', (text) => {
    const outcome = failure(() => compileQuery(text, 'jsonpath-plus'));
    expect(outcome.code).toBe('invalid_query');
    expect(text.slice(outcome.position)).toMatch(/^(--|\+\+)/);
  });

  it('still accepts unary minus and plus separated by a space', () => {
    expect(fixture.engine.query('$[?(@.size > - -1)]', { dialect: 'jsonpath-plus' }).items).toHaveLength(2);
    expect(fixture.engine.query('$[?(@.size > + -1)]', { dialect: 'jsonpath-plus' }).items).toHaveLength(2);
  });
});
