/**
 * Query workers on PostgreSQL under concurrent load, budgets running out at random points (a
 * statement cancelled by its timeout, a cursor abandoned mid-read): every answer afterwards is
 * still exactly the in-process engine's. (A reply taken for another call's once made a worker
 * answer empty pages after its first failure.)
 */
import { afterAll, describe, expect, it } from 'vitest';
import { isOcidexError } from '../../../src/domain/errors.js';
import { QueryPool } from '../../../src/query/index.js';
import { testPoolSettings } from '../../support/query-pool.js';
import { randomDocument } from '../query/differential/documents.js';
import { Random } from '../query/differential/random.js';
import { queryFixture } from '../query/support.js';

const random = new Random(3);
const fixture = queryFixture(Array.from({ length: 150 }, (_, index) => randomDocument(random, index)));
const pool = QueryPool.open(fixture.store.db, testPoolSettings({ workers: 2, maxQueued: 1000, maxPerClient: 1000 }));
afterAll(async () => {
  await pool.close();
  fixture.cleanup();
});

const QUERIES: Array<[string, object]> = [
  ['$[*].reference', { limit: 40 }],
  ['$[?@.size > 100].reference', { sort: '@.size', order: 'desc' }],
  ["$[?@.kind == 'model'].reference", { sort: '@.model' }],
  ['$[?@.tags[0]].digest', {}],
  ['$[?search(@.reference, "1")].size', { limit: 5 }],
];

describe('query workers on PostgreSQL under load', () => {
  it('answer exactly after many concurrent queries, some cut off by tiny budgets', async () => {
    const outcomes = await Promise.all(
      Array.from({ length: 120 }, (_, index) => {
        const [text, options] = QUERIES[index % QUERIES.length] as [string, object];
        const timeoutMs = index % 3 === 0 ? 1 + (index % 4) : 5_000;
        return pool.query(text, { ...options, timeoutMs }, { client: `c${index % 7}` }).then(
          () => 'ok',
          (error: unknown) => (isOcidexError(error) ? error.code : String(error)),
        );
      }),
    );
    expect(outcomes.filter((outcome) => outcome !== 'ok' && outcome !== 'query_timeout')).toEqual([]);
    for (const [text, options] of QUERIES) {
      for (let round = 0; round < 4; round += 1) {
        expect(await pool.query(text, options)).toEqual(fixture.engine.query(text, options));
      }
    }
    expect(await pool.facet('@.format')).toEqual(fixture.engine.facet('@.format'));
  }, 120_000);
});
