/**
 * Unit of work: one repository. Two-level change detection (Artifact Hub tracker style):
 * level 1, the repository fingerprint over tag -> digest (from HEAD requests); level 2, per
 * digest: a digest already indexed is never fetched again (content-addressed = immutable).
 * One failing tag never fails the repository; the fingerprint is saved only after success.
 * The decisions live in repository-plan.ts and the fetches in repository-fetch.ts, which the
 * queue workers run as separate jobs; this file runs them in one process.
 */
import type { CrawlCounts } from '../domain/crawl.js';
import type { RepositoryState } from '../index/index.js';
import type { CrawlContext } from './context.js';
import { fetchNewArtifacts, writeReferrers, type FetchedArtifacts } from './fetch-new-artifacts.js';
import { PrefetchedManifests, prefetchedReader } from './prefetched-reader.js';
import { listSubjectReferrers, resolveTags } from './repository-fetch.js';
import { finalFingerprint, planRepository, referrerSubjects } from './repository-plan.js';

/** Serializable input of the repository unit. */
export interface RepositoryJob {
  registry: string;
  repository: string;
}

/** What one repository's crawl counted (the registry crawl adds them up). */
export type RepositoryOutcome = Pick<
  CrawlCounts,
  'manifestsNew' | 'manifestsUnchanged' | 'manifestsRemoved' | 'referrers' | 'tagsAdded' | 'tagsMoved' | 'tagsRemoved'
> & { unchanged: boolean };

/** Crawls one repository into the index. Throws only when its tag list cannot be read. */
export async function crawlRepository(given: CrawlContext, job: RepositoryJob): Promise<RepositoryOutcome> {
  const { index } = given;
  const previous = index.getRepositoryState(job.registry, job.repository);
  // Never seen: every manifest is to be fetched, so tags are read by GET, not HEAD then GET.
  const prefetch = isNewRepository(previous) ? new PrefetchedManifests() : undefined;
  const context = prefetch ? { ...given, client: prefetchedReader(given.client, prefetch) } : given;
  const resolved = await resolveTags(context, job, prefetch);
  const plan = planRepository(previous, resolved, (digest) => index.hasDocument(job.registry, job.repository, digest));
  const referrersApi = context.client.referrersApi === true;
  const outcome = { ...emptyOutcome(), unchanged: plan.unchanged, manifestsUnchanged: plan.known.length };
  const tags = new Map(plan.tags);
  const fetched = plan.unchanged ? noneFetched() : await fetchNewArtifacts(context, job, plan.fresh, tags);
  outcome.manifestsNew = fetched.documents;
  // The fetched digests' referrers were written with them: the other subjects' now.
  const done = new Set(fetched.digests);
  const rest = [...referrerSubjects(plan, fetched.digests, referrersApi)].filter((subject) => !done.has(subject));
  const listing = await listSubjectReferrers(context, job, new Set(rest), tags);
  outcome.referrers = fetched.referrers + writeReferrers(context, job, listing.referrers);
  if (plan.unchanged) return { ...outcome, manifestsUnchanged: plan.known.length + plan.fresh.length };
  const sync = index.syncRepository({
    registry: job.registry,
    repository: job.repository,
    tags,
    fingerprint: finalFingerprint(plan, fetched.complete && listing.complete),
    at: context.now(),
  });
  return { ...outcome, ...syncCounts(sync) };
}

/** A repository the index holds nothing of (no fingerprint, no tags). */
export function isNewRepository(state: RepositoryState): boolean {
  return state.fingerprint === null && state.tags.size === 0;
}

function noneFetched(): FetchedArtifacts {
  return { digests: [], complete: true, documents: 0, referrers: 0 };
}

export function emptyOutcome(): RepositoryOutcome {
  return {
    unchanged: false, manifestsNew: 0, manifestsUnchanged: 0, manifestsRemoved: 0,
    referrers: 0, tagsAdded: 0, tagsMoved: 0, tagsRemoved: 0,
  };
}

/** The outcome counts of an index sync. */
export function syncCounts(sync: { documentsRemoved: number; tagsAdded: number; tagsMoved: number; tagsRemoved: number }) {
  return { manifestsRemoved: sync.documentsRemoved, tagsAdded: sync.tagsAdded, tagsMoved: sync.tagsMoved, tagsRemoved: sync.tagsRemoved };
}
