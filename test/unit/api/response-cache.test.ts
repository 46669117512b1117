import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ResponseCache } from '../../../src/api/response-cache.js';
import { OcidexError } from '../../../src/domain/errors.js';
import { openIndex } from '../../../src/store/index.js';
import { applyCrawl, modelDocument } from '../store/fixtures.js';
import { type ApiFixture, apiFixture, body, LLAMA, MISTRAL } from './support.js';

let fixture: ApiFixture;
beforeEach(() => {
  fixture = apiFixture();
});
afterEach(() => fixture.cleanup());

const get = (path: string, headers: Record<string, string> = {}) => fixture.app.request(path, { headers });
const references = (page: { items: Array<{ reference: string }> }) => page.items.map((item) => item.reference);
const QWEN = modelDocument('qwen');
const LANDING = `/v1/models?sort=${encodeURIComponent('@.crawledAt')}&order=desc&limit=24`;
const FACETS = '/v1/facets?path=%40.model.license&path=%40.kind';

/** Moves `latest` from MISTRAL to QWEN through `index` (default: the service's own connection). */
const moveLatest = (index = fixture.index) =>
  applyCrawl(index, { tags: { v1: LLAMA, latest: QWEN }, at: '2025-03-03T10:00:00.000Z' });

describe('query responses kept per index version', () => {
  it('answers a repeated page without running the query again, and again after a write', async () => {
    const query = vi.spyOn(fixture.deps.queries, 'query');
    const first = await body(await get(LANDING));
    expect(await body(await get(LANDING))).toEqual(first);
    expect(query).toHaveBeenCalledTimes(1);
    moveLatest();
    const after = await body(await get(LANDING));
    expect(query).toHaveBeenCalledTimes(2);
    expect(references(after)).toContain(QWEN.reference);
    expect(references(after)).not.toContain(MISTRAL.reference);
  });

  it('sees a write committed by another connection (a CLI crawl, the queue-mode index writer)', async () => {
    const query = vi.spyOn(fixture.deps.queries, 'query');
    expect(references(await body(await get(LANDING)))).toContain(MISTRAL.reference);
    const other = openIndex(fixture.index.db.name);
    try {
      moveLatest(other);
    } finally {
      other.close();
    }
    expect(references(await body(await get(LANDING)))).toContain(QWEN.reference);
    expect(query).toHaveBeenCalledTimes(2);
  });

  it('keeps facets too, and counts them again after a write', async () => {
    // The first facets over every document start counting their paths, a write that moves the
    // index's version past that answer: done before.
    await get(FACETS);
    const facets = vi.spyOn(fixture.deps.queries, 'facets');
    const first = await body(await get(FACETS));
    await get(FACETS);
    expect(facets).toHaveBeenCalledTimes(1);
    moveLatest();
    const after = await body(await get(FACETS));
    expect(facets).toHaveBeenCalledTimes(2);
    expect(after).not.toEqual(first);
  });

  it('computes a page asked for by several requests at once only once', async () => {
    const query = vi.spyOn(fixture.deps.queries, 'query');
    const pages = await Promise.all(Array.from({ length: 5 }, async () => body(await get(LANDING))));
    expect(new Set(pages.map((page) => JSON.stringify(page))).size).toBe(1);
    expect(query).toHaveBeenCalledTimes(1);
  });

  it('keeps no error: a bad query is refused each time it is asked', async () => {
    const query = vi.spyOn(fixture.deps.queries, 'query');
    for (let attempt = 0; attempt < 2; attempt += 1) {
      expect((await get(`/v1/models?q=${encodeURIComponent('$[?@.size >]')}`)).status).toBe(400);
    }
    expect(query).toHaveBeenCalledTimes(2);
  });
});

describe('ETag and If-None-Match on query responses', () => {
  it('answers 304 without a body or a query while the index is unchanged, 200 with a new ETag after a write', async () => {
    const first = await get(LANDING);
    const etag = first.headers.get('ETag') as string;
    expect(etag).toMatch(/^W\/".+"$/);
    expect(first.headers.get('Cache-Control')).toBe('no-cache');
    const query = vi.spyOn(fixture.deps.queries, 'query');
    const unchanged = await get(LANDING, { 'If-None-Match': etag });
    expect(unchanged.status).toBe(304);
    expect(await unchanged.text()).toBe('');
    expect(unchanged.headers.get('ETag')).toBe(etag);
    expect(query).not.toHaveBeenCalled();
    moveLatest();
    const changed = await get(LANDING, { 'If-None-Match': etag });
    expect(changed.status).toBe(200);
    expect(changed.headers.get('ETag')).not.toBe(etag);
    expect(references(await body(changed))).toContain(QWEN.reference);
  });

  it('gives each URL its own ETag', async () => {
    const landing = (await get(LANDING)).headers.get('ETag');
    const facets = await get(FACETS, { 'If-None-Match': landing as string });
    expect(facets.status).toBe(200);
    expect(facets.headers.get('ETag')).not.toBe(landing);
  });
});

describe('ResponseCache', () => {
  const limits = { maxEntries: 2, maxBytes: 100, maxEntryBytes: 10 };

  it('lets a request that waited on a computation its client abandoned compute its own', async () => {
    const cache = new ResponseCache(() => '1', limits);
    let fail!: (error: Error) => void;
    const owner = cache.body('k', '1', () => new Promise((_, reject) => (fail = reject)));
    const waiter = cache.body('k', '1', async () => 'mine');
    fail(new OcidexError('aborted', 'the first client went away'));
    await expect(owner).rejects.toThrow('went away');
    expect(await waiter).toBe('mine');
  });

  it("shares a computation's failure of the query itself (a timeout) with the requests that waited on it", async () => {
    const cache = new ResponseCache(() => '1', limits);
    let fail!: (error: Error) => void;
    const owner = cache.body('k', '1', () => new Promise((_, reject) => (fail = reject)));
    let computed = false;
    const waiter = cache.body('k', '1', async () => {
      computed = true;
      return 'mine';
    });
    fail(new OcidexError('query_timeout', 'query exceeded its time budget'));
    await expect(owner).rejects.toThrow('time budget');
    await expect(waiter).rejects.toThrow('time budget');
    expect(computed).toBe(false);
  });

  it('keeps neither a body over the entry limit nor one computed at a version that has passed', async () => {
    let version = '1';
    const cache = new ResponseCache(() => version, limits);
    await cache.body('big', '1', async () => 'x'.repeat(11));
    expect(cache.stats.entries).toBe(0);
    await cache.body('raced', '1', async () => {
      version = '2';
      return 'old';
    });
    expect(cache.stats.entries).toBe(0);
  });

  it('drops the least recently used past maxEntries, and everything when the version moves', async () => {
    let version = '1';
    const cache = new ResponseCache(() => version, limits);
    for (const key of ['a', 'b', 'a', 'c']) await cache.body(key, '1', async () => key);
    expect(await cache.body('a', '1', async () => 'recomputed')).toBe('a');
    expect(await cache.body('b', '1', async () => 'recomputed')).toBe('recomputed');
    version = '2';
    await cache.body('d', '2', async () => 'd');
    expect(cache.stats.entries).toBe(1);
  });
});
