/** Crawl bookkeeping shared by the crawl pipeline, the index and the CLI/API. */
import type { ErrorCode } from './errors.js';

/** One error of one item; stored in the index's crawl_errors table. */
export interface CrawlErrorRecord {
  registry: string;
  repository: string | null;
  /** A tag, digest or full reference; null for registry-level errors. */
  reference: string | null;
  code: ErrorCode;
  message: string;
  at: string;
}

export interface CrawlCounts {
  repositories: number;
  repositoriesUnchanged: number;
  manifestsNew: number;
  manifestsUnchanged: number;
  manifestsRemoved: number;
  referrers: number;
  tagsAdded: number;
  tagsMoved: number;
  tagsRemoved: number;
  errors: number;
}

export interface CrawlSummary {
  registry: string;
  counts: CrawlCounts;
  /** Error count by code (all errors, also those past the stored cap). */
  errorsByCode: Partial<Record<ErrorCode, number>>;
  /** HTTP requests made, by operation (manifest.get, blob.get, ...). */
  requests: { total: number; byOperation: Record<string, number> };
  startedAt: string;
  finishedAt: string;
  durationMs: number;
  status: 'succeeded' | 'failed';
  /** Why the crawl failed as a whole (unreachable, authentication, catalog), else null. */
  fatal: { code: ErrorCode; message: string } | null;
}

/** Requests per manifest seen (new or unchanged) in a crawl; 0 when it saw none. */
export function requestsPerManifest(summary: Pick<CrawlSummary, 'counts' | 'requests'>): number {
  const manifests = summary.counts.manifestsNew + summary.counts.manifestsUnchanged;
  return manifests > 0 ? summary.requests.total / manifests : 0;
}

export function emptyCounts(): CrawlCounts {
  return {
    repositories: 0,
    repositoriesUnchanged: 0,
    manifestsNew: 0,
    manifestsUnchanged: 0,
    manifestsRemoved: 0,
    referrers: 0,
    tagsAdded: 0,
    tagsMoved: 0,
    tagsRemoved: 0,
    errors: 0,
  };
}
