import { hostname } from 'node:os';
import { describe, expect, it } from 'vitest';
import type { CrawlErrorRecord, CrawlSummary } from '../../../src/domain/crawl.js';
import { emptyCounts } from '../../../src/domain/crawl.js';
import { RUN_HEARTBEAT_MS, RUN_LEASE_MS } from '../../../src/store/run-owner.js';
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

  describe('startRunOnce', () => {
    /** Makes run `runId` another process's: on `host` with pid `pid`, its last heartbeat `ageMs` ago. */
    const ownedElsewhere = (runId: number, host: string, pid: number, ageMs = 0) =>
      setup.store.db
        .prepare<unknown[]>(`UPDATE crawl_runs SET owner = ?, heartbeat_at = ? WHERE id = ?`)
        .run(JSON.stringify({ id: `other-${runId}`, pid, host }), new Date(Date.now() - ageMs).toISOString(), runId);
    const runCount = () => setup.store.listRuns({ registry: REGISTRY }).length;

    it("answers another live process's running run of the registry instead of starting one", () => {
      const theirs = setup.store.startRun(REGISTRY, {});
      ownedElsewhere(theirs, hostname(), process.ppid);
      expect(setup.store.startRunOnce(REGISTRY, { trigger: 'api' })).toEqual({ runId: theirs, started: false });
      const remote = setup.store.startRun('other.example', {});
      ownedElsewhere(remote, 'another-host', 1, RUN_HEARTBEAT_MS);
      expect(setup.store.startRunOnce('other.example', {})).toEqual({ runId: remote, started: false });
      expect(runCount()).toBe(1);
    });

    it('starts a run when the running ones are its own, finished, of a dead process or of another registry', () => {
      const own = setup.store.startRun(REGISTRY, {});
      const finished = setup.store.startRun(REGISTRY, {});
      ownedElsewhere(finished, hostname(), process.ppid);
      setup.store.finishRun(finished, summary('succeeded'));
      const stale = setup.store.startRun(REGISTRY, {});
      ownedElsewhere(stale, 'another-host', 1, RUN_LEASE_MS + 60_000);
      const elsewhere = setup.store.startRun('other.example', {});
      ownedElsewhere(elsewhere, hostname(), process.ppid);
      const start = setup.store.startRunOnce(REGISTRY, { trigger: 'api' });
      expect(start.started).toBe(true);
      expect([own, finished, stale, elsewhere]).not.toContain(start.runId);
      expect(setup.store.getRun(start.runId)).toMatchObject({ status: 'running', params: { trigger: 'api' } });
    });
  });

  it('rejects a negative limit', () => {
    expect(() => setup.store.listErrors({ limit: -5 })).toThrow(expect.objectContaining({ code: 'invalid_argument' }));
  });
});
