import { describe, expect, it } from 'vitest';
import type { CrawlErrorRecord, CrawlSummary } from '../../../src/domain/crawl.js';
import { emptyCounts } from '../../../src/domain/crawl.js';
import { AT, REGISTRY, useTempStore } from './fixtures.js';

function summary(status: CrawlSummary['status']): CrawlSummary {
  return {
    registry: REGISTRY,
    counts: { ...emptyCounts(), repositories: 3, errors: 2 },
    errorsByCode: { not_found: 1, denied: 1 },
    requests: { total: 12, byOperation: { 'manifest.get': 9, 'tags.list': 3 } },
    startedAt: AT,
    finishedAt: '2025-03-01T10:05:00.000Z',
    durationMs: 300_000,
    status,
    fatal: null,
  } as CrawlSummary;
}

function error(index: number, registry = REGISTRY): CrawlErrorRecord {
  return {
    registry,
    repository: `repo-${index}`,
    reference: `v${index}`,
    code: 'not_found',
    message: `manifest ${index} not found`,
    at: AT,
  };
}

describe('crawl runs and errors', () => {
  const setup = useTempStore();

  it('records a run from start to finish', () => {
    const runId = setup.store.startRun(REGISTRY, { repositories: ['models/*'], concurrency: 4 });
    expect(setup.store.getRun(runId)).toMatchObject({
      id: runId,
      registry: REGISTRY,
      status: 'running',
      finishedAt: null,
      summary: null,
      params: { repositories: ['models/*'], concurrency: 4 },
    });
    setup.store.finishRun(runId, summary('failed'));
    expect(setup.store.getRun(runId)).toMatchObject({
      status: 'failed',
      finishedAt: '2025-03-01T10:05:00.000Z',
      summary: summary('failed'),
    });
    expect(setup.store.getRun(runId + 1)).toBeNull();
    expect(() => setup.store.finishRun(runId + 1, summary('succeeded'))).toThrow(
      expect.objectContaining({ code: 'not_found' }),
    );
  });

  it('lists runs newest first, by registry and with a limit', () => {
    const first = setup.store.startRun(REGISTRY, {});
    const second = setup.store.startRun('other.example', {});
    const third = setup.store.startRun(REGISTRY, {});
    expect(setup.store.listRuns().map((run) => run.id)).toEqual([third, second, first]);
    expect(setup.store.listRuns({ registry: REGISTRY }).map((run) => run.id)).toEqual([third, first]);
    expect(setup.store.listRuns({ limit: 1 }).map((run) => run.id)).toEqual([third]);
  });

  it('stores every error given, messages as given, listed by run and registry in order', () => {
    const runId = setup.store.startRun(REGISTRY, {});
    const errors = Array.from({ length: 250 }, (_, index) => error(index));
    setup.store.recordErrors(runId, errors);
    setup.store.recordErrors(null, [error(999, 'other.example')]);
    expect(setup.store.listErrors({ runId })).toEqual(errors);
    expect(setup.store.listErrors({ runId, limit: 2 })).toEqual(errors.slice(0, 2));
    expect(setup.store.listErrors({ registry: 'other.example' })).toEqual([error(999, 'other.example')]);
    expect(setup.store.listErrors({ runId, registry: 'other.example' })).toEqual([]);
    expect(setup.store.listErrors({})).toHaveLength(251);
  });

  it('rejects a negative limit', () => {
    expect(() => setup.store.listErrors({ limit: -5 })).toThrow(expect.objectContaining({ code: 'invalid_argument' }));
  });
});
