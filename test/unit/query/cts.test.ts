/**
 * The JSONPath Compliance Test Suite (RFC 9535), all of it, against the parser and evaluator the
 * engine uses. The fixture is part of the project: a missing file fails the suite, never skips it.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { isOcidexError } from '../../../src/domain/errors.js';
import { parseRfc9535 } from '../../../src/query/rfc9535/compile.js';

interface ComplianceTest {
  name: string;
  selector: string;
  document?: unknown;
  result?: unknown[];
  results?: unknown[][];
  invalid_selector?: boolean;
}

const CTS_PATH = fileURLToPath(new URL('../../fixtures/jsonpath-cts/cts.json', import.meta.url));
const suite = JSON.parse(readFileSync(CTS_PATH, 'utf8')) as { tests: ComplianceTest[] };

describe('JSONPath compliance test suite', () => {
  it('has all 703 tests', () => {
    expect(suite.tests).toHaveLength(703);
  });

  it.each(suite.tests.map((test) => [test.name, test] as const))('%s', (_name, test) => {
    if (test.invalid_selector === true) {
      let error: unknown;
      try {
        parseRfc9535(test.selector);
      } catch (caught) {
        error = caught;
      }
      expect(isOcidexError(error, 'invalid_query')).toBe(true);
      expect(typeof (error as { details: { position?: number } }).details.position).toBe('number');
      return;
    }
    const values = parseRfc9535(test.selector)
      .query(test.document as never)
      .values();
    if (test.results !== undefined) expect(test.results).toContainEqual(values);
    else expect(values).toEqual(test.result);
  });
});
