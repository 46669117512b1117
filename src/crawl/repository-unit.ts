/**
 * Unit of work: one repository. Two-level change detection (Artifact Hub tracker style):
 * level 1, the repository fingerprint over tag -> digest (from HEAD requests); level 2, per
 * digest: a digest already indexed is never fetched again (content-addressed = immutable).
 * One failing tag never fails the repository; the fingerprint is saved only after success.
 * The decisions live in repository-plan.ts and the fetches in repository-fetch.ts, which the
 * queue workers run as separate jobs; this file runs them in one process.
 */
import type { CrawlContext } from './context.js';
import { fetchNewArtifacts, writeReferrers, type FetchedArtifacts } from './fetch-new-artifacts.js';
import { PrefetchedManifests, prefetchedReader } from './prefetched-reader.js';
import { listSubjectReferrers, resolveTags } from './repository-fetch.js';
import { repositoryOutcome, repositorySync, syncedOutcome, type RepositoryOutcome } from './repository-outcome.js';
import { isNewRepository, planRepository, referrerSubjects } from './repository-plan.js';

/** Serializable input of the repository unit. */
export interface RepositoryJob {
  registry: string;
  repository: string;
}

/** Crawls one repository into the index. Throws only when its tag list cannot be read. */
export async function crawlRepository(given: CrawlContext, job: RepositoryJob): Promise<RepositoryOutcome> {
  const { index } = given;
  const previous = index.getRepositoryState(job.registry, job.repository);
  const prefetch = isNewRepository(previous) ? new PrefetchedManifests() : undefined;
  const context = prefetch ? { ...given, client: prefetchedReader(given.client, prefetch) } : given;
  const resolved = await resolveTags(context, job, prefetch);
  const plan = planRepository(previous, resolved, (digest) => index.hasDocument(job.registry, job.repository, digest));
  const referrersApi = context.client.referrersApi === true;
  const tags = new Map(plan.tags);
  const fetched = plan.unchanged ? noneFetched() : await fetchNewArtifacts(context, job, plan.fresh, tags);
  // The fetched digests' referrers were written with them: the other subjects' now.
  const done = new Set(fetched.digests);
  const rest = [...referrerSubjects(plan, fetched.digests, referrersApi)].filter((subject) => !done.has(subject));
  const listing = await listSubjectReferrers(context, job, new Set(rest), tags);
  const referrers = fetched.referrers + writeReferrers(context, job, listing.referrers);
  const complete = fetched.complete && listing.complete;
  const outcome = repositoryOutcome(plan, { documents: fetched.documents, referrers, complete });
  const sync = repositorySync(plan, complete);
  if (sync === null) return outcome;
  const { registry, repository } = job;
  const written = index.syncRepository({
    registry,
    repository,
    tags: new Map(sync.tags),
    fingerprint: sync.fingerprint,
    at: context.now(),
  });
  return syncedOutcome(outcome, written);
}

function noneFetched(): FetchedArtifacts {
  return { digests: [], complete: true, documents: 0, referrers: 0 };
}
