/**
 * Untrusted queries: the public code-execution payloads against jsonpath-plus fail harmlessly in
 * both dialects (nothing runs: no global set, no process spawned, no prototype polluted), and
 * every query is bounded in length, time and result size.
 */
import { existsSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { JSONPath } from 'jsonpath-plus';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { isOcidexError } from '../../../src/domain/errors.js';
import { evaluatePlain, QueryEngine } from '../../../src/query/index.js';
import { fullMatch, searchMatch } from '../../../src/query/iregexp/index.js';
import { MAX_PLUS_VALUES } from '../../../src/query/limits.js';
import { testBackend } from '../../support/backend.js';
import { modelDocument, queryFixture } from './support.js';

const MARKER = join(tmpdir(), `ocidex-pwned-${process.pid}`);
const GLOBAL = 'OCIDEX_PWNED';
const SET_GLOBAL = `globalThis.${GLOBAL}=1`;
const SPAWN = `process.mainModule.require('child_process').execSync('touch ${MARKER}')`;

/** Payloads from the advisories (CVE-2024-21534, CVE-2025-1302) and common gadget tricks. */
const PAYLOADS = [
  // CVE-2024-21534 (vm escape through the constructor chain)
  `$..[?(p="${SET_GLOBAL}";a=''[['constructor']][['constructor']](p);a())]`,
  `$[?(@.constructor.constructor('${SET_GLOBAL}')())]`,
  `$..[?(@.constructor.constructor('return process')().mainModule.require('child_process').execSync('touch ${MARKER}'))]`,
  // CVE-2025-1302 (safe-mode bypass through computed members and assignment)
  `$[?(p="${SPAWN}";a=''[['constructor']][['constructor']](p);a())]`,
  `$..[?(a=''[['constructor']][['constructor']]('${SET_GLOBAL}');a())]`,
  // __proto__ / __lookupGetter__ / prototype pollution
  `$[?(@.__lookupGetter__('__proto__').call(@).constructor.constructor('${SET_GLOBAL}')())]`,
  `$[?(@['__proto__']['polluted']='yes')]`,
  `$[?(@.__proto__.polluted='yes')]`,
  `$[?(@.tags.constructor.prototype.polluted='yes')]`,
  `$[?((function(){${SET_GLOBAL}})())]`,
  `$[?(@.model.license.constructor.constructor('${SET_GLOBAL}')())]`,
  `$.constructor.constructor`,
  `$['__proto__']`,
];

const fixture = queryFixture([modelDocument('a'), modelDocument('b', { tags: ['x'] })]);
afterAll(() => fixture.cleanup());
afterEach(() => {
  delete (globalThis as Record<string, unknown>)[GLOBAL];
  rmSync(MARKER, { force: true });
});

function nothingRan(): void {
  expect((globalThis as Record<string, unknown>)[GLOBAL]).toBeUndefined();
  expect(existsSync(MARKER)).toBe(false);
  expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
}

function outcome(work: () => unknown): string {
  try {
    work();
    return 'ran';
  } catch (error) {
    return isOcidexError(error) ? error.code : `threw ${(error as Error).name}`;
  }
}

describe('code-execution payloads', () => {
  it.each(
    PAYLOADS.flatMap((payload) =>
      (['rfc9535', 'jsonpath-plus'] as const).map((dialect) => [dialect, payload] as const),
    ),
  )('%s: %s fails harmlessly', (dialect, payload) => {
    // Rejected, or (a valid RFC 9535 name query like $.constructor) selecting nothing.
    const engineOutcome = outcome(() => expect(fixture.engine.query(payload, { dialect }).items).toEqual([]));
    const plainOutcome = outcome(() => expect(evaluatePlain(fixture.documents(), payload, { dialect })).toEqual([]));
    expect(['invalid_query', 'ran']).toContain(engineOutcome);
    expect(plainOutcome).toBe(engineOutcome);
    if (dialect === 'jsonpath-plus' || payload.includes('?')) expect(engineOutcome).toBe('invalid_query');
    nothingRan();
  });

  it('would also fail harmlessly in jsonpath-plus safe mode, were our checks bypassed', () => {
    for (const payload of PAYLOADS) {
      try {
        JSONPath({ path: payload, json: fixture.documents() as never[], eval: 'safe' });
      } catch {
        // an error is a harmless failure
      }
      nothingRan();
    }
  });
});

describe('bounds', () => {
  it('rejects a query longer than maxQueryLength, before parsing it', () => {
    const engine = new QueryEngine(fixture.store.db, { maxQueryLength: 100 });
    let error: unknown;
    try {
      engine.query(`$[?@.a == '${'x'.repeat(200)}']`);
    } catch (caught) {
      error = caught;
    }
    expect(isOcidexError(error, 'invalid_query')).toBe(true);
    expect((error as { details: { position: number } }).details.position).toBe(100);
  });

  it('runs a catastrophic pattern in linear time (match and search)', () => {
    const input = `${'a'.repeat(20_000)}b`;
    const started = performance.now();
    expect(fullMatch(input, '(a+)+$')).toBe(false);
    expect(fullMatch(input, '(a|a)*c')).toBe(false);
    expect(searchMatch(input, '(a*)*c')).toBe(false);
    expect(fullMatch(input, '(a+)+b')).toBe(true);
    expect(performance.now() - started).toBeLessThan(2_000);
  });

  it('answers a catastrophic match() over documents quickly', () => {
    const slow = queryFixture([modelDocument('slow', { annotations: { text: `${'a'.repeat(5_000)}!` } })]);
    try {
      const started = performance.now();
      expect(slow.engine.query("$[?match(@.annotations.text, '(a+)+$')]").items).toEqual([]);
      expect(slow.engine.query("$[?search(@.annotations.text, '(a|aa)*b')]").items).toEqual([]);
      expect(performance.now() - started).toBeLessThan(2_000);
    } finally {
      slow.cleanup();
    }
  });

  it('stops a pathological evaluation inside one document with query_timeout, and stays responsive', () => {
    let chain: unknown = 1;
    for (let depth = 0; depth < 200; depth += 1) chain = { a: chain, b: [depth] };
    const heavy = queryFixture([modelDocument('heavy', { config: chain as never })]);
    try {
      const started = performance.now();
      // O(depth^3) nodes for one document: minutes without the budget.
      const outcomeCode = outcome(() => heavy.engine.query('$[?count(@..*..*..*) > 0]', { timeoutMs: 100 }));
      expect(outcomeCode).toBe('query_timeout');
      expect(performance.now() - started).toBeLessThan(3_000);
      expect(heavy.engine.query('$[*].reference').items).toHaveLength(1);
    } finally {
      heavy.cleanup();
    }
  });

  it('regression: a jsonpath-plus query multiplying descents and parents ran for hours; it stops at its deadline', () => {
    // Found by the API fuzz test: each `^` climbs back up for the next `..*` to descend again.
    const started = performance.now();
    const query = () =>
      fixture.engine.query(`$..*..*${'^..*^.^..*'.repeat(8)}`, { dialect: 'jsonpath-plus', timeoutMs: 100 });
    expect(outcome(query)).toBe('query_timeout');
    expect(performance.now() - started).toBeLessThan(3_000);
    expect(fixture.engine.query('$[*].reference', { dialect: 'jsonpath-plus' }).items).toHaveLength(2);
  });

  it('fails with result_too_large when jsonpath-plus would gather more than MAX_PLUS_VALUES values', () => {
    // 1,001 siblings: `^..*` from each climbs to their array and selects all 2,002 nodes under it again.
    const siblings = Array.from({ length: 1_001 }, (_, index) => ({ k: index }));
    const wide = queryFixture([modelDocument('wide', { config: { siblings } as never })]);
    try {
      const query = () => wide.engine.query('$..*^..*', { dialect: 'jsonpath-plus', timeoutMs: 60_000 });
      expect(outcome(query)).toBe('result_too_large');
      expect(MAX_PLUS_VALUES).toBeLessThan(1_001 * 2_002);
    } finally {
      wide.cleanup();
    }
  });

  // SQLite only: PostgreSQL stops a statement by its statement_timeout (test/unit/postgres/budget.test.ts).
  it.skipIf(testBackend() === 'postgres')(
    'stops a long SQL scan that finds nothing at the deadline (the budget is checked per row)',
    () => {
      const many = queryFixture(
        Array.from({ length: 3_000 }, (_, index) => modelDocument(`m${index}`, { size: index })),
      );
      try {
        const streaming = new QueryEngine(many.store.db, { driverCandidateLimit: 0 });
        expect(streaming.query('$[?@.size > 10 && @.size < 5]').items).toEqual([]);
        // A clock that moves 1 ms per read, so the outcome does not depend on this machine's speed:
        // only a budget checked while SQLite scans can stop a scan that yields no candidate.
        let clock = 0;
        const now = vi.spyOn(performance, 'now').mockImplementation(() => (clock += 1));
        try {
          expect(outcome(() => streaming.query('$[?@.size > 10 && @.size < 5]', { timeoutMs: 5 }))).toBe(
            'query_timeout',
          );
          expect(outcome(() => streaming.count('$[?@.size > -1]', { timeoutMs: 5 }))).toBe('query_timeout');
        } finally {
          now.mockRestore();
        }
      } finally {
        many.cleanup();
      }
    },
  );

  it('fails with result_too_large past maxResults without a limit, and pages with one', () => {
    const engine = new QueryEngine(fixture.store.db, { maxResults: 1 });
    expect(outcome(() => engine.query('$[*]'))).toBe('result_too_large');
    const page = engine.query('$[*].reference', { limit: 1 });
    expect(page.items).toHaveLength(1);
    expect(page.nextCursor).not.toBeNull();
    expect(outcome(() => engine.query('$[*]', { limit: 2 }))).toBe('invalid_argument');
  });

  it('points invalid queries at the offending position', () => {
    const cases: Array<[string, 'rfc9535' | 'jsonpath-plus', number]> = [
      ['$[?@.a ==]', 'rfc9535', 9],
      ['$.a[', 'rfc9535', 4],
      ['$[?(@.a === )]', 'jsonpath-plus', 12],
      ['$[?(@.a.constructor)]', 'jsonpath-plus', 8],
    ];
    for (const [text, dialect, position] of cases) {
      let error: unknown;
      try {
        fixture.engine.query(text, { dialect });
      } catch (caught) {
        error = caught;
      }
      expect(isOcidexError(error, 'invalid_query'), text).toBe(true);
      expect((error as { details: { position: number } }).details.position, text).toBe(position);
    }
  });
});
