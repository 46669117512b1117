/**
 * The embedded crawl's fetch of the digests a repository plan names: documents fetched
 * concurrently and written in batches (bounded memory), each batch's referrers listed before
 * it is written, so that referrers, their verification and the documents go into the index in
 * one transaction and each document is written once (not put, then rewritten with its edges).
 */
import type { ArtifactDocument, ReferrerSummary } from '../domain/document.js';
import { forEachConcurrent } from './concurrency.js';
import type { CrawlContext } from './context.js';
import { fetchArtifact } from './manifest-unit.js';
import { countReferrers } from './referrers-unit.js';
import { listSubjectReferrers } from './repository-fetch.js';
import { storeReferrers } from './store-referrers.js';

interface Scope {
  registry: string;
  repository: string;
}

/** What the fetches did: digests fetched (their referrers listed), whether all of it worked. */
export interface FetchedArtifacts {
  digests: string[];
  complete: boolean;
  documents: number;
  referrers: number;
}

/** Stores each subject's referrers (recorded, verified, edges) in one transaction; counts them. */
export function writeReferrers(context: CrawlContext, job: Scope, listed: Array<[string, ReferrerSummary[]]>): number {
  return context.index.inBatch(() =>
    listed.reduce((total, [subject, referrers]) => {
      storeReferrers(context.index, job.registry, job.repository, subject, referrers);
      return total + countReferrers(referrers);
    }, 0),
  );
}

/** Fetches `fresh` digests with their referrers (`tags`: the repository's, for the tag schema). */
export async function fetchNewArtifacts(
  context: CrawlContext,
  job: Scope,
  fresh: ReadonlyArray<[string, string[]]>,
  tags: ReadonlyMap<string, string>,
): Promise<FetchedArtifacts> {
  const result: FetchedArtifacts = { digests: [], complete: true, documents: 0, referrers: 0 };
  let pending: { documents: ArtifactDocument[]; digests: string[] } = { documents: [], digests: [] };
  const writes: Array<Promise<void>> = [];
  const flush = async (): Promise<void> => {
    const batch = pending;
    pending = { documents: [], digests: [] };
    if (batch.documents.length === 0) return;
    const listing = await listSubjectReferrers(context, job, new Set(batch.digests), tags);
    result.complete &&= listing.complete;
    context.index.inBatch(() => {
      result.referrers += writeReferrers(context, job, listing.referrers);
      context.index.putDocuments(batch.documents);
    });
  };
  await forEachConcurrent(
    fresh,
    context.limits.manifestConcurrency,
    async ([digest, versionTags]) => {
      try {
        const documents = await fetchArtifact(context, { ...job, digest, tags: versionTags });
        pending.documents.push(...documents);
        pending.digests.push(digest);
        result.digests.push(digest);
        result.documents += documents.length;
        if (pending.documents.length >= context.limits.writeBatch) writes.push(flush());
      } catch (error) {
        context.errors.add(job.repository, `${versionTags[0] ?? digest}`, error);
        result.complete = false;
      }
    },
    context.signal,
  );
  writes.push(flush());
  await Promise.all(writes);
  return result;
}
