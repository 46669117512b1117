/** The one computation of a repository's outcome and a run's summary that both modes call. */
import { describe, expect, it } from 'vitest';
import {
  addOutcome,
  crawlSummary,
  emptyOutcome,
  failedSummary,
  repositoryOutcome,
  repositorySync,
  syncedOutcome,
} from '../../../src/crawl/repository-outcome.js';
import { emptyCounts } from '../../../src/domain/crawl.js';
import { OcidexError } from '../../../src/domain/errors.js';

const A = `sha256:${'a'.repeat(64)}`;
const B = `sha256:${'b'.repeat(64)}`;
const plan = {
  unchanged: false,
  known: [A],
  fresh: [[B, ['v2']]] as Array<[string, string[]]>,
  tags: [
    ['v1', A],
    ['v2', B],
  ] as Array<[string, string]>,
  fingerprint: 'f',
};

describe('repositoryOutcome', () => {
  it('counts written documents as new and indexed digests as unchanged', () => {
    const outcome = repositoryOutcome(plan, { documents: 1, referrers: 3, complete: true });
    expect(outcome).toEqual({ ...emptyOutcome(), manifestsNew: 1, manifestsUnchanged: 1, referrers: 3 });
  });

  it('counts every digest of an unchanged repository as unchanged', () => {
    const outcome = repositoryOutcome({ ...plan, unchanged: true }, { documents: 0, referrers: 0, complete: true });
    expect(outcome.unchanged).toBe(true);
    expect(outcome.manifestsUnchanged).toBe(2);
  });
});

describe('repositorySync', () => {
  it('syncs nothing for an unchanged repository', () => {
    expect(repositorySync({ ...plan, unchanged: true }, true)).toBeNull();
  });

  it('saves the tags with the fingerprint, incomplete when an item failed', () => {
    expect(repositorySync(plan, true)).toEqual({ tags: plan.tags, fingerprint: 'f' });
    expect(repositorySync(plan, false)?.fingerprint).toBe('incomplete:f');
  });
});

describe('syncedOutcome and addOutcome', () => {
  it('adds the sync counts and sums outcomes into a crawl', () => {
    const outcome = syncedOutcome(repositoryOutcome(plan, { documents: 1, referrers: 0, complete: true }), {
      documentsRemoved: 2,
      tagsAdded: 1,
      tagsMoved: 1,
      tagsRemoved: 0,
    });
    const counts = emptyCounts();
    addOutcome(counts, outcome);
    addOutcome(counts, { ...emptyOutcome(), unchanged: true, manifestsUnchanged: 4 });
    expect(counts).toEqual({
      ...emptyCounts(),
      repositories: 2,
      repositoriesUnchanged: 1,
      manifestsNew: 1,
      manifestsUnchanged: 5,
      manifestsRemoved: 2,
      tagsAdded: 1,
      tagsMoved: 1,
    });
  });
});

describe('crawlSummary', () => {
  const parts = {
    registry: 'r.example',
    counts: emptyCounts(),
    errorsByCode: {},
    requests: { total: 2, byOperation: { 'catalog.get': 2 } },
    startedAt: '2026-01-01T00:00:00.000Z',
    finishedAt: '2026-01-01T00:00:01.500Z',
    fatal: null,
  };

  it('succeeds without a fatal error and takes the duration from the timestamps', () => {
    expect(crawlSummary(parts)).toMatchObject({ status: 'succeeded', durationMs: 1500, fatal: null });
  });

  it('fails with a fatal error and keeps a duration the caller measured', () => {
    const summary = crawlSummary({ ...parts, durationMs: 7, fatal: { code: 'unauthorized', message: 'no' } });
    expect(summary).toMatchObject({ status: 'failed', durationMs: 7, fatal: { code: 'unauthorized' } });
  });

  it('never reports a negative duration when the clocks disagree', () => {
    expect(crawlSummary({ ...parts, finishedAt: '2025-12-31T23:59:59.000Z' }).durationMs).toBe(0);
  });

  it('records a crawl that threw as failed with its one error', () => {
    const summary = failedSummary('r.example', parts.startedAt, new OcidexError('internal', 'index full'));
    expect(summary).toMatchObject({
      status: 'failed',
      errorsByCode: { internal: 1 },
      fatal: { code: 'internal', message: 'index full' },
    });
    expect(summary.counts.errors).toBe(1);
  });
});
