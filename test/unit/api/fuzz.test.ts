/**
 * Property-based fuzzing of untrusted query texts through the API (`app.request()`), in both
 * dialects: random texts over the JSONPath alphabet, mutations of the compliance suite's
 * selectors, and mutations of the hostile texts that once gave 500s. Every answer is 200, 400 or
 * 422 in the error shape, never a 5xx; and work is bounded by the budget: with a clock that
 * moves 1 ms per read, no request reads it more than the budget allows (a query the budget did
 * not stop would read it without end, or not at all while looping).
 */
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createApp } from '../../../src/api/index.js';
import { InProcessQueries, QueryEngine } from '../../../src/query/index.js';
import { type ApiFixture, apiFixture } from './support.js';

/** The engine's budget in this test, in reads of the fake clock. */
const BUDGET_MS = 200;
/** Clock reads a request may make besides the budget's (metrics, middleware). */
const OTHER_READS = 50;
const RUNS = 150;

const CTS = JSON.parse(readFileSync(new URL('../../fixtures/jsonpath-cts/cts.json', import.meta.url), 'utf8')) as {
  tests: Array<{ selector: string }>;
};
const SELECTORS = CTS.tests.map((test) => test.selector);
const HOSTILE = [
  '$[?count($..*) > 0]',
  `$${'[?@'.repeat(1000)}${']'.repeat(1000)}`,
  `$[?${'!'.repeat(4000)}@.a]`,
  `$[?(${'('.repeat(2000)}@.a${')'.repeat(2000)})]`,
  '$[?(--1)]',
  '$[?(++1)]',
  "$[?match(@.model.name, '(a+)+$')]",
  '$..*..*..*',
  // jsonpath-plus: each `^` climbs back up for the next `..*` (ran for hours before the budget ticked its visits).
  `$..*..*${'^..*^.^..*'.repeat(8)}^..&&*`,
  '$[?(@.model.license === "MIT" && @.size > -1)]',
];
const TOKENS = [
  '$',
  '@',
  '[',
  ']',
  '(',
  ')',
  '?',
  '.',
  '..',
  '*',
  ',',
  ':',
  "'",
  '"',
  '!',
  '=',
  '==',
  '===',
  '<',
  '>=',
  '&&',
  '||',
  '-',
  '+',
  '--',
  '0',
  '1',
  '-1',
  'a',
  'model',
  'size',
  ' ',
  '\\',
  '\\u',
  'count(',
  'match(',
  'length(',
  'value(',
  '~',
  '^',
  '`',
  '@.',
  '$..',
  'true',
  'null',
  '@root',
  '@parent',
  '@property',
  '\u0000',
  '\u2028',
  '💥',
  '{',
  '}',
  ';',
  '#',
];

const dialect = fc.constantFrom('rfc9535', 'jsonpath-plus');
const randomText = fc.array(fc.constantFrom(...TOKENS), { maxLength: 40 }).map((tokens) => tokens.join(''));

/** One edit of a text: insert, delete or replace a token, or repeat a slice. */
const kind = fc.constantFrom('insert', 'delete', 'replace', 'repeat');
const edit = fc.tuple(fc.nat(), fc.nat(), fc.constantFrom(...TOKENS), kind);
function applyEdits(text: string, edits: ReadonlyArray<[number, number, string, string]>): string {
  let result = text;
  for (const [at, length, token, kind] of edits) {
    const start = at % (result.length + 1);
    const end = Math.min(result.length, start + (length % 8) + 1);
    if (kind === 'insert') result = result.slice(0, start) + token + result.slice(start);
    else if (kind === 'delete') result = result.slice(0, start) + result.slice(end);
    else if (kind === 'replace') result = result.slice(0, start) + token + result.slice(end);
    else result = result.slice(0, end) + result.slice(start, end).repeat(length % 50) + result.slice(end);
  }
  // A cut through an astral character leaves a lone surrogate, which no URL can carry.
  return result.slice(0, 4_096).replace(/[\uD800-\uDFFF]/gu, '?');
}
const mutated = (seeds: string[]) =>
  fc
    .tuple(fc.constantFrom(...seeds), fc.array(edit, { minLength: 1, maxLength: 4 }))
    .map(([seed, edits]) => applyEdits(seed, edits));

let fixture: ApiFixture;
let app: ReturnType<typeof createApp>;
let clock = 0;
beforeAll(() => {
  fixture = apiFixture();
  const engine = new QueryEngine(fixture.index.db, { defaultTimeoutMs: BUDGET_MS });
  app = createApp({ ...fixture.deps, queries: new InProcessQueries(engine) });
  vi.spyOn(performance, 'now').mockImplementation(() => (clock += 1));
});
afterAll(() => {
  vi.restoreAllMocks();
  fixture.cleanup();
});

/** Asserts the answer to `path` is a non-5xx in the right shape, within the clock budget. */
async function checkAnswer(path: string): Promise<void> {
  const before = clock;
  const response = await app.request(path);
  expect(clock - before).toBeLessThanOrEqual(BUDGET_MS + OTHER_READS);
  expect([200, 400, 422]).toContain(response.status);
  const body = (await response.json()) as { error?: { code: string; message: string } };
  if (response.status !== 200) {
    expect(typeof body.error?.message).toBe('string');
    expect(['invalid_query', 'invalid_argument', 'query_timeout', 'result_too_large']).toContain(body.error?.code);
  }
}

const checkModels = (text: string, name: string) =>
  checkAnswer(`/v1/models?q=${encodeURIComponent(text)}&dialect=${name}`);

describe('fuzzed queries through the API never give a 5xx and stay within the budget', () => {
  it('random texts over the JSONPath alphabet', async () => {
    await fc.assert(fc.asyncProperty(randomText, dialect, checkModels), { numRuns: RUNS });
  });

  it('mutations of the compliance-suite selectors', async () => {
    await fc.assert(fc.asyncProperty(mutated(SELECTORS), dialect, checkModels), { numRuns: RUNS });
  });

  it('mutations of the hostile texts', async () => {
    await fc.assert(fc.asyncProperty(mutated(HOSTILE), dialect, checkModels), { numRuns: RUNS });
  });

  it('facets filtered by mutated texts, at mutated paths', async () => {
    const path = mutated(['@.model.license', '@.tags[*]', '$.size', "@['model']['family']"]);
    const filter = mutated([...HOSTILE, ...SELECTORS.slice(0, 200)]);
    const property = fc.asyncProperty(path, filter, dialect, (facet, text, name) =>
      checkAnswer(`/v1/facets?path=${encodeURIComponent(facet)}&q=${encodeURIComponent(text)}&dialect=${name}`),
    );
    await fc.assert(property, { numRuns: RUNS });
  });

  it('the hostile texts themselves', async () => {
    for (const text of HOSTILE) for (const name of ['rfc9535', 'jsonpath-plus']) await checkModels(text, name);
  });
});
