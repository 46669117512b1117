/**
 * The query worker pool for real: worker threads with their own read-only connections answer
 * exactly what the engine answers in process, errors keep their codes across the thread
 * boundary, and a worker stuck past its budget is terminated and replaced.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { isOcidexError } from '../../../src/domain/errors.js';
import { QueryPool } from '../../../src/query/index.js';
import { testPoolSettings } from '../../support/query-pool.js';
import { modelDocument, queryFixture } from './support.js';

const fixture = queryFixture([
  modelDocument('a', { size: 10 }),
  modelDocument('b', { size: 20, tags: ['x'] }),
  modelDocument('c', { size: 30, model: { ...modelDocument('c').model!, license: 'MIT' } }),
]);
const pool = QueryPool.open(fixture.store.db, testPoolSettings({ workers: 2 }));
afterAll(async () => {
  await pool.close();
  fixture.cleanup();
});

async function rejection(work: Promise<unknown>): Promise<{ code: string; position?: number }> {
  try {
    await work;
  } catch (error) {
    if (isOcidexError(error)) return { code: error.code, position: error.details.position };
    return { code: `threw ${String(error)}` };
  }
  return { code: 'resolved' };
}

describe('QueryPool', () => {
  it('answers queries and facets exactly as the engine does in process', async () => {
    const cases: Array<[string, object]> = [
      ['$[?@.size > 15].reference', {}],
      ['$[*].size', { sort: '@.size', order: 'desc', limit: 2 }],
      ["$[?(@.model.license === 'MIT')].model.name", { dialect: 'jsonpath-plus' }],
    ];
    for (const [text, options] of cases) {
      const inWorker = await pool.query(text, options);
      expect(inWorker).toEqual(fixture.engine.query(text, options));
    }
    const counted = fixture.store.db.prepare('SELECT count(*) FROM facet_paths').pluck();
    expect(Number(counted.get())).toBe(0);
    // A worker's connection is readonly: it starts counting the path through one of its own.
    expect(await pool.facet('@.model.license')).toEqual(fixture.engine.facet('@.model.license'));
    expect(Number(counted.get())).toBe(1);
  });

  it('keeps error codes and positions across the thread boundary', async () => {
    expect(await rejection(pool.query('$[?@.size >]'))).toEqual({ code: 'invalid_query', position: 11 });
    expect(await rejection(pool.query('$[*]', { limit: -1 }))).toMatchObject({ code: 'invalid_argument' });
    expect(await rejection(pool.facet('not a path'))).toMatchObject({ code: 'invalid_argument' });
  });

  it('answers many tasks of many clients at once, each its own', async () => {
    const ask = (index: number) => pool.query('$[*].size', { limit: 1 + (index % 3) }, { client: `client-${index}` });
    const answers = await Promise.all(Array.from({ length: 8 }, (_, index) => ask(index)));
    expect(answers.map((answer) => answer.items.length)).toEqual([1, 2, 3, 1, 2, 3, 1, 2]);
    expect(pool.stats).toMatchObject({ running: 0, waiting: 0 });
  });
});

describe('a worker stuck past its budget (a SQLite step or evaluation that never ticks the budget)', () => {
  it('is terminated after budget + grace, answers query_timeout, and is replaced', async () => {
    const stuck = new QueryPool(
      fixture.store.db.name,
      testPoolSettings({
        workers: 1,
        graceMs: 50,
        workerFile: new URL('../../support/stuck-query-worker.mjs', import.meta.url).href,
      }),
    );
    try {
      expect((await stuck.query('fine')).items).toEqual(['fine']);
      expect(await rejection(stuck.query('spin', { timeoutMs: 100 }))).toMatchObject({ code: 'query_timeout' });
      expect(stuck.stats.replaced).toBe(1);
      expect((await stuck.query('after')).items).toEqual(['after']);
    } finally {
      await stuck.close();
    }
  });
});

describe('closing and failing pools', () => {
  it('fails the queries still running or waiting when the pool closes with overloaded, not internal', async () => {
    const stuck = new QueryPool(
      fixture.store.db.name,
      testPoolSettings({
        workers: 1,
        workerFile: new URL('../../support/stuck-query-worker.mjs', import.meta.url).href,
      }),
    );
    const running = rejection(stuck.query('spin', { timeoutMs: 60_000 }));
    const waiting = rejection(stuck.query('fine', {}, { client: 'another client' }));
    expect(stuck.stats).toMatchObject({ running: 1, waiting: 1 });
    await stuck.close();
    expect(await running).toMatchObject({ code: 'overloaded' });
    expect(await waiting).toMatchObject({ code: 'overloaded' });
  });

  it('answers internal when the worker module cannot load', async () => {
    const workerFile = new URL('./no-such-worker.js', import.meta.url).href;
    const broken = new QueryPool(fixture.store.db.name, { workers: 1, workerFile });
    try {
      expect(await rejection(broken.query('$[*]'))).toMatchObject({ code: 'internal' });
    } finally {
      await broken.close();
    }
  });
});
