import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { emptyCounts, type CrawlSummary } from '../../../src/domain/crawl.js';
import { type ApiFixture, apiFixture, body, errorOf, REGISTRY } from './support.js';

let fixture: ApiFixture;
let finished: number;
let running: number;
let other: number;

beforeEach(() => {
  fixture = apiFixture();
  const { index } = fixture;
  finished = index.startRun(REGISTRY, { trigger: 'api' });
  const summary: CrawlSummary = {
    registry: REGISTRY,
    counts: { ...emptyCounts(), repositories: 3, manifestsNew: 5, errors: 2 },
    errorsByCode: { denied: 1, not_found: 1 },
    requests: { total: 12, byOperation: { 'manifest.get': 5 } },
    startedAt: '2025-03-02T10:00:00.000Z',
    finishedAt: '2025-03-02T10:01:00.000Z',
    durationMs: 60_000,
    status: 'succeeded',
    fatal: null,
  };
  index.recordErrors(finished, [
    {
      registry: REGISTRY,
      repository: 'models/a',
      reference: 'v1',
      code: 'denied',
      message: 'access denied',
      at: summary.startedAt,
    },
    {
      registry: REGISTRY,
      repository: 'models/b',
      reference: null,
      code: 'not_found',
      message: 'gone',
      at: summary.startedAt,
    },
  ]);
  index.finishRun(finished, summary);
  running = index.startRun(REGISTRY, { trigger: 'schedule' });
  other = index.startRun('elsewhere.example.com', {});
});
afterEach(() => fixture.cleanup());

const get = (path: string) => fixture.app.request(path);

describe('GET /v1/crawls/{id}', () => {
  it('returns status, counts and errors of a finished crawl', async () => {
    const crawl = await body(await get(`/v1/crawls/${finished}`));
    expect(crawl).toMatchObject({
      id: finished,
      registry: REGISTRY,
      status: 'succeeded',
      finishedAt: '2025-03-02T10:01:00.000Z',
    });
    expect(crawl.counts).toMatchObject({ repositories: 3, manifestsNew: 5, errors: 2 });
    expect(crawl.errorsByCode).toEqual({ denied: 1, not_found: 1 });
    expect(crawl.errors.map((error: { code: string }) => error.code)).toEqual(['denied', 'not_found']);
  });

  it('limits the errors listed', async () => {
    const crawl = await body(await get(`/v1/crawls/${finished}?errorLimit=1`));
    expect(crawl.errors).toHaveLength(1);
  });

  it('shows a running crawl with null counts', async () => {
    const crawl = await body(await get(`/v1/crawls/${running}`));
    expect(crawl).toMatchObject({ status: 'running', finishedAt: null, counts: null, errors: [] });
  });

  it('answers an unknown crawl with 404 and a bad id with 400', async () => {
    const unknown = await get('/v1/crawls/9999');
    expect(unknown.status).toBe(404);
    expect(await errorOf(unknown)).toEqual({ code: 'not_found', message: 'no crawl 9999' });
    for (const id of ['abc', '0', '-1', '1.5']) {
      const response = await get(`/v1/crawls/${id}`);
      expect(response.status).toBe(400);
      expect((await errorOf(response)).message).toContain('path.id');
    }
  });
});

describe('GET /v1/crawls', () => {
  it('lists crawls newest first', async () => {
    const { items } = await body(await get('/v1/crawls'));
    expect(items.map((crawl: { id: number }) => crawl.id)).toEqual([other, running, finished]);
    expect(items[0]).not.toHaveProperty('errors');
  });

  it('filters by configured registry id or by host', async () => {
    for (const registry of ['local', encodeURIComponent(REGISTRY)]) {
      const { items } = await body(await get(`/v1/crawls?registry=${registry}`));
      expect(items.map((crawl: { id: number }) => crawl.id)).toEqual([running, finished]);
    }
    const { items } = await body(await get('/v1/crawls?registry=nothing.example.com&limit=5'));
    expect(items).toEqual([]);
  });

  it('honours limit', async () => {
    const { items } = await body(await get('/v1/crawls?limit=1'));
    expect(items.map((crawl: { id: number }) => crawl.id)).toEqual([other]);
  });
});
