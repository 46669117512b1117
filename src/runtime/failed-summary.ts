/** The summary recorded for a crawl that threw instead of finishing (the index failed, say). */
import { emptyCounts, type CrawlSummary } from '../domain/crawl.js';
import { toOcidexError } from '../domain/errors.js';

/** A `failed` summary of a crawl of `registry` started at `startedAt`, ended by `error`. */
export function failedSummary(registry: string, startedAt: string, error: unknown): CrawlSummary {
  const failure = toOcidexError(error);
  const finishedAt = new Date().toISOString();
  return {
    registry,
    counts: { ...emptyCounts(), errors: 1 },
    errorsByCode: { [failure.code]: 1 },
    requests: { total: 0, byOperation: {} },
    startedAt,
    finishedAt,
    durationMs: Math.max(0, Date.parse(finishedAt) - Date.parse(startedAt)),
    status: 'failed',
    fatal: { code: failure.code, message: failure.message },
  };
}
