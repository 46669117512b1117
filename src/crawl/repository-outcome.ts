/**
 * What a repository step came to, and what a crawl adds up to: one pure computation both modes
 * call. The embedded crawl (repository-unit.ts, crawl-registry.ts) and queue mode's processors
 * (src/queue/workers) gather the same parts in different places (one process, or job results)
 * and hand them here, so a repository's counts, its completeness and a run's summary cannot
 * drift between the modes.
 */
import { emptyCounts, type CrawlCounts, type CrawlSummary } from '../domain/crawl.js';
import { toOcidexError } from '../domain/errors.js';
import { finalFingerprint, type RepositoryPlan } from './repository-plan.js';

/** What one repository's crawl counted (the registry crawl adds them up). */
export type RepositoryOutcome = Pick<
  CrawlCounts,
  'manifestsNew' | 'manifestsUnchanged' | 'manifestsRemoved' | 'referrers' | 'tagsAdded' | 'tagsMoved' | 'tagsRemoved'
> & { unchanged: boolean };

/** What the fetches of a repository came to, however they ran. */
export interface RepositoryFetched {
  /** Documents written for the fresh digests. */
  documents: number;
  /** Referrers stored (of fetched digests and of listed subjects). */
  referrers: number;
  /** Every fetch and referrers listing succeeded (else the fingerprint is saved incomplete). */
  complete: boolean;
}

/** The counts of a repository before its index sync, from its plan and its fetches. */
export function repositoryOutcome(
  plan: Pick<RepositoryPlan, 'unchanged' | 'known' | 'fresh'>,
  fetched: RepositoryFetched,
): RepositoryOutcome {
  return {
    ...emptyOutcome(),
    unchanged: plan.unchanged,
    manifestsNew: fetched.documents,
    // An unchanged repository fetched nothing: its fresh digests are counted as unchanged.
    manifestsUnchanged: plan.known.length + (plan.unchanged ? plan.fresh.length : 0),
    referrers: fetched.referrers,
  };
}

/** Tags and fingerprint the index sync saves; null when the repository is unchanged (no sync). */
export function repositorySync(
  plan: Pick<RepositoryPlan, 'unchanged' | 'tags' | 'fingerprint'>,
  complete: boolean,
): { tags: Array<[string, string]>; fingerprint: string } | null {
  if (plan.unchanged) return null;
  return { tags: plan.tags, fingerprint: finalFingerprint(plan, complete) };
}

/** The outcome once the index sync ran: its removals and tag changes added. */
export function syncedOutcome(
  outcome: RepositoryOutcome,
  sync: { documentsRemoved: number; tagsAdded: number; tagsMoved: number; tagsRemoved: number },
): RepositoryOutcome {
  return {
    ...outcome,
    manifestsRemoved: sync.documentsRemoved,
    tagsAdded: sync.tagsAdded,
    tagsMoved: sync.tagsMoved,
    tagsRemoved: sync.tagsRemoved,
  };
}

/** An outcome of nothing (a base to add to). */
export function emptyOutcome(): RepositoryOutcome {
  return {
    unchanged: false,
    manifestsNew: 0,
    manifestsUnchanged: 0,
    manifestsRemoved: 0,
    referrers: 0,
    tagsAdded: 0,
    tagsMoved: 0,
    tagsRemoved: 0,
  };
}

/** Adds one repository's outcome to a crawl's counts. */
export function addOutcome(counts: CrawlCounts, outcome: RepositoryOutcome): void {
  const { unchanged, ...added } = outcome;
  counts.repositories += 1;
  if (unchanged) counts.repositoriesUnchanged += 1;
  for (const [name, value] of Object.entries(added) as Array<[keyof typeof added, number]>) counts[name] += value;
}

/** The parts of a crawl's summary; status follows from `fatal`. */
export interface SummaryParts {
  registry: string;
  counts: CrawlCounts;
  errorsByCode: CrawlSummary['errorsByCode'];
  requests: CrawlSummary['requests'];
  startedAt: string;
  finishedAt: string;
  /** Measured by the caller; default: from the two timestamps (never negative). */
  durationMs?: number;
  fatal: CrawlSummary['fatal'];
}

/** A crawl run's summary: `failed` when something fatal ended it, else `succeeded`. */
export function crawlSummary(parts: SummaryParts): CrawlSummary {
  const { registry, counts, errorsByCode, requests, startedAt, finishedAt, fatal } = parts;
  const durationMs = parts.durationMs ?? Math.max(0, Date.parse(finishedAt) - Date.parse(startedAt));
  return {
    registry,
    counts,
    errorsByCode,
    requests,
    startedAt,
    finishedAt,
    durationMs,
    status: fatal === null ? 'succeeded' : 'failed',
    fatal,
  };
}

/** A `failed` summary of a crawl of `registry` started at `startedAt`, ended by `error` (it threw). */
export function failedSummary(registry: string, startedAt: string, error: unknown): CrawlSummary {
  const failure = toOcidexError(error);
  return crawlSummary({
    registry,
    counts: { ...emptyCounts(), errors: 1 },
    errorsByCode: { [failure.code]: 1 },
    requests: { total: 0, byOperation: {} },
    startedAt,
    finishedAt: new Date().toISOString(),
    fatal: { code: failure.code, message: failure.message },
  });
}
